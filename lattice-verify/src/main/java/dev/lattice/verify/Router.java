package dev.lattice.verify;

import dev.lattice.model.Protocol;
import dev.lattice.model.ServiceId;
import dev.lattice.verify.cilium.CiliumEvaluator;
import dev.lattice.verify.istio.Caller;
import dev.lattice.verify.istio.IstioEvaluator;
import dev.lattice.verify.istio.Request;
import dev.lattice.verify.world.KubeService;
import dev.lattice.verify.world.Peer;
import dev.lattice.verify.world.WaypointBinding;
import dev.lattice.verify.world.WaypointProxy;
import dev.lattice.verify.world.World;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns a logical connection into what each layer sees on its path (SEMANTICS M1–M4) and asks the
 * evaluators: the hops Cilium sees (HBONE on 15008 between ambient pods, through a waypoint when
 * the Service names one, plaintext on the target port otherwise), the DNS lookups Cilium's proxy
 * sees, and the points where Istio enforces (the waypoint, then the destination ztunnel).
 */
final class Router {
  static final int HBONE = 15008;
  private static final int XDS = 15012;

  private final World world;
  private final CiliumEvaluator cilium;
  private final IstioEvaluator istio;
  private final EgressRoutes egress;
  private final List<String> findings;

  Router(World world, CiliumEvaluator cilium, IstioEvaluator istio) {
    this.world = world;
    this.cilium = cilium;
    this.istio = istio;
    this.egress = new EgressRoutes(world, istio);
    List<String> f = new ArrayList<>(cilium.findings());
    f.addAll(istio.findings());
    for (String n : world.notes()) {
      if (!n.startsWith("applied required label")) {
        f.add("world: " + n);
      }
    }
    this.findings = List.copyOf(f);
  }

  List<String> findings() {
    return findings;
  }

  // ------------------------------------------------------------------ routing

  Verdict route(Query q) {
    Trace t = new Trace(q, cilium, findings);
    Source src = q.source();
    if (src.kind() == Source.Kind.ADDRESS) {
      Peer p = world.peerAt(src.address().orElseThrow());
      if (p.kind() == Peer.Kind.SERVICE_POD && p.service().isPresent()) {
        src = Source.service(p.service().get());
      }
    }
    Destination dst = q.destination();
    if (src.kind() == Source.Kind.SERVICE) {
      KubeService from = service(src.serviceId().orElseThrow(), "source");
      List<ServiceId> sharing = world.sameIdentity(from.id());
      if (!sharing.isEmpty()) {
        t.note(
            t.l7,
            "identity of " + from.pod().name(),
            from.id()
                + " runs as service account "
                + from.pod().serviceAccount()
                + ", as "
                + sharing.stream().map(ServiceId::toString).collect(Collectors.joining(", "))
                + (sharing.size() == 1 ? " does" : " do")
                + ": Istio sees one identity ("
                + from.pod().principal().orElse("")
                + "), so what one of them is granted at L7 every other one is (resolution warns:"
                + " shared-service-account)");
      }
      if (world.isGateway(from.id())) {
        // an Istio gateway serves nothing until it has its configuration and certificates
        controlPlane(world, t, from.pod(), "the gateway");
      }
      if (dst instanceof Destination.Service to) {
        serviceToService(t, from, service(to.id(), "destination"));
      } else if (dst instanceof Destination.Fqdn host) {
        egress.serviceToHost(t, from, host.name());
      } else {
        egress.serviceToAddress(t, from, dst);
      }
    } else {
      if (!(dst instanceof Destination.Service to)) {
        throw new IllegalArgumentException(
            "a query from "
                + src
                + " must go to a service; "
                + "traffic between two outside sources is not Lattice's to judge");
      }
      outsideToService(t, src, service(to.id(), "destination"));
    }
    return t.verdict();
  }

  private KubeService service(ServiceId id, String role) {
    return world
        .service(id)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "the "
                        + role
                        + " "
                        + id
                        + " is not a service of the world; known: "
                        + world.services().stream()
                            .map(s -> s.id().toString())
                            .collect(Collectors.joining(", "))));
  }

  private KubeService.ServicePort servicePort(KubeService svc, Query q) {
    int port = q.destination().port();
    Protocol proto = q.protocolOverride().orElse(null);
    return svc.port(port, proto)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "Service "
                        + svc.id()
                        + " has no port "
                        + port
                        + (proto == null ? "" : "/" + proto)
                        + " (a query names the Service port clients dial); its ports: "
                        + svc.ports()));
  }

  static Request request(Query q, String defaultHost) {
    if (q.method().isEmpty()) {
      return null;
    }
    return Request.http(q.method().get(), q.path().orElse("/"), q.host().orElse(defaultHost));
  }

  /**
   * What an Istio proxy pod needs before it carries anything: its agent looks up {@code
   * istiod.<ns>.svc} (the discovery and CA address of Istio's proxy templates) and connects to
   * istiod on TCP 15012 for xDS and certificates. A pod outside ztunnel's DNS capture (a waypoint)
   * asks kube-dns, through Cilium's DNS proxy (M4, C13).
   */
  static void controlPlane(World world, Trace t, Peer proxy, String what) {
    String host = "istiod." + world.settings().rootNamespace() + ".svc";
    if (proxy.isCaptured() && world.ztunnelDnsCapture()) {
      t.note(
          t.l4,
          "DNS for " + host,
          "answered inside " + proxy.name() + " by ztunnel (DNS capture, M4)");
    } else {
      t.lookup(
          proxy,
          host,
          null,
          what + " looks up istiod (its discovery and CA address) through kube-dns");
    }
    t.precondition(proxy, world.istiod(), XDS, what + " needs istiod (xDS)");
  }

  /** Service to service: M1 (HBONE), M2 (through a waypoint), M3 (plaintext). */
  private void serviceToService(Trace t, KubeService from, KubeService to) {
    Query q = t.query;
    KubeService.ServicePort sp = servicePort(to, q);
    Peer p = from.pod();
    Peer d = from.id().equals(to.id()) ? to.replica() : to.pod();
    Protocol proto = sp.protocol();
    int tp = sp.targetPort();
    String host = to.hostname(world.settings().clusterDomain());
    Request req = request(q, host);
    // R5: a client that dials pod addresses (a scraper, a headless Service's client) finds them
    // through the Kubernetes API or the headless Service's records, and meets no Service waypoint
    boolean podIp = world.dialsPodIps(from.id(), to.id());

    // the client's lookup of the Service name: answered in-pod by ztunnel for captured pods (M4)
    if (podIp) {
      t.note(
          t.l4,
          "pod address of " + d.name(),
          from.id()
              + " dials the pods of "
              + to.id()
              + " by address (declared podIp): no Service name"
              + " is looked up and no Service waypoint is on the path (R5)");
    } else if (q.dnsLookup()) {
      if (p.isCaptured() && world.ztunnelDnsCapture()) {
        t.note(
            t.l4,
            "DNS for " + host,
            "answered inside "
                + p.name()
                + " by ztunnel (DNS capture, M4): Cilium's DNS proxy sees no lookup");
      } else {
        for (String name : serviceNames(to, p.namespace())) {
          t.lookup(p, name, to.clusterIp(), null);
        }
        if (from.id().equals(to.id())) {
          // peers (a StatefulSet's members, a training gang) find each other by the headless
          // Service's per-pod records, which Cilium's DNS proxy must allow too (C13)
          t.lookup(
              p,
              to.podName(d),
              d.ip(),
              "peer pods find each other by their headless Service's records");
        }
      }
    }

    if (p.isCaptured() && proto == Protocol.TCP) {
      WaypointBinding b =
          podIp
              ? world.workloadWaypoint(d)
              : world.isGateway(from.id()) ? world.gatewayWaypoint(to) : world.serviceWaypoint(to);
      Optional<WaypointProxy> w = b.waypoint();
      if (w.isPresent()) {
        WaypointProxy wp = w.get();
        boolean hbone = d.isHboneCapable();
        t.path =
            "ambient client, TCP, waypoint on the path: "
                + b.reason()
                + "; Cilium sees "
                + p.name()
                + " -> waypoint "
                + wp.pod().name()
                + " on TCP "
                + HBONE
                + ", then the"
                + " waypoint -> "
                + d.name()
                + (hbone
                    ? " on TCP " + HBONE
                    : " on TCP " + tp + " in plaintext (destination not HBONE-capable)")
                + " (M2)";
        t.hop(p, wp.pod(), HBONE, Protocol.TCP, Set.of(), null);
        controlPlane(world, t, wp.pod(), "the waypoint");
        t.hop(wp.pod(), d, hbone ? HBONE : tp, Protocol.TCP, Set.of(), hbone ? null : req);
        t.istio(Step.Kind.WAYPOINT, istio.atWaypoint(wp, to, Caller.of(p), sp.port(), req));
        if (d.isCaptured()) {
          t.istio(Step.Kind.ZTUNNEL, istio.atZtunnel(d, Caller.of(wp.pod()), tp));
        } else {
          t.notApplicable("ztunnel of " + d.name(), d.name() + " is not captured by ztunnel");
        }
        return;
      }
      if (d.isHboneCapable()) {
        t.path =
            (podIp ? "pod-IP caller dialing " + d.name() + ":" + tp + ", " : "")
                + "ambient -> ambient, TCP, no waypoint ("
                + b.reason()
                + "): ztunnel opens"
                + " HBONE from "
                + p.name()
                + " to "
                + d.name()
                + " on TCP "
                + HBONE
                + " (M1)";
        t.hop(p, d, HBONE, Protocol.TCP, Set.of(), null);
        t.istio(Step.Kind.ZTUNNEL, istio.atZtunnel(d, Caller.of(p), tp));
        if (req != null) {
          t.note(t.l7, "request " + req, "no waypoint on the path: nothing sees HTTP attributes");
        }
        return;
      }
    }
    String why;
    if (proto != Protocol.TCP) {
      why = proto + " is never captured by the mesh";
    } else if (!p.isCaptured()) {
      why = "the client " + p.name() + " is not in the mesh";
    } else {
      why = "the destination " + d.name() + " is not HBONE-capable";
    }
    t.path =
        (podIp ? "pod-IP caller dialing " + d.name() + ":" + tp + "; " : "")
            + why
            + ": the packet goes from "
            + p.name()
            + " to "
            + d.name()
            + " on "
            + proto
            + " "
            + tp
            + " in plaintext (M3)";
    t.hop(p, d, tp, proto, Set.of(), req);
    if (proto != Protocol.TCP) {
      t.notApplicable(
          "mesh",
          proto
              + " traffic is not captured: Istio has no enforcement point,"
              + " Cilium alone governs it (M3)");
    } else if (!d.isCaptured()) {
      t.notApplicable(
          "ztunnel of " + d.name(),
          d.name() + " is not in the ambient mesh: Istio" + " does not enforce on it");
    } else {
      if (!podIp && world.serviceWaypoint(to).waypoint().isPresent()) {
        t.note(
            t.l7,
            "waypoint",
            "a client outside the mesh reaches the pod directly, not through"
                + " the waypoint (A4, R5)");
      }
      t.istio(Step.Kind.ZTUNNEL, istio.atZtunnel(d, Caller.plaintext(p), tp));
    }
  }

  /**
   * The names a client uses for a Service (DESIGN §6): FQDN, name.ns, name.ns.svc, and name in its
   * namespace.
   */
  private List<String> serviceNames(KubeService to, String clientNamespace) {
    List<String> names = new ArrayList<>();
    names.add(to.hostname(world.settings().clusterDomain()));
    names.add(to.name() + "." + to.namespace());
    names.add(to.name() + "." + to.namespace() + ".svc");
    if (to.namespace().equals(clientNamespace)) {
      names.add(to.name());
    }
    return names;
  }

  /** A source outside the graph to a service's pod, on the target port (M3). */
  private void outsideToService(Trace t, Source src, KubeService to) {
    Query q = t.query;
    KubeService.ServicePort sp = servicePort(to, q);
    Peer d = to.pod();
    Protocol proto = sp.protocol();
    int tp = sp.targetPort();
    Peer s =
        switch (src.kind()) {
          case WORLD -> world.internet();
          case ADDRESS -> world.peerAt(src.address().orElseThrow());
          case KUBE_APISERVER -> world.kubeApiserver();
          case HOST -> world.host();
          case REMOTE_NODE -> world.remoteNode();
          // ztunnel SNATs kubelet probes of ambient pods to 169.254.7.127 (C10); others come
          // from the node
          default -> d.isCaptured() ? world.probeSource() : world.host();
        };
    Request req = request(q, to.hostname(world.settings().clusterDomain()));
    t.path =
        s.name()
            + " has no mesh identity: the packet reaches "
            + d.name()
            + " on "
            + proto
            + " "
            + tp
            + " in plaintext (M3)";
    t.hop(s, d, tp, proto, Set.of(), req);
    if (src.kind() == Source.Kind.PROBE) {
      t.notApplicable("ztunnel of " + d.name(), "kubelet probes bypass ztunnel (M3)");
    } else if (proto != Protocol.TCP) {
      t.notApplicable(
          "mesh", proto + " traffic is not captured: Istio has no enforcement point" + " (M3)");
    } else if (!d.isCaptured()) {
      t.notApplicable("ztunnel of " + d.name(), d.name() + " is not in the ambient mesh");
    } else {
      t.istio(Step.Kind.ZTUNNEL, istio.atZtunnel(d, Caller.plaintext(s), tp));
    }
  }
}
