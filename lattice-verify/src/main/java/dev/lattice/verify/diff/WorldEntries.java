package dev.lattice.verify.diff;

import dev.lattice.verify.Destination;
import dev.lattice.verify.Source;
import dev.lattice.verify.world.KubeService;
import dev.lattice.verify.world.MeshServiceEntry;
import dev.lattice.verify.world.Peer;
import dev.lattice.verify.world.WaypointBinding;
import dev.lattice.verify.world.WaypointProxy;
import dev.lattice.verify.world.World;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the evaluators read of a world, as comparable values: a peer, a service's entry (its
 * declared model, Service, pods and waypoint bindings), the waypoints and ServiceEntries, and the
 * outside peers a source or destination stands for. {@link Affected} compares these between the two
 * sides; two equal entries are judged alike.
 */
final class WorldEntries {
  private WorldEntries() {}

  /**
   * The waypoints traffic to {@code s} may pass: the Service's (M2 (a)), the one an ingress gateway
   * uses (R5), and its pods' own for pod-addressed traffic (M2 (b)).
   */
  static List<WaypointProxy> bound(World w, KubeService s) {
    List<WaypointProxy> out = new ArrayList<>(2);
    for (WaypointBinding b : bindings(w, s)) {
      b.waypoint().filter(wp -> !out.contains(wp)).ifPresent(out::add);
    }
    return out;
  }

  /** The bindings of {@link #bound}, each of which may name a waypoint or none. */
  private static List<WaypointBinding> bindings(World w, KubeService s) {
    return List.of(
        w.serviceWaypoint(s),
        w.gatewayWaypoint(s),
        w.workloadWaypoint(s.pod()),
        w.workloadWaypoint(s.replica()));
  }

  /** What the evaluators read of a peer; its address always for outside peers, else on demand. */
  static List<Object> peer(Peer p, boolean address) {
    List<Object> out = new ArrayList<>();
    out.add(p.kind());
    out.add(p.name());
    out.add(p.namespace());
    out.add(p.labels());
    out.add(p.identity());
    out.add(p.serviceAccount());
    out.add(p.containerPorts().toString());
    out.add(p.isCaptured());
    out.add(p.isHboneCapable());
    out.add(p.principal());
    out.add(p.service());
    out.add(address || !p.isPod() ? p.ip() : "");
    return out;
  }

  /** A service's world entry: its declared model, its Service, its pods, its waypoint bindings. */
  static List<Object> service(World w, KubeService s, boolean addresses) {
    List<Object> out = new ArrayList<>();
    out.add(s.service());
    out.add(s.labels());
    out.add(
        s.ports().stream()
            .map(p -> p.name() + " " + p.port() + ">" + p.targetPort() + "/" + p.protocol())
            .toList());
    out.add(s.hostname(w.settings().clusterDomain()));
    out.add(addresses ? s.clusterIp() : "");
    out.add(peer(s.pod(), addresses));
    out.add(peer(s.replica(), addresses));
    for (WaypointBinding b : bindings(w, s)) {
      out.add(b.waypoint().map(WorldEntries::key).orElse("-"));
    }
    return out;
  }

  static Map<String, List<Object>> waypoints(World w, boolean addresses) {
    Map<String, List<Object>> out = new LinkedHashMap<>();
    for (WaypointProxy wp : w.waypoints()) {
      out.put(
          key(wp),
          List.of(wp.waypointFor(), wp.servesServices(), wp.origin(), peer(wp.pod(), addresses)));
    }
    return out;
  }

  static Map<String, List<Object>> serviceEntries(World w) {
    Map<String, List<Object>> out = new LinkedHashMap<>();
    for (MeshServiceEntry e : w.serviceEntries()) {
      List<Object> entry =
          List.of(
              e.hosts(),
              e.ports().toString(),
              e.labels(),
              e.exportTo(),
              w.serviceEntryWaypoint(e).waypoint().map(WorldEntries::key).orElse("-"));
      // two entries of one name: both count
      out.merge(key(e), entry, (x, y) -> List.of(x, y));
    }
    return out;
  }

  static String key(WaypointProxy wp) {
    return wp.namespace() + "/" + wp.name();
  }

  static String key(MeshServiceEntry e) {
    return e.namespace() + "/" + e.name();
  }

  static Peer outside(World w, Source s) {
    return switch (s.kind()) {
      case WORLD -> w.internet();
      case KUBE_APISERVER -> w.kubeApiserver();
      case REMOTE_NODE -> w.remoteNode();
      case HOST -> w.host();
      case PROBE -> w.probeSource();
      case ADDRESS -> w.peerAt(s.address().orElseThrow());
      default -> throw new IllegalArgumentException("not an outside source: " + s);
    };
  }

  static Peer target(World w, Destination d) {
    if (d instanceof Destination.Fqdn f) {
      return w.externalHost(f.name());
    } else if (d instanceof Destination.Cidr c) {
      return w.addressIn(c.range());
    } else if (d instanceof Destination.Address a) {
      return w.peerAt(a.ip());
    } else if (d instanceof Destination.Entity e) {
      return switch (e.name()) {
        case "world" -> w.internet();
        case "kube-apiserver" -> w.kubeApiserver();
        case "host" -> w.host();
        default -> w.remoteNode();
      };
    }
    throw new IllegalArgumentException("not an outside destination: " + d);
  }
}
