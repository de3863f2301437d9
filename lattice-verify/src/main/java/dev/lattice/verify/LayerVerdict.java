package dev.lattice.verify;

import java.util.List;

/** One layer's verdict on a connection: the decision, the deciding reason, and every step. */
public final class LayerVerdict {
  private final Decision decision;
  private final String reason;
  private final List<Step> steps;

  LayerVerdict(Decision decision, String reason, List<Step> steps) {
    this.decision = decision;
    this.reason = reason;
    this.steps = List.copyOf(steps);
  }

  /** The decision. */
  public Decision decision() {
    return decision;
  }

  /** Whether the layer lets the connection through (allowed, or not applicable). */
  public boolean passes() {
    return decision != Decision.DENY;
  }

  /**
   * The deciding reason: the step that denied, or what allowed it, or why the layer does not apply.
   */
  public String reason() {
    return reason;
  }

  /** Every step the layer checked, in path order. */
  public List<Step> steps() {
    return steps;
  }

  @Override
  public String toString() {
    return decision + ": " + reason;
  }
}
