package dev.lattice.cilium;

import java.util.ArrayList;
import java.util.List;

/**
 * The seeds of this module's property suites: {@code -Dlattice.seed=N} replays one, {@code
 * -Dlattice.tries=N} sets how many run; the same fixed list otherwise, so CI is reproducible.
 */
final class PropertySeeds {
  private PropertySeeds() {}

  static List<Long> list(int defaultTries) {
    String replay = System.getProperty("lattice.seed", "");
    if (!replay.isBlank()) {
      return List.of(Long.parseLong(replay.trim()));
    }
    String t = System.getProperty("lattice.tries", "");
    int tries = t.isBlank() ? defaultTries : Integer.parseInt(t.trim());
    List<Long> out = new ArrayList<>();
    for (long s = 1; s <= tries; s++) {
      out.add(s * 0x9E3779B97F4A7C15L);
    }
    return out;
  }
}
