package dev.lattice.graph;

import dev.lattice.model.ServiceId;
import java.util.List;
import java.util.Set;

/**
 * The result of {@link Topology#update}: the next topology, and what the change touched — the
 * services whose views (agreements, peers' facts, waypoints) may differ, and the namespaces whose
 * shared resources (waypoints, egress) may differ. Re-rendering those is enough to bring a rendered
 * manifest up to date.
 */
public final class TopologyUpdate {
  private final Topology previous;
  private final Topology next;
  private final Set<ServiceId> affectedServices;
  private final Set<String> affectedNamespaces;
  private final Set<ServiceId> changedServices;
  private final Set<ServiceId> removedServices;
  private volatile Set<ServiceId> toRender;

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
   * The services the change added or replaced (the upserts): their own facts (selector, mesh mode,
   * identity, ports) may differ, so everything rendered from those facts may too.
   */
  public Set<ServiceId> changedServices() {
    return changedServices;
  }

  /**
   * The services whose rendered resources can differ, worked out from exactly what renderers read:
   * the service itself (when changed), its view (agreements either way, the waypoint in front of
   * it, its egress waypoint), the pods, identity, mesh mode and role (selector, service account,
   * mesh, gateway) of its agreement partners, and the waypoints in front of its callees. A subset
   * of {@link #affectedServices()}, which also holds peers whose declarations changed in ways no
   * renderer reads: a scraper that every service admits is affected by every change, but needs a
   * re-render only when its own agreements or a partner's pods or identity change. Removed services
   * are not included.
   */
  public Set<ServiceId> servicesToRender() {
    Set<ServiceId> s = toRender;
    if (s == null) {
      toRender = s = Set.copyOf(computeServicesToRender());
    }
    return s;
  }

  private Set<ServiceId> computeServicesToRender() {
    State a = previous.state();
    State b = next.state();
    Set<ServiceId> out = new java.util.TreeSet<>();
    Set<ServiceId> partnersOf = new java.util.HashSet<>(removedServices);
    for (ServiceId id : changedServices) {
      Node was = a.nodes.get(id);
      Node now = b.nodes.get(id);
      out.add(id);
      if (was != null && now != null && !sameFacts(was.service, now.service)) {
        partnersOf.add(id);
      }
    }
    Set<ServiceId> moved = new java.util.HashSet<>();
    for (ServiceId id : affectedServices) {
      if (!b.nodes.containsKey(id)) {
        continue;
      }
      State.Results ra = a.results.getOrDefault(id, State.Results.NONE);
      State.Results rb = b.results.getOrDefault(id, State.Results.NONE);
      List<Agreement> ia = a.inbound.getOrDefault(id, List.of());
      List<Agreement> ib = b.inbound.getOrDefault(id, List.of());
      boolean waypointMoved =
          !sameWaypoint(fronting(a, id), fronting(b, id))
              || !sameWaypoint(egressWaypoint(a, id), egressWaypoint(b, id));
      if (waypointMoved) {
        moved.add(id);
      }
      if (waypointMoved
          || (ra.asCaller != rb.asCaller && !ra.asCaller.equals(rb.asCaller))
          || (ia != ib && !ia.equals(ib))) {
        out.add(id);
      }
    }
    // a partner's pods or identity appear in a service's policies; a callee's waypoint in its
    // callers' routes
    for (State st : List.of(a, b)) {
      for (ServiceId x : partnersOf) {
        for (Agreement ag : st.inbound.getOrDefault(x, List.of())) {
          out.add(ag.caller());
        }
        for (Agreement ag : st.results.getOrDefault(x, State.Results.NONE).asCaller) {
          out.add(ag.callee());
        }
      }
      for (ServiceId x : moved) {
        for (Agreement ag : st.inbound.getOrDefault(x, List.of())) {
          out.add(ag.caller());
        }
      }
    }
    out.removeIf(id -> !b.nodes.containsKey(id));
    return out;
  }

  /** Whether renderers see the same service when they look at it as a peer. */
  private static boolean sameFacts(dev.lattice.model.Service x, dev.lattice.model.Service y) {
    // a gateway's callees list the label that lets it through their waypoint (R5)
    return x.selector().equals(y.selector())
        && x.serviceAccount().equals(y.serviceAccount())
        && x.mesh() == y.mesh()
        && x.isGateway() == y.isGateway();
  }

  private static Waypoint fronting(State s, ServiceId id) {
    return s.namespaces.getOrDefault(id.namespace(), State.NamespaceResult.NONE).fronting.get(id);
  }

  private static Waypoint egressWaypoint(State s, ServiceId id) {
    Node n = s.nodes.get(id);
    if (n == null
        || !n.service.isAmbient()
        || n.service.egress().stream().noneMatch(dev.lattice.model.Egress::isMeshRouted)) {
      return null;
    }
    return s.namespaces.getOrDefault(id.namespace(), State.NamespaceResult.NONE).egressWaypoint();
  }

  /** Same waypoint as far as a policy names it: namespace and name (its services may differ). */
  private static boolean sameWaypoint(Waypoint x, Waypoint y) {
    return x == null
        ? y == null
        : y != null && x.namespace().equals(y.namespace()) && x.name().equals(y.name());
  }

  /** The services the change removed that were in {@link #previous()}. */
  public Set<ServiceId> removedServices() {
    return removedServices;
  }
}
