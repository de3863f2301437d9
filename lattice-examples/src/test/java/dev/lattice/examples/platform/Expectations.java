package dev.lattice.examples.platform;

import dev.lattice.graph.Agreement;
import dev.lattice.graph.ServiceView;
import dev.lattice.graph.Topology;
import dev.lattice.graph.Waypoint;
import dev.lattice.internal.Cidrs;
import dev.lattice.model.Egress;
import dev.lattice.model.Exposure;
import dev.lattice.model.HttpRule;
import dev.lattice.model.PeerAuth;
import dev.lattice.model.Port;
import dev.lattice.model.Protocol;
import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What each layer must decide for the storefront, read from the declared graph (its agreements),
 * never from the rendered documents: allowed when agreed, denied otherwise — except exactly the
 * tolerated limits of DESIGN §9. A copy of the parts of lattice-verify's property-suite oracle
 * ({@code dev.lattice.verify.properties.Expectations}) that service-to-service and outside-source
 * checks need; copied rather than shared, since one module's test code is no other's dependency.
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

  private Service service(ServiceId id) {
    return topology.service(id).orElseThrow();
  }

  /**
   * Limits 1 and 2 of DESIGN §9: the reason L4 cannot tell this ambient TCP port apart from the
   * ones the caller may reach — HBONE on 15008 between an agreed ambient pair, or one shared
   * waypoint in front of several services — or null when L4 must deny.
   */
  String l4Tolerance(ServiceId caller, ServiceId callee, Port port) {
    Service a = service(caller);
    Service b = service(callee);
    if (!a.isAmbient() || !b.isAmbient() || port.protocol() != Protocol.TCP) {
      return null;
    }
    Optional<Waypoint> w = topology.view(callee).flatMap(ServiceView::waypoint);
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
   * Whether an ambient caller may reach waypoint {@code w} at L4: an ambient TCP agreement with a
   * service behind it, or mesh-routed egress through it from the same namespace.
   */
  private boolean reachesWaypoint(ServiceId caller, Waypoint w) {
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
   * Limit 3: whether L7 admits identity-less (plaintext) sources on this port of an ambient
   * service: a PERMISSIVE TCP port with a non-mesh caller's agreement or an exposure.
   */
  boolean plaintext(ServiceId callee, Port p) {
    Service b = service(callee);
    if (!b.isAmbient() || p.protocol() != Protocol.TCP || p.peerAuth() != PeerAuth.PERMISSIVE) {
      return false;
    }
    boolean nonMeshCaller =
        topology.view(callee).orElseThrow().inbound().stream()
            .anyMatch(ag -> !service(ag.caller()).isAmbient() && ag.ports().contains(p));
    return nonMeshCaller || !p.exposedTo().isEmpty();
  }

  /** Whether Istio has an enforcement point for traffic to this port: an ambient pod, TCP. */
  boolean l7Applies(ServiceId callee, Port port) {
    return service(callee).isAmbient() && port.protocol() == Protocol.TCP;
  }

  /** A source outside the graph. */
  enum Outside {
    WORLD,
    CIDR,
    KUBE_APISERVER,
    REMOTE_NODE
  }

  /**
   * Whether {@code port} is exposed to an outside source: world covers every external address
   * (and the external API server, which Cilium gives the world identity too); the nodes come with
   * world unless load balancers preserve source addresses; a CIDR covers the addresses in it.
   */
  boolean exposed(Port port, Outside source, String address) {
    for (Exposure x : port.exposedTo()) {
      switch (x.kind()) {
        case WORLD:
          if (source == Outside.WORLD || source == Outside.CIDR || source == Outside.KUBE_APISERVER) {
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

  /** Whether {@code cidr} contains the address {@code ip}. */
  static boolean contains(String cidr, String ip) {
    byte[] c = Cidrs.parse(cidr);
    boolean v6 = ip.indexOf(':') >= 0;
    if (c == null || v6 != Cidrs.isV6(cidr)) {
      return false;
    }
    byte[] a = v6 ? Cidrs.parseV6(ip) : Cidrs.parseV4(ip);
    if (a == null) {
      return false;
    }
    int prefix = c[0] & 0xff;
    for (int bit = 0; bit < prefix; bit++) {
      int mask = 0x80 >>> (bit % 8);
      if ((c[1 + bit / 8] & mask) != (a[bit / 8] & mask)) {
        return false;
      }
    }
    return true;
  }

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
