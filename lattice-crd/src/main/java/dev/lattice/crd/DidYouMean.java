package dev.lattice.crd;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * The "did you mean" hint of an unknown-field violation: a known field within two edits of the
 * name, letters compared without regard to case and a swap of neighbours counting as one edit
 * (optimal-string-alignment distance), and those edits fewer than half the name's letters. The
 * first closest candidate in iteration order wins; at most {@value #MAX_CANDIDATES} are compared.
 *
 * <p>This is a copy of Lattice's {@code dev.lattice.internal.DidYouMean}, kept here only because
 * lattice-crd is a standalone product that must not depend on Lattice; the two are the same
 * algorithm and must stay so.
 */
final class DidYouMean {
  /** Candidates compared at most; the rest of a larger collection is not looked at. */
  static final int MAX_CANDIDATES = 2000;

  private static final int MAX_EDITS = 2;
  private static final int MAX_COMPARED_LENGTH = 64;

  private DidYouMean() {}

  /** The candidate closest to {@code word}, if it is close enough to be the likely intent. */
  static Optional<String> closest(String word, Collection<String> candidates) {
    String w = word.toLowerCase(Locale.ROOT);
    String best = null;
    int bestDistance = MAX_EDITS + 1;
    int scanned = 0;
    for (String c : candidates) {
      if (++scanned > MAX_CANDIDATES) {
        break;
      }
      int d = distance(w, c.toLowerCase(Locale.ROOT), bestDistance);
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    if (best == null || bestDistance * 2 >= Math.max(word.length(), 2)) {
      return Optional.empty();
    }
    return Optional.of(best);
  }

  /**
   * Optimal-string-alignment distance between {@code a} and {@code b}, or {@code cap} when it is at
   * least {@code cap} (words longer than {@value #MAX_COMPARED_LENGTH} are only compared for
   * equality).
   */
  static int distance(String a, String b, int cap) {
    if (Math.abs(a.length() - b.length()) >= cap
        || a.length() > MAX_COMPARED_LENGTH
        || b.length() > MAX_COMPARED_LENGTH) {
      return a.equals(b) ? 0 : cap;
    }
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          v = Math.min(v, d[i - 2][j - 2] + 1);
        }
        d[i][j] = v;
      }
    }
    return Math.min(d[a.length()][b.length()], cap);
  }
}
