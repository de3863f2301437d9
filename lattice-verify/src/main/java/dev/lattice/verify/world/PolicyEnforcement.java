package dev.lattice.verify.world;

/** Cilium's policy enforcement mode (SEMANTICS C2). */
public enum PolicyEnforcement {
  /**
   * An endpoint is in default deny in a direction once a rule selects it there (C1); the default.
   */
  DEFAULT,
  /** Every endpoint is in default deny in both directions, selected or not. */
  ALWAYS,
  /** Policy is not enforced at all. */
  NEVER
}
