package dev.lattice.verify.istio;

import java.util.Optional;

/**
 * Istio's decision at one enforcement point (a destination ztunnel or a waypoint), with the reason.
 */
public final class IstioVerdict {
  /** How Istio decided. */
  public enum Outcome {
    /** Allowed. */
    ALLOW,
    /** Denied. */
    DENY,
    /** Istio has no enforcement point here (not captured, not TCP). */
    NOT_APPLICABLE
  }

  private final Outcome outcome;
  private final String enforcementPoint;
  private final String reason;
  private final Request request;

  IstioVerdict(Outcome outcome, String enforcementPoint, String reason, Request request) {
    this.outcome = outcome;
    this.enforcementPoint = enforcementPoint;
    this.reason = reason;
    this.request = request;
  }

  /** The outcome. */
  public Outcome outcome() {
    return outcome;
  }

  /** Whether it lets the traffic through (allowed, or nothing enforces). */
  public boolean passes() {
    return outcome != Outcome.DENY;
  }

  /** Where it was decided: {@code ztunnel of shop/api-0}, {@code waypoint shop/waypoint}. */
  public String enforcementPoint() {
    return enforcementPoint;
  }

  /** Why: the policy and rule that decided, or why none did. */
  public String reason() {
    return reason;
  }

  /** The request shape judged at a waypoint (the one found, when judged existentially, A5). */
  public Optional<Request> request() {
    return Optional.ofNullable(request);
  }

  @Override
  public String toString() {
    return outcome + " at " + enforcementPoint + ": " + reason;
  }
}
