package dev.lattice.verify;

/** One layer's answer for a connection. */
public enum Decision {
  /** The layer lets it through. */
  ALLOW,
  /** The layer stops it. */
  DENY,
  /**
   * The layer has no enforcement point on this path (e.g. Istio for UDP or a non-mesh destination).
   */
  N_A
}
