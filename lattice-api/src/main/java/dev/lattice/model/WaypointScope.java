package dev.lattice.model;

/** How many waypoints serve the services that need one. */
public enum WaypointScope {
  /** One shared waypoint per namespace (the default). */
  NAMESPACE,
  /** One waypoint per service: keeps L4 exact per pair, at the cost of a proxy per service. */
  SERVICE
}
