package dev.lattice.model;

/** Which way a declaration goes, seen from the service that declares it. */
public enum Direction {
  /** I call the peer. */
  OUTBOUND,
  /** The peer may call me. */
  INBOUND,
  /** Both of the above. */
  BOTH;

  /** Whether this direction includes calling the peer. */
  public boolean isOutbound() {
    return this != INBOUND;
  }

  /** Whether this direction includes being called by the peer. */
  public boolean isInbound() {
    return this != OUTBOUND;
  }
}
