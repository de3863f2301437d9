package dev.lattice.verify.world;

/**
 * A waypoint proxy in the world: a {@code Gateway} of class {@code istio-waypoint} (or one the
 * topology assumes when gateways are not emitted), its traffic type ({@code istio.io/waypoint-for})
 * and its pod.
 */
public final class WaypointProxy {
  /** How the waypoint came to be in the world. */
  public enum Origin {
    /** From a rendered {@code Gateway} document. */
    GATEWAY,
    /** From the topology, because gateways were not to be emitted (deployed by the platform). */
    TOPOLOGY
  }

  private final String namespace;
  private final String name;
  private final String waypointFor;
  private final Peer pod;
  private final Origin origin;

  WaypointProxy(String namespace, String name, String waypointFor, Peer pod, Origin origin) {
    this.namespace = namespace;
    this.name = name;
    this.waypointFor = waypointFor;
    this.pod = pod;
    this.origin = origin;
  }

  /** The Gateway's namespace. */
  public String namespace() {
    return namespace;
  }

  /** The Gateway's name, also its pods' service account. */
  public String name() {
    return name;
  }

  /**
   * The {@code istio.io/waypoint-for} value: {@code service} (default), {@code workload}, {@code
   * all} or {@code none}.
   */
  public String waypointFor() {
    return waypointFor;
  }

  /** Whether it takes traffic addressed to Services (waypoint-for service or all, M2). */
  public boolean servesServices() {
    return "service".equals(waypointFor) || "all".equals(waypointFor);
  }

  /** Its pod. */
  public Peer pod() {
    return pod;
  }

  /** Where it came from. */
  public Origin origin() {
    return origin;
  }

  @Override
  public String toString() {
    return "waypoint " + namespace + "/" + name;
  }
}
