package dev.lattice.cilium;

import dev.lattice.graph.Agreement;
import dev.lattice.graph.ServiceView;
import dev.lattice.graph.Topology;
import dev.lattice.graph.Waypoint;
import dev.lattice.model.Egress;
import dev.lattice.model.Exposure;
import dev.lattice.model.Port;
import dev.lattice.model.Protocol;
import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import dev.lattice.model.Settings;
import dev.lattice.output.Resource;
import java.util.List;
import java.util.Optional;

/**
 * The CiliumNetworkPolicy of one service (DESIGN §6). It reads only the service's view and, for
 * each agreement, the peer's view (its selector, mesh mode, waypoint): hash lookups, never a scan,
 * so re-rendering one service costs its own agreements.
 */
final class ServicePolicy {
  private ServicePolicy() {}

  /**
   * The policy (in parts when it is large), or nothing when the service has no rule in either
   * direction.
   */
  static List<Resource> render(
      Topology topology, ServiceView view, CiliumOptions options, Peers peers) {
    Settings settings = topology.settings();
    Service self = view.service();
    RuleSet rules = new RuleSet();
    DnsNames dns = dnsNames(topology, self, options);
    contribute(topology, view, rules, dns, peers);
    rules.allowDns(kubeDns(settings), dns);
    // No rules, no policy: the CRD needs a rule section, and the cluster-wide default deny
    // already closes the service.
    return Documents.namespaced(
        self.namespace(),
        self.name(),
        self.name(),
        self.selector(),
        rules,
        options.maxDocumentBytes());
  }

  /** An empty name list for {@code self}'s pods. */
  static DnsNames dnsNames(Topology topology, Service self, CiliumOptions options) {
    return new DnsNames(
        self.namespace(), topology.settings().clusterDomain(), options.nodeSearchDomains());
  }

  /** Every rule and name of the policy of {@code view}, but the DNS rule itself. */
  static void contribute(
      Topology topology, ServiceView view, Rules rules, DnsNames dns, Peers peers) {
    Service self = view.service();
    Optional<Waypoint> waypoint = view.waypoint();
    for (Agreement a : view.inbound()) {
      ingress(topology, self, waypoint, a, rules, peers);
    }
    exposures(topology.settings(), self, rules);
    for (Agreement a : view.outbound()) {
      egress(topology, self, a, rules, dns, peers);
    }
    externalEgress(view, rules, dns, peers);
    if (self.isGateway() && self.isAmbient()) {
      // an Istio gateway runs on istiod's configuration and certificates, as a waypoint does
      ControlPlane.allow(topology.settings(), rules, dns);
    }
  }

  /** Whether traffic from {@code from} to {@code to} on {@code port} travels as HBONE (M1-M3). */
  static boolean isHbone(Service from, Service to, Port port) {
    // ztunnel captures only TCP, and tunnels it only between HBONE-capable (ambient) workloads;
    // everything else reaches the destination pod on its target port from the source pod's IP.
    return from.isAmbient() && to.isAmbient() && port.protocol() == Protocol.TCP;
  }

  /** The kube-dns pods, from the settings. */
  static Peer kubeDns(Settings settings) {
    KubeDns last = lastKubeDns;
    if (last == null || last.settings() != settings) {
      last =
          new KubeDns(settings, Peer.pods(settings.kubeDnsNamespace(), settings.kubeDnsSelector()));
      lastKubeDns = last;
    }
    return last.peer();
  }

  /** The kube-dns peer of one {@link Settings}: every policy with a DNS rule names it. */
  private record KubeDns(Settings settings, Peer peer) {}

  /**
   * The last settings' kube-dns peer, built once instead of per policy (its selector, sort and JSON
   * were 36 MB of the render at 50,000 services). One slot: a render reads one settings object;
   * threads may race to replace it, each with an equal peer.
   */
  private static volatile KubeDns lastKubeDns;

  /**
   * One agreement where {@code self} (behind {@code waypoint}) is the callee (peer traffic
   * included): who arrives, on which port.
   */
  static void ingress(
      Topology topology,
      Service self,
      Optional<Waypoint> waypoint,
      Agreement a,
      Rules rules,
      Peers peers) {
    Service caller = peer(topology, a.caller());
    for (Port p : a.ports()) {
      if (!isHbone(caller, self, p)) {
        // Plaintext on the target port: non-mesh callers and UDP/SCTP come straight to the pod
        // even behind a waypoint (M3, R5).
        rules.allowIngress(peers.pods(caller), L4Port.target(p));
      } else if (waypoint.isPresent() && !a.byPodIp()) {
        // Behind a waypoint the pod sees the waypoint's pods on 15008, never the caller (M2); a
        // caller dialling the pod directly bypasses the waypoint and is refused (fail closed),
        // unless its agreement says it dials pods: then it arrives itself (R5).
        rules.allowIngress(peers.pods(waypoint.get()), L4Port.HBONE);
      } else {
        rules.allowIngress(peers.pods(caller), L4Port.HBONE);
      }
    }
  }

  /**
   * Traffic from outside the graph, on the exposed target ports: one peer kind per element (R1).
   */
  private static void exposures(Settings settings, Service self, Rules rules) {
    for (Port p : self.ports()) {
      for (Exposure x : p.exposedTo()) {
        rules.allowIngress(exposurePeer(settings, x), L4Port.target(p));
      }
    }
  }

  private static Peer exposurePeer(Settings settings, Exposure x) {
    if (x instanceof Exposure.World) {
      // A load balancer that SNATs delivers from a node address: remote-node or host (DESIGN §3).
      return settings.loadBalancerPreservesSourceIp()
          ? Peer.entities("world")
          : Peer.entities("world", "remote-node", "host");
    }
    if (x instanceof Exposure.KubeApiserver) {
      return Peer.entities("kube-apiserver");
    }
    return Peer.cidr(((Exposure.Cidr) x).range());
  }

  /** One agreement where {@code self} is the caller: where it connects, the names it resolves. */
  static void egress(
      Topology topology, Service self, Agreement a, Rules rules, DnsNames dns, Peers peers) {
    // the callee's service and waypoint only: two lookups, not a whole view per agreement
    Service callee = peer(topology, a.callee());
    dns.service(callee.id(), peers);
    if (a.isPeerTraffic()) {
      dns.podsOf(callee);
    }
    // a caller that dials pod addresses never meets the Service's waypoint (M2, R5)
    Optional<Waypoint> waypoint = a.byPodIp() ? Optional.empty() : topology.waypoint(a.callee());
    for (Port p : a.ports()) {
      if (!isHbone(self, callee, p)) {
        rules.allowEgress(peers.pods(callee), L4Port.target(p));
      } else if (waypoint.isPresent()) {
        // The Service's waypoint is on the path of every mesh client that addresses it (M2).
        rules.allowEgress(peers.pods(waypoint.get()), L4Port.HBONE);
      } else {
        rules.allowEgress(peers.pods(callee), L4Port.HBONE);
      }
    }
  }

  /** DNS names, address ranges and entities outside the graph. */
  private static void externalEgress(ServiceView view, Rules rules, DnsNames dns, Peers peers) {
    boolean meshRoute = false;
    for (Egress e : view.service().egress()) {
      Peer peer;
      if (e.target() instanceof Egress.Fqdn f) {
        // toFQDNs only learns IPs from lookups the DNS proxy saw, so the names go to rules.dns
        // too (C13); it never matches in-cluster IPs.
        peer = Peer.fqdn(f.value());
        dns.fqdn(f.value());
        meshRoute |= e.isExactFqdn() && e.protocol() == Protocol.TCP;
      } else if (e.target() instanceof Egress.Cidr c) {
        peer = Peer.cidr(c.value());
      } else {
        peer = Peer.entities(e.target().value());
      }
      if (e.ports().isEmpty()) {
        rules.allowEgressAllPorts(peer);
      } else {
        for (int port : e.ports()) {
          rules.allowEgress(peer, new L4Port(port, e.protocol()));
        }
      }
    }
    Optional<Waypoint> egressWaypoint = view.egressWaypoint();
    if (meshRoute && egressWaypoint.isPresent() && view.service().isAmbient()) {
      // The mesh route: the host's ServiceEntry sends the connection through the namespace
      // waypoint (DESIGN §7). Only TCP is captured, so only TCP egress takes it.
      rules.allowEgress(peers.pods(egressWaypoint.get()), L4Port.HBONE);
    }
  }

  static ServiceView view(Topology topology, ServiceId id) {
    return topology
        .view(id)
        .orElseThrow(() -> new IllegalStateException("an agreement names " + id + ", unknown"));
  }

  static Service peer(Topology topology, ServiceId id) {
    return topology
        .service(id)
        .orElseThrow(() -> new IllegalStateException("an agreement names " + id + ", unknown"));
  }
}
