package dev.lattice.verify;

/**
 * One thing a layer checked on a connection's path: a packet hop, a DNS lookup, a proxy's decision.
 */
public final class Step {
  /** What kind of check. */
  public enum Kind {
    /** An L3/L4 hop Cilium sees. */
    HOP,
    /** A DNS lookup through kube-dns (Cilium's DNS policy). */
    DNS,
    /** Something the path needs to work at all, e.g. a waypoint reaching istiod. */
    PRECONDITION,
    /** The destination ztunnel's authorization. */
    ZTUNNEL,
    /** A waypoint's authorization. */
    WAYPOINT,
    /** A fact about the path that checks nothing (e.g. DNS answered in-pod by ztunnel). */
    NOTE
  }

  private final Kind kind;
  private final String description;
  private final Decision decision;
  private final String reason;
  private final String summary;

  Step(Kind kind, String description, Decision decision, String reason) {
    this(kind, description, decision, reason, reason.replace("\n", "; "));
  }

  Step(Kind kind, String description, Decision decision, String reason, String summary) {
    this.kind = kind;
    this.description = description;
    this.decision = decision;
    this.reason = reason;
    this.summary = summary;
  }

  /** The deciding part of the reason, on one line. */
  String summary() {
    return summary;
  }

  /** The kind. */
  public Kind kind() {
    return kind;
  }

  /** What was checked: {@code shop/web-0 -> shop/api-0 TCP 15008}. */
  public String description() {
    return description;
  }

  /** The decision. */
  public Decision decision() {
    return decision;
  }

  /** Why. */
  public String reason() {
    return reason;
  }

  @Override
  public String toString() {
    return "[" + decision + "] " + description + ": " + reason;
  }
}
