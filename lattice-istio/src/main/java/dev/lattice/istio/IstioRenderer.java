package dev.lattice.istio;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.graph.ServiceView;
import dev.lattice.graph.Topology;
import dev.lattice.graph.TopologyUpdate;
import dev.lattice.graph.Waypoint;
import dev.lattice.internal.Parallel;
import dev.lattice.model.ServiceId;
import dev.lattice.model.Settings;
import dev.lattice.output.Labels;
import dev.lattice.output.Manifest;
import dev.lattice.output.ManifestUpdate;
import dev.lattice.output.RequiredLabel;
import dev.lattice.output.Resource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Renders the Istio ambient layer of a topology: AuthorizationPolicies that allow exactly the
 * agreed calls, enforced by ztunnel and, where HTTP rules apply, by waypoints.
 *
 * <pre>{@code
 * Topology topology = graph.resolve(settings).orThrow();
 * Manifest istio = IstioRenderer.create().render(topology);
 * System.out.print(istio.toYaml());
 * istio.requiredLabels().forEach(l -> System.err.println(l.kubectl()));
 * }</pre>
 *
 * <p>What it renders:
 *
 * <ul>
 *   <li>Mesh-wide, in the root namespace: an allow-nothing AuthorizationPolicy ({@code spec: {}},
 *       SEMANTICS I2, I6) that every ztunnel enforces, an allow-nothing policy for every waypoint
 *       ({@code targetRefs} to the {@code istio-waypoint} GatewayClass, IW1), and a STRICT
 *       PeerAuthentication.
 *   <li>Per ambient service not behind a waypoint: an ALLOW policy selecting its pods ({@code
 *       <service>-ztunnel}), one rule per distinct set of ports, admitting the principals of its
 *       agreed mesh callers on target ports (IZ6), never with HTTP attributes (ztunnel drops such
 *       rules, IZ3).
 *   <li>Per ambient service behind a waypoint (some agreement has HTTP rules): an ALLOW policy
 *       attached to its Service ({@code <service>-waypoint}) with principals, methods, paths and
 *       Service ports (IW2, IW4); a {@code selector} policy admitting only the waypoint's identity
 *       (IZ5); the waypoint's Gateway when {@link Settings#emitWaypointGateways()}; and a {@link
 *       RequiredLabel} {@code istio.io/use-waypoint} for the Service, which Lattice does not own.
 *       <b>Until that label is applied</b>, and for clients that dial pod IPs or a headless
 *       Service, traffic bypasses the waypoint and reaches the pods with the caller's identity,
 *       which the {@code selector} policy refuses: the design fails closed (IW1, R5), never open.
 *       Callers whose agreement says they dial pods ({@code byPodIp}) are admitted by that {@code
 *       selector} policy on their container ports instead. A declared gateway that calls such a
 *       service passes the waypoint only with {@code istio.io/ingress-use-waypoint: "true"} on the
 *       Service, another {@link RequiredLabel} (R5).
 *   <li>PERMISSIVE TCP ports: a PeerAuthentication ({@code <service>-mtls}) relaxing only those
 *       target ports, and, on those where a non-mesh caller has an agreement or that are exposed, a
 *       rule admitting sources without identity ({@code notPrincipals: ["*"]}). That rule never
 *       matches a mesh caller, so mesh callers still need their agreement (I5).
 *   <li>Exact-FQDN TCP egress of ambient services: per namespace and host a ServiceEntry bound to
 *       the namespace waypoint and an ALLOW policy attached to it for exactly the services that
 *       declare the host, on their declared ports.
 * </ul>
 *
 * <p>What it leaves to the L4 layer: UDP and SCTP (ambient captures only TCP, M3, so those ports
 * appear in no Istio port list), services outside the mesh (nothing is rendered for them),
 * wildcard-FQDN, CIDR and entity egress (no waypoint can capture them), and the Cilium settings
 * ambient needs (R4). Ambient services in Istio's root namespace get no policy of their own, since
 * a {@code selector} there would apply mesh-wide (I6): they stay denied. Names and ports are
 * rendered as the topology gives them; {@code trustDomains} is never rendered (R6).
 *
 * <p>A renderer holds no state: it is immutable, thread-safe, and its output depends only on its
 * input, in time linear in services plus agreements.
 */
public final class IstioRenderer {
  private static final IstioRenderer INSTANCE = new IstioRenderer();

  /**
   * From how many services a full render takes a second thread. Below it the render is short and
   * mostly JIT compilation, which a second thread does not speed up.
   */
  static final int PARALLEL_FROM = 10_000;

  private IstioRenderer() {}

  /** A renderer. */
  public static IstioRenderer create() {
    return INSTANCE;
  }

  /**
   * The whole Istio layer of {@code topology}, with the labels Services need to use their
   * waypoints.
   *
   * @throws dev.lattice.diagnostics.LatticeException when the topology has errors: nothing is
   *     rendered from a graph that is partly wrong
   */
  public Manifest render(Topology topology) {
    return render(topology, PARALLEL_FROM);
  }

  /** {@link #render(Topology)}, its services on two threads from {@code parallelFrom} on. */
  Manifest render(Topology topology, int parallelFrom) {
    Objects.requireNonNull(topology, "topology").orThrow();
    Settings settings = topology.settings();
    List<Resource> resources = new ArrayList<>(meshDefaults(settings));
    if (settings.emitWaypointGateways()) {
      for (Waypoint w : topology.waypoints()) {
        if (!w.namespace().equals(settings.rootNamespace()) && !isOwnedByService(topology, w)) {
          resources.add(Documents.gateway(w.namespace(), w.name(), null));
        }
      }
    }
    resources.addAll(EgressPolicies.render(topology));
    List<RequiredLabel> labels = new ArrayList<>();
    services(topology, parallelFrom, resources, labels);
    return Manifest.of(resources, labels);
  }

  /**
   * Adds each service's resources to {@code resources} and its required labels to {@code labels},
   * in the order of the views, as one thread does; on two threads from {@code parallelFrom}
   * services on ({@link Parallel}; the tests force it on small graphs). Each service reads the
   * topology only, and writes nothing but its own results.
   */
  static void services(
      Topology topology, int parallelFrom, List<Resource> resources, List<RequiredLabel> labels) {
    Object[] rendered =
        Parallel.map(
            topology.views(),
            view -> {
              List<Resource> r = ServicePolicies.render(topology, view);
              List<RequiredLabel> l = ServicePolicies.requiredLabels(topology, view);
              return r.isEmpty() && l.isEmpty() ? Rendered.NONE : new Rendered(r, l);
            },
            parallelFrom);
    for (Object o : rendered) {
      Rendered r = (Rendered) o;
      resources.addAll(r.resources);
      labels.addAll(r.labels);
    }
  }

  /** The resources and required labels of one service. */
  private record Rendered(List<Resource> resources, List<RequiredLabel> labels) {
    static final Rendered NONE = new Rendered(List.of(), List.of());
  }

  /**
   * The resources of one service, for re-rendering it alone: exactly those of {@link
   * #render(Topology)} labelled {@code lattice.dev/service: <name>} in its namespace (its policies,
   * its PeerAuthentication, and its own waypoint Gateway under waypoint scope SERVICE). They depend
   * only on the service's view and its callers' identities. Shared resources (the mesh-wide
   * policies, namespace waypoints, ServiceEntries) come only from {@link #render(Topology)}. Empty
   * for a service outside the mesh.
   *
   * @throws dev.lattice.diagnostics.LatticeException when the topology has errors
   * @throws IllegalArgumentException when the service is not in the topology
   */
  public List<Resource> renderService(Topology topology, ServiceId service) {
    Objects.requireNonNull(topology, "topology").orThrow();
    Objects.requireNonNull(service, "service");
    ServiceView view =
        topology
            .view(service)
            .orElseThrow(() -> new IllegalArgumentException(service + " is not in the topology"));
    List<Resource> out = new ArrayList<>(ServicePolicies.render(topology, view));
    out.sort(null);
    return List.copyOf(out);
  }

  /**
   * Brings {@code previous}, this renderer's output for {@code update.previous()}, up to date with
   * {@code update.topology()}: it re-renders only the resources the change can touch and splices
   * them in. The manifest (labels included) equals {@code render(update.topology())} byte for byte,
   * and the diff equals {@code ManifestDiff.between(previous, render(update.topology()))}; the cost
   * follows the change, not the cluster. {@code previous} may also hold other layers' resources (it
   * touches only Istio and Gateway API ones).
   *
   * <pre>{@code
   * TopologyUpdate t = topology.update(List.of(changedService), List.of());
   * ManifestUpdate u = istio.update(applied, t);
   * u.diff().upserts().forEach(client::apply);
   * u.diff().deletes().forEach(client::delete);
   * u.manifest().requiredLabels().forEach(l -> System.err.println(l.kubectl()));
   * }</pre>
   *
   * <p>What is re-rendered: the resources and required labels of every service of {@code
   * update.servicesToRender()} and of every removed one; the namespace waypoint Gateways,
   * ServiceEntries and their policies of the affected namespaces; and the mesh-wide policies when
   * the root namespace is affected.
   *
   * @throws dev.lattice.diagnostics.LatticeException when the new topology has errors
   */
  public ManifestUpdate update(Manifest previous, TopologyUpdate update) {
    Objects.requireNonNull(previous, "previous");
    Topology next = update.topology().orThrow();
    Settings settings = next.settings();
    Set<ServiceId> services = new TreeSet<>(update.servicesToRender());
    services.addAll(update.removedServices());
    Set<String> shared = new TreeSet<>(update.affectedNamespaces());
    Set<String> namespaces = new TreeSet<>(shared);
    services.forEach(id -> namespaces.add(id.namespace()));
    Set<ServiceId> owned = new HashSet<>(services);

    List<Resource> fresh = new ArrayList<>();
    List<RequiredLabel> labels = new ArrayList<>();
    if (shared.contains(settings.rootNamespace())) {
      fresh.addAll(meshDefaults(settings));
    }
    if (settings.emitWaypointGateways()) {
      for (Waypoint w : next.waypoints()) {
        if (shared.contains(w.namespace())
            && !w.namespace().equals(settings.rootNamespace())
            && !isOwnedByService(next, w)) {
          fresh.add(Documents.gateway(w.namespace(), w.name(), null));
        }
      }
    }
    fresh.addAll(EgressPolicies.render(next, shared));
    for (ServiceId id : services) {
      next.view(id)
          .ifPresent(
              view -> {
                fresh.addAll(ServicePolicies.render(next, view));
                labels.addAll(ServicePolicies.requiredLabels(next, view));
              });
    }
    return previous.replace(
        namespaces,
        r -> {
          if (!GROUPS.contains(r.key().group())) {
            return false;
          }
          String service =
              r.document().path("metadata").path("labels").path(Labels.SERVICE).asText(null);
          return service == null
              ? shared.contains(r.namespace())
              : owned.contains(ServiceId.of(r.namespace(), service));
        },
        fresh,
        // asked only of the labels in namespaces
        l -> owned.contains(ServiceId.of(l.namespace(), l.name())),
        labels);
  }

  /** The API groups of what this renderer writes. */
  private static final Set<String> GROUPS =
      Set.of(
          Documents.SECURITY.substring(0, Documents.SECURITY.indexOf('/')),
          Documents.NETWORKING_GROUP,
          Documents.GATEWAY_GROUP);

  /** Whether the waypoint's Gateway is rendered with the one service it fronts. */
  private static boolean isOwnedByService(Topology topology, Waypoint w) {
    return w.services().size() == 1
        && topology
            .view(w.services().get(0))
            .map(v -> ServicePolicies.isOwnWaypoint(topology.settings(), v, w))
            .orElse(false);
  }

  /** Deny by default at every ztunnel and every waypoint, and mutual TLS everywhere. */
  private static List<Resource> meshDefaults(Settings settings) {
    String root = settings.rootNamespace();
    ObjectNode denyAll = meshDocument(Documents.AUTHORIZATION_POLICY, root, "lattice-default-deny");
    denyAll.putObject("spec");
    ObjectNode denyAtWaypoints =
        meshDocument(Documents.AUTHORIZATION_POLICY, root, "lattice-waypoint-default-deny");
    Documents.targetRef(
        denyAtWaypoints.putObject("spec"),
        Documents.GATEWAY_GROUP,
        "GatewayClass",
        Documents.WAYPOINT_CLASS);
    ObjectNode strict = meshDocument(Documents.PEER_AUTHENTICATION, root, "lattice-default-strict");
    strict.putObject("spec").putObject("mtls").put("mode", "STRICT");
    return List.of(Resource.of(denyAll), Resource.of(denyAtWaypoints), Resource.of(strict));
  }

  private static ObjectNode meshDocument(String kind, String root, String name) {
    return Documents.document(Documents.SECURITY, kind, root, name, null, Map.of());
  }
}
