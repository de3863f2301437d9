package dev.lattice.spec;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** Small text helpers for messages: abbreviation and "did you mean" suggestions. */
final class Texts {
  private static final int MAX_SHOWN = 60;

  private Texts() {}

  /** {@code text} shortened to fit a message, with control characters made visible. */
  static String abbreviate(String text) {
    StringBuilder sb = new StringBuilder();
    int n = Math.min(text.length(), MAX_SHOWN);
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c < ' ' || c == 0x7f) {
        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    if (text.length() > MAX_SHOWN) {
      sb.append("...");
    }
    return sb.toString();
  }

  /**
   * The candidate closest to {@code word}, if it is close enough to be the likely intent of a typo:
   * at most two edits (a swap of neighbours counts as one), and fewer than half the letters.
   */
  static Optional<String> closest(String word, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    String w = word.toLowerCase(Locale.ROOT);
    for (String c : candidates) {
      int d = distance(w, c.toLowerCase(Locale.ROOT), 3);
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    if (best == null || bestDistance > 2 || bestDistance * 2 >= Math.max(word.length(), 2)) {
      return Optional.empty();
    }
    return Optional.of(best);
  }

  /** "; did you mean X?" or nothing. */
  static String didYouMean(String word, Collection<String> candidates) {
    return closest(word, candidates).map(c -> "; did you mean " + c + "?").orElse("");
  }

  /**
   * Optimal-string-alignment distance between {@code a} and {@code b}, or {@code cap} when it is at
   * least {@code cap} (long words are never compared letter by letter).
   */
  static int distance(String a, String b, int cap) {
    if (Math.abs(a.length() - b.length()) >= cap || a.length() > 64 || b.length() > 64) {
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
