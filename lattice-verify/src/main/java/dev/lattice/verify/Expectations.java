package dev.lattice.verify;

import dev.lattice.graph.Agreement;
import dev.lattice.graph.ServiceView;
import dev.lattice.graph.Topology;
import dev.lattice.graph.Waypoint;
import dev.lattice.model.Egress;
import dev.lattice.model.Exposure;
import dev.lattice.model.HttpRule;
import dev.lattice.model.PeerAuth;
import dev.lattice.model.Port;
import dev.lattice.model.Protocol;
import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import dev.lattice.verify.world.IpRange;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Internal to {@link Exactness}: what each layer must decide, read from the declared graph (its
 * resolution), never from the rendered documents — the agreed edges, and exactly the tolerated
 * edges of DESIGN §9.
 *
 * <ol>
 *   <li><b>HBONE hides ports from L4</b>: between an ambient pair with a TCP agreement, L4 admits
 *       15008, so it cannot tell the callee's TCP ports apart.
 *   <li><b>A shared waypoint is one L4 hop</b>: a caller that may reach a waypoint reaches, at L4,
 *       every TCP port of every service behind it.
 *   <li><b>Plaintext has no identity</b>: on a PERMISSIVE port with a non-mesh agreement or an
 *       exposure, L7 admits any plaintext source.
 *   <li><b>Egress through the waypoint</b>: on the mesh route, exact-FQDN egress is per namespace
 *       at L4.
 * </ol>
 */
final class Expectations {
  private final Topology topology;
  private final Map<String, Agreement> agreements = new HashMap<>();

  Expectations(Topology topology) {
    this.topology = topology;
    for (Agreement a : topology.agreements()) {
      agreements.put(a.caller() + " " + a.callee(), a);
    }
  }

  Optional<Agreement> agreement(ServiceId caller, ServiceId callee) {
    return Optional.ofNullable(agreements.get(caller + " " + callee));
  }

  /** Whether the agreement caller→callee covers {@code port}. */
  boolean agreed(ServiceId caller, ServiceId callee, Port port) {
    return agreement(caller, callee).map(a -> a.ports().contains(port)).orElse(false);
  }

  Service service(ServiceId id) {
    return topology.service(id).orElseThrow();
  }

  Optional<Waypoint> waypointOf(ServiceId id) {
    return topology.view(id).flatMap(ServiceView::waypoint);
  }

  /** Limit 1 and 2: L4 cannot tell this TCP port apart from the ones the caller may reach. */
  String l4Tolerance(ServiceId caller, ServiceId callee, Port port) {
    Service a = service(caller);
    Service b = service(callee);
    if (!a.isAmbient() || !b.isAmbient() || port.protocol() != Protocol.TCP) {
      return null;
    }
    Optional<Waypoint> w = waypointOf(callee);
    if (w.isPresent()) {
      return reachesWaypoint(caller, w.get())
          ? "limit 2: " + caller + " reaches waypoint " + w.get() + ", one L4 hop to " + callee
          : null;
    }
    return agreement(caller, callee)
            .map(ag -> ag.ports().stream().anyMatch(p -> p.protocol() == Protocol.TCP))
            .orElse(false)
        ? "limit 1: HBONE 15008 is admitted between " + caller + " and " + callee
        : null;
  }

  /**
   * Whether an ambient caller may reach waypoint {@code w} at L4: it has an ambient TCP agreement
   * with a service behind it, or {@code w} routes its namespace's egress and the caller has
   * mesh-routed egress there.
   */
  boolean reachesWaypoint(ServiceId caller, Waypoint w) {
    Service a = service(caller);
    if (!a.isAmbient()) {
      return false;
    }
    for (ServiceId behind : w.services()) {
      Optional<Agreement> ag = agreement(caller, behind);
      if (ag.isPresent()
          && service(behind).isAmbient()
          && ag.get().ports().stream().anyMatch(p -> p.protocol() == Protocol.TCP)) {
        return true;
      }
    }
    return w.routesEgress()
        && a.namespace().equals(w.namespace())
        && a.egress().stream().anyMatch(Egress::isMeshRouted);
  }

  /**
   * Limit 3: the TCP ports of an ambient service where L7 admits identity-less (plaintext) sources:
   * PERMISSIVE, with a non-mesh caller's agreement or an exposure.
   */
  Set<Port> plaintextPorts(ServiceId callee) {
    Service b = service(callee);
    Set<Port> out = new HashSet<>();
    if (!b.isAmbient()) {
      return out;
    }
    for (Port p : b.ports()) {
      if (p.protocol() != Protocol.TCP || p.peerAuth() != PeerAuth.PERMISSIVE) {
        continue;
      }
      boolean nonMeshCaller =
          topology.view(callee).orElseThrow().inbound().stream()
              .anyMatch(ag -> !service(ag.caller()).isAmbient() && ag.ports().contains(p));
      if (nonMeshCaller || !p.exposedTo().isEmpty()) {
        out.add(p);
      }
    }
    return out;
  }

  /** Whether Istio has an enforcement point for traffic to this port: an ambient pod, TCP. */
  boolean l7Applies(ServiceId callee, Port port) {
    return service(callee).isAmbient() && port.protocol() == Protocol.TCP;
  }

  // ---------------------------------------------------------------- outside sources

  /** An outside source of the property suites, with the address it comes from if any. */
  enum Outside {
    WORLD,
    CIDR,
    KUBE_APISERVER,
    REMOTE_NODE
  }

  /**
   * Whether {@code port} is exposed to an outside source: world covers every external address (and,
   * as Cilium gives the external API server the world identity too, kube-apiserver); the nodes come
   * with world unless load balancers preserve source addresses; a CIDR covers the addresses in it.
   */
  boolean exposed(Port port, Outside source, String address) {
    for (Exposure x : port.exposedTo()) {
      switch (x.kind()) {
        case WORLD:
          if (source == Outside.WORLD
              || source == Outside.CIDR
              || source == Outside.KUBE_APISERVER) {
            return true;
          }
          if (source == Outside.REMOTE_NODE
              && !topology.settings().loadBalancerPreservesSourceIp()) {
            return true;
          }
          break;
        case KUBE_APISERVER:
          if (source == Outside.KUBE_APISERVER) {
            return true;
          }
          break;
        default:
          if (address != null && contains(x.cidr().orElseThrow(), address)) {
            return true;
          }
      }
    }
    return false;
  }

  /** Whether {@code cidr} contains the address {@code ip} (false when either does not parse). */
  static boolean contains(String cidr, String ip) {
    IpRange r = IpRange.tryParse(cidr);
    return r != null
        && IpRange.isAddress(ip)
        && r.isV6() == (ip.indexOf(':') >= 0)
        && r.contains(ip);
  }

  // ---------------------------------------------------------------- HTTP

  /** A request that {@code rule} grants. */
  static String[] matching(HttpRule rule) {
    String method = rule.methods().isEmpty() ? "GET" : rule.methods().get(0);
    String path = rule.paths().isEmpty() ? "/any/path" : concrete(rule.paths().get(0));
    return new String[] {method, path};
  }

  private static String concrete(String pattern) {
    if (pattern.equals("*")) {
      return "/anything";
    }
    if (pattern.startsWith("*")) {
      return "/x/y" + pattern.substring(1);
    }
    if (pattern.endsWith("*")) {
      return pattern.substring(0, pattern.length() - 1) + "x/y";
    }
    return pattern;
  }

  /** Whether any of {@code rules} grants {@code method} on {@code path} (Istio string matching). */
  static boolean grants(List<HttpRule> rules, String method, String path) {
    for (HttpRule r : rules) {
      boolean m = r.methods().isEmpty() || r.methods().contains(method);
      boolean p = r.paths().isEmpty() || r.paths().stream().anyMatch(x -> pathMatches(x, path));
      if (m && p) {
        return true;
      }
    }
    return false;
  }

  private static boolean pathMatches(String pattern, String path) {
    if (pattern.equals("*")) {
      return !path.isEmpty();
    }
    if (pattern.endsWith("*")) {
      return path.startsWith(pattern.substring(0, pattern.length() - 1));
    }
    if (pattern.startsWith("*")) {
      return path.endsWith(pattern.substring(1));
    }
    return pattern.equals(path);
  }
}
