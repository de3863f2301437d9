package dev.lattice.verify;

import dev.lattice.model.Protocol;
import dev.lattice.verify.cilium.DnsResolution;
import dev.lattice.verify.istio.Caller;
import dev.lattice.verify.istio.IstioEvaluator;
import dev.lattice.verify.istio.Request;
import dev.lattice.verify.world.KubeService;
import dev.lattice.verify.world.MeshServiceEntry;
import dev.lattice.verify.world.Peer;
import dev.lattice.verify.world.WaypointBinding;
import dev.lattice.verify.world.WaypointProxy;
import dev.lattice.verify.world.World;
import java.util.Optional;
import java.util.Set;

/**
 * Routes a service's traffic out of the graph: to an external host, through a waypoint when a
 * ServiceEntry routes it there (M2, M4), else directly after a lookup Cilium's DNS proxy sees
 * (C13); and to an address, a range or an entity, where only Cilium applies.
 */
final class EgressRoutes {
  private final World world;
  private final IstioEvaluator istio;

  EgressRoutes(World world, IstioEvaluator istio) {
    this.world = world;
    this.istio = istio;
  }

  /**
   * A service to an external host: through the namespace waypoint when a ServiceEntry routes it
   * there (M4), else directly after a lookup Cilium's DNS proxy sees.
   */
  void serviceToHost(Trace t, KubeService from, String host) {
    Query q = t.query;
    int port = q.destination().port();
    Protocol proto = q.protocolOverride().orElse(Protocol.TCP);
    Peer p = from.pod();
    Peer ext = world.externalHost(host);
    Request req = Router.request(q, host);
    if (p.isCaptured() && proto == Protocol.TCP && world.ztunnelDnsCapture()) {
      Optional<MeshServiceEntry> se = world.serviceEntryFor(host, port, p.namespace());
      if (se.isPresent()) {
        MeshServiceEntry e = se.get();
        WaypointBinding b = world.serviceEntryWaypoint(e);
        t.note(
            t.l4,
            "DNS for " + host,
            "answered inside "
                + p.name()
                + " by ztunnel: "
                + e
                + " makes it known to the mesh (M4); Cilium's DNS proxy sees no lookup from "
                + p.name());
        if (b.waypoint().isPresent()) {
          WaypointProxy wp = b.waypoint().get();
          t.path =
              "ambient client to a ServiceEntry host routed through "
                  + wp
                  + " ("
                  + b.reason()
                  + "): HBONE to the waypoint on TCP "
                  + Router.HBONE
                  + "; the waypoint resolves "
                  + host
                  + " itself and connects to it on TCP "
                  + port
                  + " (M2, M4)";
          t.hop(p, wp.pod(), Router.HBONE, Protocol.TCP, Set.of(), null);
          Router.controlPlane(world, t, wp.pod(), "the waypoint");
          DnsResolution r =
              t.lookup(
                  wp.pod(),
                  host,
                  ext.ip(),
                  "the waypoint is not captured: its own lookup goes through Cilium's DNS proxy");
          Set<String> learned =
              r.observedByProxy() ? Set.of(r.answeredName().orElseThrow()) : Set.of();
          t.hop(wp.pod(), ext, port, Protocol.TCP, learned, null);
          t.istio(Step.Kind.WAYPOINT, istio.atWaypoint(wp, e, host, Caller.of(p), port, req));
          return;
        }
        t.path =
            "ambient client to a ServiceEntry host without a waypoint ("
                + b.reason()
                + "): ztunnel answers the lookup in-pod and "
                + p.name()
                + " connects directly;"
                + " Cilium's DNS proxy never saw a lookup, so toFQDNs learned nothing from it (M4)";
        t.hop(p, ext, port, proto, Set.of(), req);
        t.notApplicable(
            "egress",
            "no waypoint for " + e + ": Istio does not authorize egress" + " at the source");
        return;
      }
    }
    String why =
        p.isCaptured() && world.ztunnelDnsCapture()
            ? "ztunnel does not know "
                + host
                + " and forwards the query upstream from "
                + p.name()
                + "'s address, so Cilium's DNS proxy sees it (M4)"
            : null;
    DnsResolution r = t.lookup(p, host, ext.ip(), why);
    // C13: toFQDNs matches addresses the node's DNS proxy saw for any pod there. The judge
    // credits a pod only with its own lookups (a cold node): stricter, never more permissive.
    Set<String> learned = r.observedByProxy() ? Set.of(r.answeredName().orElseThrow()) : Set.of();
    t.path =
        p.name()
            + " looks "
            + host
            + " up through kube-dns and connects to "
            + ext.ip()
            + " on "
            + proto
            + " "
            + port
            + " directly";
    t.hop(p, ext, port, proto, learned, req);
    t.notApplicable(
        "egress",
        "egress to "
            + host
            + " passes no waypoint (no ServiceEntry routes"
            + " it through one): Istio does not authorize egress at the source ztunnel");
  }

  /** A service to an address, a range or an entity: one direct hop; Istio does not apply. */
  void serviceToAddress(Trace t, KubeService from, Destination dst) {
    Query q = t.query;
    Protocol proto = q.protocolOverride().orElse(Protocol.TCP);
    Peer p = from.pod();
    Peer target;
    if (dst instanceof Destination.Cidr range) {
      target = world.addressIn(range.range());
    } else if (dst instanceof Destination.Address address) {
      target = world.peerAt(address.ip());
    } else {
      target =
          switch (((Destination.Entity) dst).name()) {
            case "world" -> world.internet();
            case "kube-apiserver" -> world.kubeApiserver();
            case "host" -> world.host();
            // remote-node, and cluster: represented by a remote node (a non-pod cluster identity)
            default -> world.remoteNode();
          };
    }
    t.path =
        p.name()
            + " connects to "
            + target.name()
            + " on "
            + proto
            + " "
            + dst.port()
            + " directly";
    t.hop(p, target, dst.port(), proto, Set.of(), Router.request(q, null));
    t.notApplicable(
        "egress",
        "traffic to " + target.name() + " passes no waypoint: Istio does" + " not authorize it");
  }
}
