package dev.lattice.graph;

import java.util.Set;

/** The did-you-mean hint of an unknown-service diagnostic. */
final class Closest {
  private Closest() {}

  /** The known name within edit distance 2 of {@code name}, if one is clearly closest. */
  static String among(String name, Set<String> known) {
    String best = null;
    int bestDistance = 3;
    int scanned = 0;
    for (String k : known) {
      if (++scanned > 2000) {
        break;
      }
      if (Math.abs(k.length() - name.length()) >= bestDistance) {
        continue;
      }
      int d = distance(name, k);
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    return best;
  }

  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
