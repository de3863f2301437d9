package dev.lattice.verify.replay;

import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** How often a connection was seen, from which line, with which Hubble verdicts. */
final class Seen {
  long flows;
  final long firstLine;
  final String sample;
  final Map<String, Long> verdicts = new HashMap<>(4);

  Seen(long firstLine, String sample) {
    this.firstLine = firstLine;
    this.sample = sample;
  }

  void add(String verdict) {
    flows++;
    verdicts.merge(verdict.isEmpty() ? "VERDICT_UNKNOWN" : verdict, 1L, Long::sum);
  }

  SortedMap<String, Long> observed() {
    return new TreeMap<>(verdicts);
  }
}
