package dev.lattice.model;

/** Whether a service's pods are enrolled in the Istio ambient mesh. */
public enum MeshMode {
  /** Enrolled: captured by ztunnel, with a SPIFFE identity; the default. */
  AMBIENT,
  /** Not enrolled: only the L4 (Cilium) layer applies to it. */
  NONE
}
