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
import dev.lattice.verify.world.World;
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
 *
 * <p>And, beyond the limits of physics, one of the graph: <b>a shared service account is one
 * identity</b>. Mesh services of one namespace that run as the same service account present the
 * same principal, so at L7 each is admitted wherever another one is (resolution warns about it).
 *
 * <p>Which route a connection takes is the world's: whether a caller dials the callee's pods by
 * address ({@link World#dialsPodIps}) decides whether the Service's waypoint is on the path.
 */
final class Expectations {
  private final Topology topology;
  private final World world;
  private final Map<String, Agreement> agreements = new HashMap<>();
  private final Set<ServiceId> gatewayLabelled = new HashSet<>();

  Expectations(Topology topology, World world) {
    this.topology = topology;
    this.world = world;
    for (Agreement a : topology.agreements()) {
      agreements.put(a.caller() + " " + a.callee(), a);
      Service caller = service(a.caller());
      if (caller.isGateway()
          && caller.isAmbient()
          && !a.byPodIp()
          && a.ports().stream().anyMatch(p -> p.protocol() == Protocol.TCP)
          && waypointOf(a.callee()).isPresent()) {
        gatewayLabelled.add(a.callee());
      }
    }
  }

  /**
   * The waypoint a connection from {@code caller} to the Service of {@code callee} passes: the
   * callee's, for a mesh caller that addresses the Service; none for a caller that dials the pods
   * (R5), and none for a gateway unless the callee's Service is to carry {@code
   * istio.io/ingress-use-waypoint}, which it is exactly when some gateway has a mesh TCP agreement
   * with it that passes the waypoint.
   */
  Optional<Waypoint> waypointOnPath(ServiceId caller, ServiceId callee) {
    Service a = service(caller);
    Optional<Waypoint> w = waypointOf(callee);
    if (w.isEmpty() || !a.isAmbient() || world.dialsPodIps(caller, callee)) {
      return Optional.empty();
    }
    if (a.isGateway() && !gatewayLabelled.contains(callee)) {
      return Optional.empty();
    }
    return w;
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
    Optional<Waypoint> w = waypointOnPath(caller, callee);
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
          && waypointOnPath(caller, behind).isPresent()
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

  /**
   * The shared identity: the service of {@code caller}'s namespace and service account whose
   * agreement with {@code callee} admits that principal at L7 where {@code caller}'s connection on
   * {@code port} is judged — at the waypoint on its path (the Service port, IW4) or at the callee's
   * ztunnel (the container port, IZ6) — described; null when there is none.
   */
  String sharedIdentity(ServiceId caller, ServiceId callee, Port port) {
    Service a = service(caller);
    if (!a.isAmbient() || port.protocol() != Protocol.TCP) {
      return null;
    }
    boolean viaWaypoint = waypointOnPath(caller, callee).isPresent();
    boolean behindWaypoint = waypointOf(callee).isPresent();
    for (Agreement ag : topology.view(callee).orElseThrow().inbound()) {
      Service y = service(ag.caller());
      if (y.id().equals(caller) || !sameIdentity(a, y)) {
        continue;
      }
      for (Port q : ag.ports()) {
        if (q.protocol() != Protocol.TCP) {
          continue;
        }
        boolean admits =
            viaWaypoint
                ? !ag.byPodIp() && q.port() == port.port()
                : (!behindWaypoint || ag.byPodIp()) && q.targetPort() == port.targetPort();
        if (admits) {
          return caller
              + " runs as service account "
              + a.serviceAccount()
              + ", as "
              + y.id()
              + " does, whose agreement "
              + callee
              + " admits at "
              + (viaWaypoint ? "the waypoint" : "its ztunnel");
        }
      }
    }
    return null;
  }

  /**
   * Whether a service of {@code caller}'s identity other than itself has an agreement with {@code
   * callee} that the waypoint on the path grants {@code method} {@code path} on {@code port}.
   */
  boolean sharedIdentityGrants(
      ServiceId caller, ServiceId callee, Port port, String method, String path) {
    Service a = service(caller);
    for (Agreement ag : topology.view(callee).orElseThrow().inbound()) {
      Service y = service(ag.caller());
      if (y.id().equals(caller) || !sameIdentity(a, y) || ag.byPodIp()) {
        continue;
      }
      boolean onPort =
          ag.ports().stream()
              .anyMatch(q -> q.protocol() == Protocol.TCP && q.port() == port.port());
      if (onPort && (ag.httpRules().isEmpty() || grants(ag.httpRules(), method, path))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether another service of {@code caller}'s identity declares the mesh-routed exact-FQDN egress
   * {@code host}:{@code port}, which the ServiceEntry's policy then admits for the shared
   * principal.
   */
  boolean sharedIdentityEgress(ServiceId caller, String host, int port) {
    Service a = service(caller);
    for (Service y : topology.services(a.namespace())) {
      if (!y.id().equals(caller)
          && sameIdentity(a, y)
          && y.egress().stream()
              .anyMatch(
                  e -> e.isMeshRouted() && e.target().equals(host) && e.ports().contains(port))) {
        return true;
      }
    }
    return false;
  }

  /** Whether two mesh services present the same principal: same namespace and service account. */
  static boolean sameIdentity(Service a, Service b) {
    return a.isAmbient()
        && b.isAmbient()
        && a.namespace().equals(b.namespace())
        && a.serviceAccount().equals(b.serviceAccount());
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
