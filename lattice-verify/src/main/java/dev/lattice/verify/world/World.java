package dev.lattice.verify.world;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.graph.Topology;
import dev.lattice.model.IpPrefix;
import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import dev.lattice.model.Settings;
import dev.lattice.output.Manifest;
import dev.lattice.output.RequiredLabel;
import dev.lattice.output.Resource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The cluster documents are judged in, derived from the declared services and from what the
 * rendered documents imply: one pod per service (plus an identical replica for peer traffic), the
 * Kubernetes Service of each, waypoint pods for the rendered waypoint {@code Gateway}s, kube-dns,
 * istiod, the nodes, the kube-apiserver, an internet client, the ambient probe source, and a DNS
 * that gives external names stable fake addresses. Deterministic: the same inputs give the same
 * world, addresses included.
 *
 * <pre>{@code
 * World world = World.builder(topology)
 *     .manifest(ciliumManifest)
 *     .manifest(istioManifest)          // waypoint Gateways, ServiceEntries, required labels
 *     .build();
 * Peer web = world.service("shop/web").orElseThrow().pod();
 * }</pre>
 *
 * <p>Pods carry their selector labels plus a {@code pod-template-hash}, which Cilium leaves out of
 * identities (C5), so a policy that selects on it selects nothing. Services carry the labels the
 * manifests require (e.g. {@code istio.io/use-waypoint}) unless {@link
 * Builder#applyRequiredLabels(boolean)} turns that off, to test the fail-closed path.
 */
public final class World {
  /** The ambient probe source of IPv4 (ztunnel SNATs kubelet probes to it). */
  public static final String PROBE_SOURCE = "169.254.7.127";

  /** The label that names a Service's (or namespace's) waypoint. */
  public static final String USE_WAYPOINT = "istio.io/use-waypoint";

  /** The label that names the namespace of the waypoint {@link #USE_WAYPOINT} names. */
  public static final String USE_WAYPOINT_NAMESPACE = "istio.io/use-waypoint-namespace";

  /**
   * The label on a Service (else its namespace) that lets ingress gateways send to its waypoint
   * (SEMANTICS R5; {@code pilot/pkg/serviceregistry/ambient/services.go}).
   */
  public static final String INGRESS_USE_WAYPOINT = "istio.io/ingress-use-waypoint";

  /** The label on a waypoint Gateway that says which traffic it takes. */
  public static final String WAYPOINT_FOR = "istio.io/waypoint-for";

  /** The label on waypoint pods naming their Gateway. */
  public static final String GATEWAY_NAME = "gateway.networking.k8s.io/gateway-name";

  /** The Istio label that enrols pods or namespaces in the mesh. */
  public static final String DATAPLANE_MODE = "istio.io/dataplane-mode";

  private final Topology topology;
  private final Settings settings;
  private final Options options;
  private final WorldAssembler parts;
  private final AddressBook addresses;
  private final Map<ServiceId, PodDialing> podDialing;

  private World(Builder b) {
    this.topology = b.topology;
    this.settings = b.topology.settings();
    this.options =
        new Options(
            b.enforcement,
            b.dnsCapture,
            b.resolverStopsAtRefused,
            b.clusterName,
            b.customAuthorizerAllows);
    this.parts = new WorldAssembler(b);
    this.addresses = new AddressBook(parts.byIp, parts.dns);
    this.podDialing = PodDialing.of(topology);
  }

  // ------------------------------------------------------------------ construction

  /**
   * The world of {@code topology} alone: no rendered documents, so no waypoints unless the settings
   * say gateways are not emitted.
   */
  public static World of(Topology topology) {
    return builder(topology).build();
  }

  /**
   * Starts a world for {@code topology}; add the rendered manifests so waypoints, ServiceEntries
   * and required labels are known.
   */
  public static Builder builder(Topology topology) {
    return new Builder(topology);
  }

  /** Builds a {@link World}. */
  public static final class Builder {
    final Topology topology;
    final List<JsonNode> documents = new ArrayList<>();
    final List<RequiredLabel> requiredLabels = new ArrayList<>();
    boolean applyRequiredLabels = true;
    final Map<String, Map<String, String>> namespaceLabels = new TreeMap<>();
    final Map<ServiceId, Map<String, String>> podLabels = new TreeMap<>();
    final Map<ServiceId, Map<String, String>> serviceLabels = new TreeMap<>();
    PolicyEnforcement enforcement = PolicyEnforcement.DEFAULT;
    boolean kubeApiserverOnNode;
    boolean dnsCapture = true;
    boolean resolverStopsAtRefused = true;
    String clusterName = "default";
    boolean customAuthorizerAllows;

    private Builder(Topology topology) {
      this.topology = Objects.requireNonNull(topology, "topology");
    }

    /**
     * Rendered documents; the world reads waypoint {@code Gateway}s and {@code ServiceEntry}s from
     * them.
     */
    public Builder documents(Collection<? extends JsonNode> docs) {
      docs.forEach(d -> documents.add(Objects.requireNonNull(d)));
      return this;
    }

    /** A rendered manifest: its documents and its required labels. */
    public Builder manifest(Manifest manifest) {
      for (Resource r : manifest.resources()) {
        documents.add(r.document());
      }
      requiredLabels.addAll(manifest.requiredLabels());
      return this;
    }

    /** Labels Lattice needs on objects it does not own. */
    public Builder requiredLabels(Collection<RequiredLabel> labels) {
      requiredLabels.addAll(labels);
      return this;
    }

    /** Whether the required labels are applied (default true); false tests the fail-closed path. */
    public Builder applyRequiredLabels(boolean apply) {
      this.applyRequiredLabels = apply;
      return this;
    }

    /** A label on a namespace (e.g. {@code istio.io/use-waypoint}, or one a selector uses). */
    public Builder namespaceLabel(String namespace, String key, String value) {
      namespaceLabels.computeIfAbsent(namespace, k -> new TreeMap<>()).put(key, value);
      return this;
    }

    /** An extra label on the pods of {@code service} (e.g. {@code version: v2}). */
    public Builder podLabel(String service, String key, String value) {
      podLabels
          .computeIfAbsent(ServiceId.parse(service, "default"), k -> new TreeMap<>())
          .put(key, value);
      return this;
    }

    /** An extra label on the Service object of {@code service}. */
    public Builder serviceLabel(String service, String key, String value) {
      serviceLabels
          .computeIfAbsent(ServiceId.parse(service, "default"), k -> new TreeMap<>())
          .put(key, value);
      return this;
    }

    /** Cilium's policy enforcement mode (default {@link PolicyEnforcement#DEFAULT}). */
    public Builder policyEnforcement(PolicyEnforcement mode) {
      this.enforcement = Objects.requireNonNull(mode);
      return this;
    }

    /**
     * Whether the kube-apiserver runs on a cluster node (identity remote-node + kube-apiserver)
     * rather than outside it (default).
     */
    public Builder kubeApiserverOnNode(boolean onNode) {
      this.kubeApiserverOnNode = onNode;
      return this;
    }

    /** Whether ztunnel answers DNS in ambient pods (Istio's default, true; M4). */
    public Builder ztunnelDnsCapture(boolean capture) {
      this.dnsCapture = capture;
      return this;
    }

    /**
     * Whether a REFUSED answer ends the resolver's search-list walk (musl, c-ares: true, the
     * default; glibc: false).
     */
    public Builder resolverStopsAtRefused(boolean stops) {
      this.resolverStopsAtRefused = stops;
      return this;
    }

    /** The Cilium cluster name pods are labelled with (default {@code default}). */
    public Builder clusterName(String name) {
      this.clusterName = Objects.requireNonNull(name);
      return this;
    }

    /** What a CUSTOM authorizer answers when a CUSTOM policy matches (A3; default: deny). */
    public Builder customAuthorizerAllows(boolean allows) {
      this.customAuthorizerAllows = allows;
      return this;
    }

    /** The world. */
    public World build() {
      return new World(this);
    }
  }

  private record Options(
      PolicyEnforcement enforcement,
      boolean dnsCapture,
      boolean resolverStopsAtRefused,
      String clusterName,
      boolean customAuthorizerAllows) {}

  // ------------------------------------------------------------------ accessors

  /** The topology it was derived from. */
  public Topology topology() {
    return topology;
  }

  /** The settings (trust domain, cluster domain, root namespace, kube-dns, ...). */
  public Settings settings() {
    return settings;
  }

  /** Every Service, sorted by id. */
  public List<KubeService> services() {
    return List.copyOf(parts.services.values());
  }

  /** The Service of {@code id}. */
  public Optional<KubeService> service(ServiceId id) {
    return Optional.ofNullable(parts.services.get(id));
  }

  /** The Service of {@code "ns/name"}. */
  public Optional<KubeService> service(String id) {
    return service(ServiceId.parse(id, "default"));
  }

  /** Every pod: service pods and replicas, waypoints, kube-dns, istiod. */
  public List<Peer> pods() {
    return parts.pods;
  }

  /** The labels of {@code namespace} (empty when the world does not know it). */
  public SortedMap<String, String> namespaceLabels(String namespace) {
    return parts.namespaceLabels.getOrDefault(namespace, Collections.emptySortedMap());
  }

  /** The waypoints, sorted by namespace and name. */
  public List<WaypointProxy> waypoints() {
    return parts.waypoints;
  }

  /** The waypoint {@code namespace/name}, if it exists. */
  public Optional<WaypointProxy> waypoint(String namespace, String name) {
    for (WaypointProxy w : parts.waypoints) {
      if (w.namespace().equals(namespace) && w.name().equals(name)) {
        return Optional.of(w);
      }
    }
    return Optional.empty();
  }

  /** The ServiceEntries of the documents. */
  public List<MeshServiceEntry> serviceEntries() {
    return parts.serviceEntries;
  }

  /** The kube-dns pod. */
  public Peer kubeDns() {
    return parts.kubeDns;
  }

  /** The istiod pod. */
  public Peer istiod() {
    return parts.istiod;
  }

  /** The local node (Cilium {@code host}): kubelet, host-network pods. */
  public Peer host() {
    return parts.host;
  }

  /** A remote node (Cilium {@code remote-node}), e.g. where a load balancer SNATs from. */
  public Peer remoteNode() {
    return parts.remoteNode;
  }

  /** The kube-apiserver. */
  public Peer kubeApiserver() {
    return parts.kubeApiserver;
  }

  /** A client on the internet, outside every CIDR the topology declares. */
  public Peer internet() {
    return parts.internet;
  }

  /** The ambient probe source 169.254.7.127 (world identity, C10). */
  public Peer probeSource() {
    return parts.probe;
  }

  /** The world's DNS. */
  public Dns dns() {
    return parts.dns;
  }

  /** Cilium's policy enforcement mode. */
  public PolicyEnforcement policyEnforcement() {
    return options.enforcement;
  }

  /** Whether ztunnel answers DNS inside ambient pods (M4). */
  public boolean ztunnelDnsCapture() {
    return options.dnsCapture;
  }

  /** Whether a REFUSED answer ends a resolver's search-list walk. */
  public boolean resolverStopsAtRefused() {
    return options.resolverStopsAtRefused;
  }

  /** The Cilium cluster name. */
  public String clusterName() {
    return options.clusterName;
  }

  /** What a CUSTOM authorizer answers (A3). */
  public boolean customAuthorizerAllows() {
    return options.customAuthorizerAllows;
  }

  /** What the world derived or chose, for explanations: labels applied, waypoints missing, ... */
  public List<String> notes() {
    return parts.notes;
  }

  /**
   * The peer at {@code ip}: a known pod, node, apiserver, ... or an external address with world
   * identity.
   */
  public Peer peerAt(String ip) {
    return addresses.peerAt(ip);
  }

  /** The external host {@code name} at the address the world's DNS gives it. */
  public Peer externalHost(String name) {
    return addresses.externalHost(name);
  }

  /**
   * A representative address of {@code cidr}: its first address past the network address that no
   * cluster peer uses.
   */
  public Peer addressIn(String cidr) {
    return addressIn(IpPrefix.parseRange(cidr));
  }

  /**
   * A representative address of {@code r}: its first address past the network address that no
   * cluster peer uses.
   */
  public Peer addressIn(IpPrefix r) {
    return addresses.addressIn(r);
  }

  /**
   * Whether {@code caller} dials the pods of {@code callee} by address rather than its Service: its
   * agreement with the callee says so (either side declared {@code podIp}), or, without an
   * agreement, its own outbound declaration of the callee (else its {@code "*"}) does. Such traffic
   * passes no Service waypoint (M2 (b), R5). A service's calls to its own pods are never so.
   */
  public boolean dialsPodIps(ServiceId caller, ServiceId callee) {
    PodDialing d = podDialing.get(caller);
    // a service's own pods (peer traffic) are declared by allowPeerTraffic, never by pod IP
    return d != null && !caller.equals(callee) && d.dials(callee);
  }

  /**
   * The other mesh services that present {@code service}'s principal: those of its namespace that
   * run as the same service account (SEMANTICS I4: a principal names the account, not the
   * workload), sorted; empty for a service outside the mesh.
   */
  public List<ServiceId> sameIdentity(ServiceId service) {
    Optional<Service> s = topology.service(service);
    if (s.isEmpty() || !s.get().isAmbient()) {
      return List.of();
    }
    List<ServiceId> out = new ArrayList<>();
    for (Service other : topology.services(service.namespace())) {
      if (!other.id().equals(service)
          && other.isAmbient()
          && other.serviceAccount().equals(s.get().serviceAccount())) {
        out.add(other.id());
      }
    }
    return out;
  }

  /** Whether {@code service} is declared an Istio gateway proxy (an ingress gateway's Envoy). */
  public boolean isGateway(ServiceId service) {
    return topology.service(service).map(Service::isGateway).orElse(false);
  }

  /**
   * Whether traffic from an Istio gateway addressed to {@code service} passes its waypoint: the
   * Service must have one (M2 (a)), and the gateway sends to it only when the Service, else its
   * namespace, carries {@code istio.io/ingress-use-waypoint} with a true value ({@code
   * strconv.ParseBool}); otherwise the gateway sends to the pods itself (R5; pilot's {@code
   * findServiceWaypoint} in {@code pilot/pkg/xds/endpoints/endpoint_builder.go}).
   */
  public WaypointBinding gatewayWaypoint(KubeService service) {
    return WaypointBindings.gateway(this, service);
  }

  /**
   * Whether traffic addressed to the pod {@code pod} itself (its IP, a headless Service) passes a
   * waypoint (M2 (b)): the pod's {@code istio.io/use-waypoint} label, else its namespace's, names a
   * waypoint that takes workload traffic ({@code istio.io/waypoint-for} workload or all).
   */
  public WaypointBinding workloadWaypoint(Peer pod) {
    return WaypointBindings.workload(this, pod);
  }

  /**
   * Whether traffic addressed to {@code service} passes a waypoint (M2 (a)): the Service's {@code
   * istio.io/use-waypoint} label, else its namespace's, names a waypoint that exists and takes
   * service traffic ({@code istio.io/waypoint-for} service or all).
   */
  public WaypointBinding serviceWaypoint(KubeService service) {
    return WaypointBindings.service(this, service);
  }

  /**
   * Whether traffic to a ServiceEntry's host passes a waypoint: its own label, else its
   * namespace's.
   */
  public WaypointBinding serviceEntryWaypoint(MeshServiceEntry entry) {
    return WaypointBindings.serviceEntry(this, entry);
  }

  /**
   * The ServiceEntry that makes {@code host}:{@code port} known to the mesh for clients in {@code
   * clientNamespace}.
   */
  public Optional<MeshServiceEntry> serviceEntryFor(String host, int port, String clientNamespace) {
    return MeshNames.serviceEntryFor(parts.serviceEntries, host, port, clientNamespace);
  }

  /**
   * Whether {@code host} is known to the mesh in {@code clientNamespace} (a Service name or a
   * visible ServiceEntry host), so ztunnel answers it in-pod (M4).
   */
  public boolean isMeshKnownName(String host, String clientNamespace) {
    return MeshNames.isMeshKnownName(parts.serviceEntries, parts.dns, host, clientNamespace);
  }

  /** A multi-line description of the world: namespaces, pods, Services, waypoints, addresses. */
  public String describe() {
    return WorldDescription.describe(this, parts.namespaceLabels);
  }

  @Override
  public String toString() {
    return "World("
        + parts.services.size()
        + " services, "
        + parts.waypoints.size()
        + " waypoints)";
  }
}
