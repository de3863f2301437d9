package dev.lattice.verify.cilium;

/**
 * Cilium's decision on one hop: the sender's egress side and the receiver's ingress side, each with
 * the reason, and the hop passes only when both allow it (SEMANTICS C3).
 */
public final class CiliumVerdict {
  /** How one side decided. */
  public enum Outcome {
    /** A rule allowed it, or the side is not in default deny. */
    ALLOWED,
    /** A deny rule matched, or the side is in default deny and no rule allowed it. */
    DENIED,
    /** Nothing to enforce on this side: not a Cilium endpoint (world, node, ...; C3). */
    NOT_ENFORCED
  }

  /** One side's decision. */
  public static final class Side {
    private final Outcome outcome;
    private final String reason;

    Side(Outcome outcome, String reason) {
      this.outcome = outcome;
      this.reason = reason;
    }

    /** The outcome. */
    public Outcome outcome() {
      return outcome;
    }

    /** Whether it lets the hop through. */
    public boolean passes() {
      return outcome != Outcome.DENIED;
    }

    /** Why: the policy, rule and element that allowed or denied it, or why none did. */
    public String reason() {
      return reason;
    }

    @Override
    public String toString() {
      return outcome + ": " + reason;
    }
  }

  private final CiliumHop hop;
  private final Side egress;
  private final Side ingress;

  CiliumVerdict(CiliumHop hop, Side egress, Side ingress) {
    this.hop = hop;
    this.egress = egress;
    this.ingress = ingress;
  }

  /** The hop. */
  public CiliumHop hop() {
    return hop;
  }

  /** The sender's egress decision. */
  public Side egress() {
    return egress;
  }

  /** The receiver's ingress decision. */
  public Side ingress() {
    return ingress;
  }

  /** Whether the hop passes: both sides let it through. */
  public boolean allowed() {
    return egress.passes() && ingress.passes();
  }

  /** The deciding reason: the first side that denies, else both sides' reasons. */
  public String reason() {
    if (!egress.passes()) {
      return egress.reason();
    }
    if (!ingress.passes()) {
      return ingress.reason();
    }
    return egress.reason() + "; " + ingress.reason();
  }

  @Override
  public String toString() {
    return hop + ": " + (allowed() ? "ALLOW" : "DENY") + " (" + reason() + ")";
  }
}
