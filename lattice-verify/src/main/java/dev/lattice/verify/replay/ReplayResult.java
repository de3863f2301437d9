package dev.lattice.verify.replay;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * What a {@link Replay} found: the observed connections the rendered policies would drop, those
 * between services that declare nothing about each other, the agreements no flow used, what lies
 * outside the graph, and the counts of what was read and stepped over. Each list is sorted.
 */
public final class ReplayResult {
  private final String source;
  private final long lines;
  private final long flows;
  private final long attempts;
  private final SortedMap<String, Long> skipped;
  private final List<Observation> dropped;
  private final List<Observation> undeclared;
  private final List<Observation> unused;
  private final List<Observation> outside;
  private final List<Observation> allowed;

  ReplayResult(
      String source,
      long lines,
      long flows,
      long attempts,
      SortedMap<String, Long> skipped,
      List<Observation> dropped,
      List<Observation> undeclared,
      List<Observation> unused,
      List<Observation> outside,
      List<Observation> allowed) {
    this.source = source;
    this.lines = lines;
    this.flows = flows;
    this.attempts = attempts;
    this.skipped = skipped;
    this.dropped = sorted(dropped);
    this.undeclared = sorted(undeclared);
    this.unused = sorted(unused);
    this.outside = sorted(outside);
    this.allowed = sorted(allowed);
  }

  private static List<Observation> sorted(List<Observation> list) {
    return list.stream().sorted(Observation.ORDER).toList();
  }

  /** The name of what was read. */
  public String source() {
    return source;
  }

  /** The lines read. */
  public long lines() {
    return lines;
  }

  /** The flows among them (lines holding a flow). */
  public long flows() {
    return flows;
  }

  /** The flows that are connection attempts (not replies, not later packets of a connection). */
  public long attempts() {
    return attempts;
  }

  /** The flows stepped over, counted by why (replies, DNS lookups, ICMP, ...). */
  public Map<String, Long> skipped() {
    return skipped;
  }

  /** Observed, and the rendered policies would deny it. */
  public List<Observation> dropped() {
    return dropped;
  }

  /** Observed between two services where neither declares the other, with what both should add. */
  public List<Observation> undeclared() {
    return undeclared;
  }

  /** Agreements (per port) and egress declarations no observed flow used. */
  public List<Observation> unused() {
    return unused;
  }

  /** Observed with an end the graph does not declare (another namespace's pod, ...). */
  public List<Observation> outside() {
    return outside;
  }

  /** Observed and allowed by both layers. */
  public List<Observation> allowed() {
    return allowed;
  }

  @Override
  public String toString() {
    return "ReplayResult("
        + attempts
        + " attempts: "
        + dropped.size()
        + " dropped, "
        + undeclared.size()
        + " undeclared, "
        + unused.size()
        + " unused, "
        + outside.size()
        + " outside)";
  }
}
