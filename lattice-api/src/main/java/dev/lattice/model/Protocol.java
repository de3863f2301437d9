package dev.lattice.model;

/** The transport protocol of a port or an egress rule. */
public enum Protocol {
  TCP,
  UDP,
  SCTP;

  /** Whether the ambient mesh captures this protocol (only TCP is redirected to ztunnel). */
  public boolean isMeshCaptured() {
    return this == TCP;
  }
}
