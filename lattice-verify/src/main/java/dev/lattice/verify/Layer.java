package dev.lattice.verify;

/** The two enforcement layers Lattice renders. */
public enum Layer {
  /** Cilium: L3/L4 network policy. */
  CILIUM,
  /** Istio ambient: ztunnel (L4 identity) and waypoints (L7). */
  ISTIO
}
