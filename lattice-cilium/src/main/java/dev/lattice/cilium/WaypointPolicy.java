package dev.lattice.cilium;

import dev.lattice.graph.Agreement;
import dev.lattice.graph.ServiceView;
import dev.lattice.graph.Topology;
import dev.lattice.graph.Waypoint;
import dev.lattice.model.Egress;
import dev.lattice.model.Port;
import dev.lattice.model.Protocol;
import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import dev.lattice.model.Settings;
import dev.lattice.model.WaypointScope;
import dev.lattice.output.Resource;
import java.util.List;
import java.util.Map;

/**
 * The CiliumNetworkPolicy of one waypoint (DESIGN §6). A waypoint is an ordinary pod to Cilium, not
 * captured by ztunnel, labelled with its Gateway's name (M2): it takes HBONE on 15008 from the mesh
 * callers of the services behind it and forwards HBONE to their pods, talks to istiod ({@link
 * ControlPlane}), and, when it carries the namespace's exact-FQDN egress, resolves and dials those
 * hosts itself (M4). Callers whose agreements say they dial pod addresses never reach it (R5).
 */
final class WaypointPolicy {
  private WaypointPolicy() {}

  static List<Resource> render(
      Topology topology, Waypoint waypoint, CiliumOptions options, Peers peers) {
    Settings settings = topology.settings();
    RuleSet rules = new RuleSet();
    for (ServiceId id : waypoint.services()) {
      ServiceView view = ServicePolicy.view(topology, id);
      Service callee = view.service();
      for (Agreement a : view.inbound()) {
        if (a.byPodIp()) {
          continue; // it dials the pods, never this waypoint (R5)
        }
        Service caller = ServicePolicy.peer(topology, a.caller());
        for (Port p : a.ports()) {
          if (ServicePolicy.isHbone(caller, callee, p)) {
            rules.allowIngress(peers.pods(caller), L4Port.HBONE);
            break;
          }
        }
      }
      // The callee admits these pods on 15008 in place of its mesh callers (ServicePolicy).
      rules.allowEgress(peers.pods(callee), L4Port.HBONE);
    }
    DnsNames dns =
        new DnsNames(waypoint.namespace(), settings.clusterDomain(), options.nodeSearchDomains());
    if (waypoint.routesEgress()) {
      for (Service s : topology.services(waypoint.namespace())) {
        // the service's own facts first: most have no mesh-routed egress, and a view per service
        // of the namespace was most of an incremental render of this policy
        if (!s.isAmbient() || !routesExactFqdn(s)) {
          continue;
        }
        ServiceView view = ServicePolicy.view(topology, s.id());
        if (!view.egressWaypoint().map(waypoint::equals).orElse(false)) {
          continue;
        }
        boolean routed = false;
        for (Egress e : s.egress()) {
          if (e.isExactFqdn() && e.protocol() == Protocol.TCP) {
            routed = true;
            // The waypoint resolves ServiceEntry hosts itself (not captured, M4), so its own
            // toFQDNs learns the addresses, and its lookups need rules.dns (C13).
            dns.fqdn(e.target().value());
            for (int port : e.ports()) {
              rules.allowEgress(Peer.fqdn(e.target().value()), new L4Port(port, e.protocol()));
            }
          }
        }
        if (routed) {
          rules.allowIngress(peers.pods(s), L4Port.HBONE);
        }
      }
    }
    ControlPlane.allow(settings, rules, dns);
    rules.allowDns(ServicePolicy.kubeDns(settings), dns);
    return Documents.namespaced(
        waypoint.namespace(),
        waypoint.name(),
        owner(settings, waypoint),
        Map.of(Peer.GATEWAY_NAME_LABEL, waypoint.name()),
        rules,
        options.maxDocumentBytes());
  }

  /** Whether {@code s} has exact-FQDN TCP egress: what the mesh route carries. */
  private static boolean routesExactFqdn(Service s) {
    for (Egress e : s.egress()) {
      if (e.isExactFqdn() && e.protocol() == Protocol.TCP) {
        return true;
      }
    }
    return false;
  }

  /** The service a per-service waypoint belongs to; null for a shared one. */
  private static String owner(Settings settings, Waypoint waypoint) {
    if (settings.waypointScope() != WaypointScope.SERVICE
        || waypoint.routesEgress()
        || waypoint.services().size() != 1) {
      return null;
    }
    String service = waypoint.services().get(0).name();
    return settings.serviceWaypointName(service).equals(waypoint.name()) ? service : null;
  }
}
