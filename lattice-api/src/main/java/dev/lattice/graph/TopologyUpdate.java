package dev.lattice.graph;

import dev.lattice.model.ServiceId;
import java.util.Set;

/**
 * The result of {@link Topology#update}: the next topology, and what the change touched — the
 * services whose views (agreements, peers' facts, waypoints) may differ, and the namespaces whose
 * shared resources (waypoints, egress) may differ. Re-rendering those is enough to bring a
 * rendered manifest up to date.
 */
public final class TopologyUpdate {
  private final Topology previous;
  private final Topology next;
  private final Set<ServiceId> affectedServices;
  private final Set<String> affectedNamespaces;
  private final Set<ServiceId> changedServices;
  private final Set<ServiceId> removedServices;

  TopologyUpdate(
      Topology previous,
      Topology next,
      Set<ServiceId> affectedServices,
      Set<String> affectedNamespaces,
      Set<ServiceId> changedServices,
      Set<ServiceId> removedServices) {
    this.previous = previous;
    this.next = next;
    this.affectedServices = Set.copyOf(affectedServices);
    this.affectedNamespaces = Set.copyOf(affectedNamespaces);
    this.changedServices = Set.copyOf(changedServices);
    this.removedServices = Set.copyOf(removedServices);
  }

  /** The topology before the change. */
  public Topology previous() {
    return previous;
  }

  /** The topology after the change. */
  public Topology topology() {
    return next;
  }

  /**
   * Services whose rendered resources may differ: the changed ones, their peers, callees whose
   * callers changed, and callers of services that moved behind (or out from behind) a waypoint.
   * Removed services are not included (they are gone from {@link #topology()}).
   */
  public Set<ServiceId> affectedServices() {
    return affectedServices;
  }

  /** Namespaces whose waypoints or egress routing may differ. */
  public Set<String> affectedNamespaces() {
    return affectedNamespaces;
  }

  /**
   * The services the change added or replaced (the upserts): their own facts (selector, mesh
   * mode, identity, ports) may differ, so everything rendered from those facts may too.
   */
  public Set<ServiceId> changedServices() {
    return changedServices;
  }

  /** The services the change removed that were in {@link #previous()}. */
  public Set<ServiceId> removedServices() {
    return removedServices;
  }
}
