package dev.lattice.graph;

import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import java.util.List;
import java.util.Optional;

/**
 * One service as a renderer sees it: the service, the agreements where it is the callee and where
 * it is the caller, the waypoint in front of it (when some caller's traffic carries HTTP rules),
 * and the waypoint its exact-FQDN egress is routed through.
 */
public final class ServiceView {
  private final Service service;
  private final List<Agreement> inbound;
  private final List<Agreement> outbound;
  private final Waypoint waypoint;
  private final Waypoint egressWaypoint;

  ServiceView(
      Service service,
      List<Agreement> inbound,
      List<Agreement> outbound,
      Waypoint waypoint,
      Waypoint egressWaypoint) {
    this.service = service;
    this.inbound = java.util.Collections.unmodifiableList(inbound);
    this.outbound = java.util.Collections.unmodifiableList(outbound);
    this.waypoint = waypoint;
    this.egressWaypoint = egressWaypoint;
  }

  /** The service. */
  public Service service() {
    return service;
  }

  /** Its id. */
  public ServiceId id() {
    return service.id();
  }

  /** Agreements where it is the callee, sorted by caller (peer traffic included). */
  public List<Agreement> inbound() {
    return inbound;
  }

  /** Agreements where it is the caller, sorted by callee (peer traffic included). */
  public List<Agreement> outbound() {
    return outbound;
  }

  /**
   * The waypoint in front of it: present when it is ambient and some inbound agreement has HTTP
   * rules.
   */
  public Optional<Waypoint> waypoint() {
    return Optional.ofNullable(waypoint);
  }

  /** Whether it sits behind a waypoint. */
  public boolean isBehindWaypoint() {
    return waypoint != null;
  }

  /**
   * The namespace waypoint its exact-FQDN egress goes through (ambient services with such egress).
   */
  public Optional<Waypoint> egressWaypoint() {
    return Optional.ofNullable(egressWaypoint);
  }

  @Override
  public String toString() {
    return service.id() + " (in " + inbound.size() + ", out " + outbound.size() + ")";
  }
}
