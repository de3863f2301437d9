package dev.lattice.istio;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.graph.Agreement;
import dev.lattice.graph.ServiceView;
import dev.lattice.graph.Topology;
import dev.lattice.graph.Waypoint;
import dev.lattice.istio.AllowRules.Operation;
import dev.lattice.model.PeerAuth;
import dev.lattice.model.Port;
import dev.lattice.model.Service;
import dev.lattice.model.Settings;
import dev.lattice.model.WaypointScope;
import dev.lattice.output.RequiredLabel;
import dev.lattice.output.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The resources that belong to one ambient service: its ztunnel policy ({@code selector}), its
 * waypoint policy ({@code targetRefs} to its Service) when it sits behind a waypoint, its
 * PeerAuthentication when it has PERMISSIVE ports, and its own waypoint Gateway under waypoint
 * scope SERVICE. Reads the service's view, and the topology only to look up its callers' mesh mode
 * and service account.
 *
 * <p>Only TCP matters here: ambient captures nothing else, so UDP and SCTP ports never reach
 * ztunnel or a waypoint and are governed by the L4 layer alone (SEMANTICS M3). A UDP port in an
 * Istio port list would be misleading at best: its number could be a TCP port of the same pod.
 */
final class ServicePolicies {
  private ServicePolicies() {}

  /** The resources of {@code view}'s service; none for a service outside the mesh. */
  static List<Resource> render(Topology topology, ServiceView view) {
    Settings settings = topology.settings();
    Service service = view.service();
    if (!applies(settings, service)) {
      return List.of();
    }
    String ns = service.namespace();
    String name = service.name();
    List<Resource> out = new ArrayList<>();
    AllowRules ztunnel = new AllowRules();
    Waypoint waypoint = view.waypoint().orElse(null);
    if (waypoint == null) {
      // IZ6: ztunnel compares the pod's (target) ports; IZ3: no HTTP attribute may appear here.
      for (Agreement a : view.inbound()) {
        Service caller = caller(topology, a);
        if (caller.isAmbient()) {
          ztunnel.allow(principal(settings, caller), tcpPorts(a, Port::targetPort), List.of());
        }
      }
    } else {
      // The waypoint sees the caller's identity and the request (IW2) and compares Service
      // ports (IW4); it only enforces policies attached by targetRefs (IW1).
      AllowRules l7 = new AllowRules();
      TreeSet<Integer> viaWaypoint = new TreeSet<>();
      for (Agreement a : view.inbound()) {
        Service caller = caller(topology, a);
        if (!caller.isAmbient()) {
          continue;
        }
        if (a.byPodIp()) {
          // R5: a caller that dials the pods never passes the waypoint; the pods' ztunnel sees its
          // own identity, on container ports (IZ6). Its agreement has no HTTP rules to lose.
          ztunnel.allow(principal(settings, caller), tcpPorts(a, Port::targetPort), List.of());
          continue;
        }
        l7.allow(principal(settings, caller), tcpPorts(a, Port::port), Operation.of(a.httpRules()));
        viaWaypoint.addAll(tcpPorts(a, Port::targetPort));
      }
      out.addAll(
          l7.policies(
              ns,
              name + "-waypoint",
              name,
              spec -> Documents.targetRef(spec, "", "Service", name)));
      // IZ5: behind the waypoint, the pod's ztunnel sees the waypoint's identity, and only it
      // may pass; a caller that bypasses the waypoint (R5) is denied here.
      ztunnel.allow(
          settings.principal(waypoint.namespace(), waypoint.serviceAccount()),
          viaWaypoint,
          List.of());
      if (settings.emitWaypointGateways() && isOwnWaypoint(settings, view, waypoint)) {
        out.add(Documents.gateway(waypoint.namespace(), waypoint.name(), name));
      }
    }
    ztunnel.allowPlaintext(plaintextPorts(topology, view));
    out.addAll(
        ztunnel.policies(
            ns, name + "-ztunnel", name, spec -> Documents.selector(spec, service.selector())));
    TreeSet<Integer> permissive =
        targetPorts(service.ports(), p -> p.peerAuth() == PeerAuth.PERMISSIVE);
    if (!permissive.isEmpty()) {
      out.add(peerAuthentication(service, permissive));
    }
    return out;
  }

  /**
   * The label the service's Kubernetes Service needs so its traffic takes the waypoint (M2), if it
   * sits behind one.
   */
  static List<RequiredLabel> requiredLabels(Topology topology, ServiceView view) {
    Service service = view.service();
    if (!applies(topology.settings(), service) || view.waypoint().isEmpty()) {
      return List.of();
    }
    Waypoint waypoint = view.waypoint().get();
    List<RequiredLabel> out = new ArrayList<>(2);
    out.add(
        RequiredLabel.of(
            "Service",
            service.namespace(),
            service.name(),
            Documents.USE_WAYPOINT,
            waypoint.name(),
            "its HTTP rules are enforced by the waypoint "
                + waypoint
                + "; until the label is applied, calls bypass the waypoint and its pods deny them"
                + " (fail closed)"));
    TreeSet<String> gateways = new TreeSet<>();
    for (Agreement a : view.inbound()) {
      Service caller = caller(topology, a);
      if (caller.isGateway()
          && caller.isAmbient()
          && !a.byPodIp()
          && !tcpPorts(a, Port::port).isEmpty()) {
        gateways.add(caller.id().toString());
      }
    }
    if (!gateways.isEmpty()) {
      // R5: an Istio gateway sends to a Service's waypoint only when the Service (or else its
      // namespace) says so; otherwise it dials the pods, whose ztunnel admits only the waypoint
      // (pilot/pkg/xds/endpoints/endpoint_builder.go, findServiceWaypoint)
      out.add(
          RequiredLabel.of(
              "Service",
              service.namespace(),
              service.name(),
              Documents.INGRESS_USE_WAYPOINT,
              "true",
              "the gateway "
                  + String.join(", ", gateways)
                  + " calls it, and a gateway takes the waypoint "
                  + waypoint
                  + " only when the Service carries this label; until it is applied, the"
                  + " gateway's calls skip the waypoint and its pods deny them (fail closed)"));
    }
    return out;
  }

  /**
   * Whether the Istio layer covers {@code service}: ambient, and not in Istio's root namespace,
   * where a {@code selector} policy would select matching pods in every namespace (I6) and workload
   * PeerAuthentications are ignored by ambient. Such a service stays under the mesh-wide
   * allow-nothing policy: it fails closed.
   */
  static boolean applies(Settings settings, Service service) {
    return service.isAmbient() && !service.namespace().equals(settings.rootNamespace());
  }

  /**
   * Whether {@code waypoint} is this service's alone (waypoint scope SERVICE), so its Gateway
   * belongs with the service's resources rather than with the namespace's.
   */
  static boolean isOwnWaypoint(Settings settings, ServiceView view, Waypoint waypoint) {
    return settings.waypointScope() == WaypointScope.SERVICE
        && !waypoint.routesEgress()
        && waypoint.services().equals(List.of(view.id()));
  }

  /**
   * Target ports where plaintext (identity-less) clients may connect: PERMISSIVE TCP ports that a
   * non-mesh caller has an agreement on or that are exposed outside the graph.
   */
  private static TreeSet<Integer> plaintextPorts(Topology topology, ServiceView view) {
    TreeSet<String> agreedByNonMesh = new TreeSet<>();
    for (Agreement a : view.inbound()) {
      if (!caller(topology, a).isAmbient()) {
        a.ports().forEach(p -> agreedByNonMesh.add(p.name()));
      }
    }
    return targetPorts(
        view.service().ports(),
        p ->
            p.peerAuth() == PeerAuth.PERMISSIVE
                && (!p.exposedTo().isEmpty() || agreedByNonMesh.contains(p.name())));
  }

  /**
   * PERMISSIVE on the given target ports, STRICT on the rest of the pod: explicit, so a
   * namespace-wide PERMISSIVE PeerAuthentication someone else wrote cannot widen the other ports.
   * {@code portLevelMtls} keys are pod ports (IW4) and need a selector (CRD rule).
   */
  private static Resource peerAuthentication(Service service, TreeSet<Integer> permissive) {
    ObjectNode doc =
        Documents.document(
            Documents.SECURITY,
            Documents.PEER_AUTHENTICATION,
            service.namespace(),
            service.name() + "-mtls",
            service.name(),
            Map.of());
    ObjectNode spec = doc.putObject("spec");
    Documents.selector(spec, service.selector());
    spec.putObject("mtls").put("mode", "STRICT");
    ObjectNode ports = spec.putObject("portLevelMtls");
    permissive.forEach(p -> ports.putObject(String.valueOf(p)).put("mode", "PERMISSIVE"));
    return Resource.of(doc);
  }

  private static Service caller(Topology topology, Agreement a) {
    return topology
        .service(a.caller())
        .orElseThrow(
            () -> new IllegalStateException("agreement " + a + " names an unknown caller"));
  }

  private static String principal(Settings settings, Service s) {
    return settings.principal(s.namespace(), s.serviceAccount());
  }

  /** The agreement's TCP ports, mapped to Service ports or target ports. */
  private static TreeSet<Integer> tcpPorts(Agreement a, Function<Port, Integer> number) {
    TreeSet<Integer> out = new TreeSet<>();
    for (Port p : a.ports()) {
      if (p.protocol().isMeshCaptured()) {
        out.add(number.apply(p));
      }
    }
    return out;
  }

  private static TreeSet<Integer> targetPorts(List<Port> ports, Predicate<Port> which) {
    TreeSet<Integer> out = new TreeSet<>();
    for (Port p : ports) {
      if (p.protocol().isMeshCaptured() && which.test(p)) {
        out.add(p.targetPort());
      }
    }
    return out;
  }
}
