package dev.lattice.verify.world;

import static dev.lattice.verify.world.World.INGRESS_USE_WAYPOINT;
import static dev.lattice.verify.world.World.USE_WAYPOINT;
import static dev.lattice.verify.world.World.USE_WAYPOINT_NAMESPACE;
import static dev.lattice.verify.world.World.WAYPOINT_FOR;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which waypoint, if any, traffic passes, by how it is addressed (SEMANTICS M2): to a Service or a
 * ServiceEntry host (M2 (a)), to a pod itself (M2 (b)), or from an ingress gateway (R5). Each
 * answer carries its reason, for explanations.
 */
final class WaypointBindings {
  private WaypointBindings() {}

  /**
   * Whether traffic from an Istio gateway addressed to {@code service} passes its waypoint: the
   * Service must have one (M2 (a)), and the gateway sends to it only when the Service, else its
   * namespace, carries {@code istio.io/ingress-use-waypoint} with a true value ({@code
   * strconv.ParseBool}); otherwise the gateway sends to the pods itself (R5; pilot's {@code
   * findServiceWaypoint} in {@code pilot/pkg/xds/endpoints/endpoint_builder.go}).
   */
  static WaypointBinding gateway(World world, KubeService service) {
    WaypointBinding b = service(world, service);
    if (b.waypoint().isEmpty()) {
      return b;
    }
    String value = service.labels().get(INGRESS_USE_WAYPOINT);
    String source = "Service " + service.id();
    if (value == null) {
      value = world.namespaceLabels(service.namespace()).get(INGRESS_USE_WAYPOINT);
      source = "namespace " + service.namespace();
    }
    if (value == null) {
      return new WaypointBinding(
          null,
          b.reason()
              + ", but an ingress gateway skips it: no "
              + INGRESS_USE_WAYPOINT
              + " label on Service "
              + service.id()
              + " or its namespace, so the gateway sends to the pods itself (R5)");
    }
    if (!List.of("1", "t", "T", "TRUE", "true", "True").contains(value)) {
      return new WaypointBinding(
          null,
          b.reason()
              + ", but an ingress gateway skips it: "
              + source
              + " has "
              + INGRESS_USE_WAYPOINT
              + "="
              + value
              + ", which is not true (R5)");
    }
    return new WaypointBinding(
        b.waypoint().get(),
        b.reason() + ", and " + source + " has " + INGRESS_USE_WAYPOINT + "=" + value);
  }

  /**
   * Whether traffic addressed to the pod {@code pod} itself (its IP, a headless Service) passes a
   * waypoint (M2 (b)): the pod's {@code istio.io/use-waypoint} label, else its namespace's, names a
   * waypoint that takes workload traffic ({@code istio.io/waypoint-for} workload or all).
   */
  static WaypointBinding workload(World world, Peer pod) {
    String name = pod.labels().get(USE_WAYPOINT);
    String source = "pod " + pod.name();
    String wpNs = pod.labels().getOrDefault(USE_WAYPOINT_NAMESPACE, pod.namespace());
    if (name == null) {
      Map<String, String> nsl = world.namespaceLabels(pod.namespace());
      name = nsl.get(USE_WAYPOINT);
      wpNs = nsl.getOrDefault(USE_WAYPOINT_NAMESPACE, pod.namespace());
      source = "namespace " + pod.namespace();
    }
    if (name == null || "none".equals(name)) {
      return new WaypointBinding(
          null, "no waypoint for workload traffic on " + pod.name() + " or its namespace");
    }
    Optional<WaypointProxy> w = world.waypoint(wpNs, name);
    if (w.isEmpty()
        || !("workload".equals(w.get().waypointFor()) || "all".equals(w.get().waypointFor()))) {
      return new WaypointBinding(
          null,
          source
              + " names waypoint "
              + wpNs
              + "/"
              + name
              + (w.isEmpty()
                  ? ", which does not exist"
                  : ", which takes " + WAYPOINT_FOR + "=" + w.get().waypointFor() + " traffic")
              + ": pod-addressed traffic passes no waypoint (M2)");
    }
    return new WaypointBinding(
        w.get(), source + " has " + USE_WAYPOINT + "=" + name + " (waypoint-for workload traffic)");
  }

  /**
   * Whether traffic addressed to {@code service} passes a waypoint (M2 (a)): the Service's {@code
   * istio.io/use-waypoint} label, else its namespace's, names a waypoint that exists and takes
   * service traffic ({@code istio.io/waypoint-for} service or all).
   */
  static WaypointBinding service(World world, KubeService service) {
    return binding(world, "Service " + service.id(), service.namespace(), service.labels());
  }

  /**
   * Whether traffic to a ServiceEntry's host passes a waypoint: its own label, else its
   * namespace's.
   */
  static WaypointBinding serviceEntry(World world, MeshServiceEntry entry) {
    return binding(
        world,
        "ServiceEntry " + entry.namespace() + "/" + entry.name(),
        entry.namespace(),
        entry.labels());
  }

  private static WaypointBinding binding(
      World world, String what, String namespace, Map<String, String> labels) {
    String name = labels.get(USE_WAYPOINT);
    String source = what;
    String wpNs = labels.getOrDefault(USE_WAYPOINT_NAMESPACE, namespace);
    if (name == null) {
      Map<String, String> nsl = world.namespaceLabels(namespace);
      name = nsl.get(USE_WAYPOINT);
      wpNs = nsl.getOrDefault(USE_WAYPOINT_NAMESPACE, namespace);
      source = "namespace " + namespace;
    }
    if (name == null) {
      return new WaypointBinding(
          null,
          "no "
              + USE_WAYPOINT
              + " label on "
              + what
              + " or its namespace: no waypoint on the path");
    }
    if ("none".equals(name)) {
      return new WaypointBinding(
          null, source + " opts out of waypoints (" + USE_WAYPOINT + "=none)");
    }
    Optional<WaypointProxy> w = world.waypoint(wpNs, name);
    if (w.isEmpty()) {
      return new WaypointBinding(
          null,
          source
              + " names waypoint "
              + wpNs
              + "/"
              + name
              + ", which does not exist: no waypoint on the path");
    }
    if (!w.get().servesServices()) {
      return new WaypointBinding(
          null,
          source
              + " names waypoint "
              + wpNs
              + "/"
              + name
              + ", which takes "
              + WAYPOINT_FOR
              + "="
              + w.get().waypointFor()
              + " traffic only: no waypoint on the path");
    }
    return new WaypointBinding(
        w.get(),
        source
            + " has "
            + USE_WAYPOINT
            + "="
            + name
            + (wpNs.equals(namespace) ? "" : " in " + wpNs)
            + " (waypoint-for "
            + w.get().waypointFor()
            + ")");
  }
}
