package dev.lattice.verify.world;

import java.util.Optional;

/**
 * Whether traffic addressed to a Service (or ServiceEntry host) passes a waypoint, and why
 * (SEMANTICS M2).
 */
public final class WaypointBinding {
  private final WaypointProxy waypoint;
  private final String reason;

  WaypointBinding(WaypointProxy waypoint, String reason) {
    this.waypoint = waypoint;
    this.reason = reason;
  }

  /** The waypoint on the path, if any. */
  public Optional<WaypointProxy> waypoint() {
    return Optional.ofNullable(waypoint);
  }

  /** Why: which label named it, or why no waypoint applies. */
  public String reason() {
    return reason;
  }

  @Override
  public String toString() {
    return reason;
  }
}
