package dev.lattice.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * The seeds a property runs over: {@code -Dlattice.seed=N} replays exactly one; otherwise a fixed
 * list of {@code -Dlattice.tries} seeds (default 200), the same on every run so CI is reproducible.
 */
public final class Seeds {
  private Seeds() {}

  /** The seeds to run. */
  public static List<Long> list() {
    String replay = System.getProperty("lattice.seed", "");
    if (!replay.isBlank()) {
      return List.of(Long.parseLong(replay.trim()));
    }
    int tries = tries();
    List<Long> seeds = new ArrayList<>(tries);
    long x = 0x5EED_1A77_1CE5L;
    for (int i = 0; i < tries; i++) {
      x += 0x9E3779B97F4A7C15L;
      long z = x;
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      seeds.add((z ^ (z >>> 31)) & Long.MAX_VALUE);
    }
    return seeds;
  }

  /** How many seeds a property runs ({@code -Dlattice.tries}, default 200). */
  public static int tries() {
    String t = System.getProperty("lattice.tries", "");
    return t.isBlank() ? 200 : Integer.parseInt(t.trim());
  }
}
