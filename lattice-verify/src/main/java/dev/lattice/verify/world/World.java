package dev.lattice.verify.world;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.graph.Topology;
import dev.lattice.model.Egress;
import dev.lattice.model.Exposure;
import dev.lattice.model.IpPrefix;
import dev.lattice.model.Port;
import dev.lattice.model.Protocol;
import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import dev.lattice.model.Settings;
import dev.lattice.output.Manifest;
import dev.lattice.output.RequiredLabel;
import dev.lattice.output.Resource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

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

  private static final IpPrefix POD_CIDR = IpPrefix.parse("10.244.0.0/16");
  private static final IpPrefix SERVICE_CIDR = IpPrefix.parse("10.96.0.0/12");
  private static final String HOST_IP = "10.0.0.10";
  private static final String REMOTE_NODE_IP = "10.0.0.11";
  private static final String APISERVER_NODE_IP = "10.0.0.2";
  private static final List<String> INTERNET_CANDIDATES =
      List.of("198.51.100.7", "203.0.113.7", "192.0.2.7", "100.127.254.7");
  private static final List<String> APISERVER_CANDIDATES =
      List.of("192.0.2.10", "203.0.113.10", "198.51.100.10", "100.127.254.10");

  private final Topology topology;
  private final Settings settings;
  private final Options options;
  private final SortedMap<ServiceId, KubeService> services;
  private final SortedMap<String, SortedMap<String, String>> namespaceLabels;
  private final List<WaypointProxy> waypoints;
  private final List<MeshServiceEntry> serviceEntries;
  private final List<Peer> pods;
  private final Peer kubeDns;
  private final Peer istiod;
  private final Peer host;
  private final Peer remoteNode;
  private final Peer kubeApiserver;
  private final Peer internet;
  private final Peer probe;
  private final Map<String, Peer> byIp;
  private final List<IpPrefix> declaredCidrs;
  private final Dns dns;
  private final List<String> notes;
  private final Map<ServiceId, PodDialing> podDialing;

  private World(Builder b) {
    this.topology = b.topology;
    this.settings = b.topology.settings();
    this.options = new Options(b);
    List<String> notes = new ArrayList<>();

    // -- declared CIDRs: external addresses the world invents stay out of them
    List<IpPrefix> declared = new ArrayList<>();
    for (Service s : topology.services()) {
      for (Egress e : s.egress()) {
        if (e.target() instanceof Egress.Cidr c) {
          addIfNarrow(declared, c.value());
        }
      }
      for (Port p : s.ports()) {
        for (Exposure x : p.exposedTo()) {
          if (x instanceof Exposure.Cidr c) {
            addIfNarrow(declared, c.range());
          }
        }
      }
    }
    this.declaredCidrs = List.copyOf(declared);

    // -- documents: waypoint Gateways and ServiceEntries
    List<JsonNode> gateways = new ArrayList<>();
    List<MeshServiceEntry> entries = new ArrayList<>();
    for (JsonNode d : b.documents) {
      String kind = d.path("kind").asText("");
      String api = d.path("apiVersion").asText("");
      if ("Gateway".equals(kind)
          && api.startsWith("gateway.networking.k8s.io/")
          && "istio-waypoint".equals(d.path("spec").path("gatewayClassName").asText(""))) {
        gateways.add(d);
      } else if ("ServiceEntry".equals(kind) && api.startsWith("networking.istio.io/")) {
        entries.add(serviceEntry(d));
      }
    }
    entries.sort(
        java.util.Comparator.comparing(MeshServiceEntry::namespace)
            .thenComparing(MeshServiceEntry::name));
    this.serviceEntries = List.copyOf(entries);

    // -- namespaces and their labels
    SortedMap<String, SortedMap<String, String>> nsLabels = new TreeMap<>();
    Map<String, Boolean> allAmbient = new TreeMap<>();
    for (Service s : topology.services()) {
      allAmbient.merge(s.namespace(), s.isAmbient(), Boolean::logicalAnd);
    }
    Set<String> namespaces = new TreeSet<>(allAmbient.keySet());
    namespaces.add(settings.kubeDnsNamespace());
    namespaces.add("istio-system");
    namespaces.add(settings.rootNamespace());
    gateways.forEach(g -> namespaces.add(g.path("metadata").path("namespace").asText("default")));
    entries.forEach(e -> namespaces.add(e.namespace()));
    for (String ns : namespaces) {
      SortedMap<String, String> l = new TreeMap<>();
      l.put("kubernetes.io/metadata.name", ns);
      if (Boolean.TRUE.equals(allAmbient.get(ns))) {
        l.put(DATAPLANE_MODE, "ambient");
      }
      nsLabels.put(ns, l);
    }
    b.namespaceLabels.forEach(
        (ns, labels) -> nsLabels.computeIfAbsent(ns, k -> new TreeMap<>()).putAll(labels));

    // -- required labels (Lattice does not own Services and Namespaces)
    Map<ServiceId, Map<String, String>> serviceLabels = new HashMap<>();
    for (RequiredLabel r : b.requiredLabels) {
      if (!b.applyRequiredLabels) {
        notes.add(
            "not applied (by choice): "
                + r.kind()
                + " "
                + r.namespace()
                + "/"
                + r.name()
                + " "
                + r.key()
                + "="
                + r.value());
        continue;
      }
      if ("Service".equals(r.kind())) {
        serviceLabels
            .computeIfAbsent(ServiceId.of(r.namespace(), r.name()), k -> new TreeMap<>())
            .put(r.key(), r.value());
        notes.add(
            "applied required label: Service "
                + r.namespace()
                + "/"
                + r.name()
                + " "
                + r.key()
                + "="
                + r.value());
      } else if ("Namespace".equals(r.kind())) {
        String ns = r.name().isEmpty() ? r.namespace() : r.name();
        nsLabels.computeIfAbsent(ns, k -> new TreeMap<>()).put(r.key(), r.value());
        notes.add("applied required label: Namespace " + ns + " " + r.key() + "=" + r.value());
      } else {
        notes.add("ignored required label on " + r.kind() + " " + r.namespace() + "/" + r.name());
      }
    }
    b.serviceLabels.forEach(
        (id, labels) -> serviceLabels.computeIfAbsent(id, k -> new TreeMap<>()).putAll(labels));
    SortedMap<String, SortedMap<String, String>> frozenNs = new TreeMap<>();
    nsLabels.forEach(
        (k, v) -> frozenNs.put(k, Collections.unmodifiableSortedMap(new TreeMap<>(v))));
    this.namespaceLabels = Collections.unmodifiableSortedMap(frozenNs);

    // -- service pods and Services
    Map<String, Peer> ips = new LinkedHashMap<>();
    List<Peer> allPods = new ArrayList<>();
    SortedMap<ServiceId, KubeService> svcs = new TreeMap<>();
    long podIndex = 10;
    long svcIndex = 20;
    for (Service s : topology.services()) {
      SortedMap<String, String> labels = new TreeMap<>(s.selector());
      labels.put("pod-template-hash", templateHash(s.id().toString()));
      if (s.isAmbient() && !Boolean.TRUE.equals(allAmbient.get(s.namespace()))) {
        labels.put(DATAPLANE_MODE, "ambient");
      }
      Map<String, String> extra = b.podLabels.get(s.id());
      if (extra != null) {
        labels.putAll(extra);
      }
      List<Peer.ContainerPort> cports = new ArrayList<>();
      Set<String> seen = new TreeSet<>();
      for (Port p : s.ports()) {
        if (seen.add(p.targetPort() + "/" + p.protocol())) {
          cports.add(Peer.ContainerPort.of(p.name(), p.targetPort(), p.protocol()));
        }
      }
      Peer[] two = new Peer[2];
      for (int i = 0; i < 2; i++) {
        String ip = POD_CIDR.addressAt(podIndex++);
        two[i] =
            pod(
                Peer.Kind.SERVICE_POD,
                s.namespace() + "/" + s.name() + "-" + i,
                ip,
                s.namespace(),
                labels,
                s.serviceAccount(),
                cports,
                s.isAmbient(),
                s.id(),
                b.clusterName);
        ips.put(ip, two[i]);
      }
      allPods.add(two[0]);
      allPods.add(two[1]);
      SortedMap<String, String> svcLabels = new TreeMap<>();
      svcLabels.put("app.kubernetes.io/name", s.name());
      Map<String, String> req = serviceLabels.get(s.id());
      if (req != null) {
        svcLabels.putAll(req);
      }
      List<KubeService.ServicePort> sports = new ArrayList<>();
      for (Port p : s.ports()) {
        sports.add(new KubeService.ServicePort(p.name(), p.port(), p.targetPort(), p.protocol()));
      }
      String clusterIp = SERVICE_CIDR.addressAt(svcIndex++);
      svcs.put(s.id(), new KubeService(s, clusterIp, svcLabels, sports, two[0], two[1]));
    }
    for (ServiceId id : serviceLabels.keySet()) {
      if (!svcs.containsKey(id)) {
        notes.add("a label was required on Service " + id + ", which is not in the topology");
      }
    }
    this.services = Collections.unmodifiableSortedMap(svcs);

    // -- waypoints: rendered Gateways, else (gateways not emitted) the topology's
    List<WaypointProxy> wps = new ArrayList<>();
    Set<String> wpKeys = new TreeSet<>();
    List<Wanted> wanted = new ArrayList<>();
    for (JsonNode g : gateways) {
      JsonNode md = g.path("metadata");
      String ns = md.path("namespace").asText("default");
      String name = md.path("name").asText();
      String waypointFor = md.path("labels").path(WAYPOINT_FOR).asText("service");
      wanted.add(new Wanted(ns, name, waypointFor, WaypointProxy.Origin.GATEWAY));
    }
    if (!settings.emitWaypointGateways()) {
      for (dev.lattice.graph.Waypoint w : topology.waypoints()) {
        wanted.add(new Wanted(w.namespace(), w.name(), "service", WaypointProxy.Origin.TOPOLOGY));
      }
    } else {
      for (dev.lattice.graph.Waypoint w : topology.waypoints()) {
        boolean rendered =
            wanted.stream().anyMatch(o -> o.ns.equals(w.namespace()) && o.name.equals(w.name()));
        if (!rendered) {
          notes.add(
              "waypoint "
                  + w
                  + " is needed by the topology but no Gateway was rendered"
                  + " for it: no waypoint pod exists");
        }
      }
    }
    wanted.sort(java.util.Comparator.comparing(Wanted::ns).thenComparing(Wanted::name));
    for (Wanted w : wanted) {
      String ns = w.ns;
      String name = w.name;
      if (!wpKeys.add(ns + "/" + name)) {
        continue;
      }
      SortedMap<String, String> labels = new TreeMap<>();
      labels.put(GATEWAY_NAME, name);
      labels.put(DATAPLANE_MODE, "none");
      labels.put("pod-template-hash", templateHash("waypoint " + ns + "/" + name));
      String ip = POD_CIDR.addressAt(podIndex++);
      Peer p =
          pod(
              Peer.Kind.WAYPOINT,
              ns + "/" + name + "-0",
              ip,
              ns,
              labels,
              name,
              List.of(
                  Peer.ContainerPort.of("mesh", 15008, Protocol.TCP),
                  Peer.ContainerPort.of("status-port", 15021, Protocol.TCP)),
              false,
              null,
              b.clusterName);
      ips.put(ip, p);
      allPods.add(p);
      wps.add(new WaypointProxy(ns, name, w.waypointFor, p, w.origin));
    }
    this.waypoints = List.copyOf(wps);

    // -- kube-dns and istiod
    SortedMap<String, String> dnsLabels = new TreeMap<>(settings.kubeDnsSelector());
    dnsLabels.put("pod-template-hash", templateHash("kube-dns"));
    String dnsIp = POD_CIDR.addressAt(2);
    this.kubeDns =
        pod(
            Peer.Kind.KUBE_DNS,
            settings.kubeDnsNamespace() + "/coredns-0",
            dnsIp,
            settings.kubeDnsNamespace(),
            dnsLabels,
            "coredns",
            List.of(
                Peer.ContainerPort.of("dns", 53, Protocol.UDP),
                Peer.ContainerPort.of("dns-tcp", 53, Protocol.TCP),
                Peer.ContainerPort.of("metrics", 9153, Protocol.TCP)),
            false,
            null,
            b.clusterName);
    ips.put(dnsIp, kubeDns);
    allPods.add(kubeDns);
    SortedMap<String, String> istiodLabels = new TreeMap<>();
    istiodLabels.put("app", "istiod");
    istiodLabels.put("istio", "pilot");
    istiodLabels.put("pod-template-hash", templateHash("istiod"));
    String istiodIp = POD_CIDR.addressAt(3);
    // istiod runs in Istio's namespace, which is its root namespace unless set otherwise
    this.istiod =
        pod(
            Peer.Kind.ISTIOD,
            settings.rootNamespace() + "/istiod-0",
            istiodIp,
            settings.rootNamespace(),
            istiodLabels,
            "istiod",
            List.of(
                Peer.ContainerPort.of("grpc-xds", 15010, Protocol.TCP),
                Peer.ContainerPort.of("https-dns", 15012, Protocol.TCP),
                Peer.ContainerPort.of("https-webhook", 15017, Protocol.TCP)),
            false,
            null,
            b.clusterName);
    ips.put(istiodIp, istiod);
    allPods.add(istiod);
    this.pods = List.copyOf(allPods);

    // -- nodes, kube-apiserver, internet, probe source
    this.host = outside(Peer.Kind.HOST, "host (local node) " + HOST_IP, HOST_IP, "reserved:host");
    this.remoteNode =
        outside(
            Peer.Kind.REMOTE_NODE,
            "remote-node " + REMOTE_NODE_IP,
            REMOTE_NODE_IP,
            "reserved:remote-node");
    ips.put(HOST_IP, host);
    ips.put(REMOTE_NODE_IP, remoteNode);
    if (b.kubeApiserverOnNode) {
      // a self-managed control plane: the apiserver runs on a (remote) control-plane node
      this.kubeApiserver =
          outside(
              Peer.Kind.KUBE_APISERVER,
              "kube-apiserver " + APISERVER_NODE_IP,
              APISERVER_NODE_IP,
              "reserved:kube-apiserver",
              "reserved:remote-node");
    } else {
      // a managed control plane outside the cluster: Cilium gives its address the
      // kube-apiserver label on top of the CIDR (world) identity (pkg/ipcache metadata)
      String ip = firstOutside(APISERVER_CANDIDATES);
      this.kubeApiserver =
          outside(
              Peer.Kind.KUBE_APISERVER,
              "kube-apiserver " + ip,
              ip,
              "reserved:kube-apiserver",
              "reserved:world");
    }
    ips.put(kubeApiserver.ip(), kubeApiserver);
    String inet = firstOutside(INTERNET_CANDIDATES);
    this.internet = outside(Peer.Kind.WORLD, "world " + inet, inet, "reserved:world");
    ips.put(inet, internet);
    this.probe =
        outside(
            Peer.Kind.PROBE,
            "ambient probe source " + PROBE_SOURCE,
            PROBE_SOURCE,
            "reserved:world");
    ips.put(PROBE_SOURCE, probe);
    this.byIp = Collections.unmodifiableMap(ips);

    // -- DNS
    Map<String, String> svcNames = new TreeMap<>();
    for (KubeService s : svcs.values()) {
      svcNames.put(s.hostname(settings.clusterDomain()), s.clusterIp());
      if (s.service().allowPeerTraffic()) {
        // the per-pod records of the headless Service its peers find each other by
        for (Peer p : List.of(s.pod(), s.replica())) {
          svcNames.put(s.podRecord(p, settings.clusterDomain()), p.ip());
        }
      }
    }
    svcNames.put(
        "kube-dns." + settings.kubeDnsNamespace() + ".svc." + settings.clusterDomain(),
        "10.96.0.10");
    svcNames.put(
        "istiod." + settings.rootNamespace() + ".svc." + settings.clusterDomain(), "10.96.0.11");
    Set<String> external = new TreeSet<>();
    for (Service s : topology.services()) {
      for (Egress e : s.egress()) {
        if (e.isExactFqdn()) {
          external.add(e.target().value());
        }
      }
    }
    for (MeshServiceEntry e : entries) {
      for (String h : e.hosts()) {
        if (!h.startsWith("*")) {
          external.add(h);
        }
      }
    }
    List<IpPrefix> avoid = new ArrayList<>(declared);
    this.dns = new Dns(settings.clusterDomain(), svcNames, external, avoid);
    this.notes = List.copyOf(notes);
    this.podDialing = podDialing(topology);
  }

  /**
   * Whom one service dials by pod address: the callees of its agreements that say so, and,
   * otherwise, what its own outbound sides say (an explicit declaration of a peer wins over its
   * {@code "*"}), as a client acts on its own configuration whether or not the callee agrees.
   */
  private record PodDialing(Map<ServiceId, Boolean> explicit, boolean wildcard) {}

  private static Map<ServiceId, PodDialing> podDialing(Topology topology) {
    Map<ServiceId, PodDialing> out = new HashMap<>();
    for (Service s : topology.services()) {
      Map<ServiceId, Boolean> explicit = new HashMap<>();
      boolean wildcard = false;
      for (dev.lattice.model.Declaration d : s.declarations()) {
        if (!d.direction().isOutbound()) {
          continue;
        }
        if (d.peer().isWildcard()) {
          wildcard |= d.byPodIp();
        } else {
          explicit.merge(d.peer().resolve(s.namespace()), d.byPodIp(), Boolean::logicalOr);
        }
      }
      if (wildcard || explicit.containsValue(true)) {
        out.put(s.id(), new PodDialing(explicit, wildcard));
      }
    }
    for (dev.lattice.graph.Agreement a : topology.agreements()) {
      if (a.byPodIp()) {
        out.computeIfAbsent(a.caller(), k -> new PodDialing(new HashMap<>(), false))
            .explicit()
            .put(a.callee(), true);
      }
    }
    return out;
  }

  private record Wanted(String ns, String name, String waypointFor, WaypointProxy.Origin origin) {}

  private static void addIfNarrow(List<IpPrefix> out, String cidr) {
    IpPrefix r = IpPrefix.tryParseRange(cidr).orElse(null);
    if (r != null && r.length() >= 8) {
      out.add(r);
    }
  }

  private String firstOutside(List<String> candidates) {
    for (String c : candidates) {
      if (declaredCidrs.stream().noneMatch(r -> r.contains(c))) {
        return c;
      }
    }
    return candidates.get(0);
  }

  private Peer pod(
      Peer.Kind kind,
      String name,
      String ip,
      String namespace,
      Map<String, String> labels,
      String serviceAccount,
      List<Peer.ContainerPort> ports,
      boolean captured,
      ServiceId service,
      String clusterName) {
    Map<String, String> identity =
        IdentityFilter.podIdentity(
            namespace,
            labels,
            serviceAccount,
            namespaceLabels.getOrDefault(namespace, Collections.emptySortedMap()),
            clusterName);
    String principal =
        captured || kind == Peer.Kind.WAYPOINT
            ? settings.principal(namespace, serviceAccount)
            : null;
    return new Peer(
        kind,
        name,
        ip,
        namespace,
        labels,
        serviceAccount,
        ports,
        captured,
        principal,
        service,
        identity);
  }

  private static Peer outside(Peer.Kind kind, String name, String ip, String... reserved) {
    Map<String, String> identity = new TreeMap<>();
    for (String r : reserved) {
      identity.put(r, "");
    }
    return new Peer(kind, name, ip, "", Map.of(), "", List.of(), false, null, null, identity);
  }

  private static MeshServiceEntry serviceEntry(JsonNode d) {
    JsonNode md = d.path("metadata");
    JsonNode spec = d.path("spec");
    List<String> hosts = new ArrayList<>();
    spec.path("hosts").forEach(h -> hosts.add(h.asText()));
    List<MeshServiceEntry.SePort> ports = new ArrayList<>();
    for (JsonNode p : spec.path("ports")) {
      String proto = p.path("protocol").asText("TCP").toUpperCase(java.util.Locale.ROOT);
      ports.add(
          new MeshServiceEntry.SePort(
              p.path("number").asInt(),
              p.path("name").asText(""),
              "UDP".equals(proto) ? Protocol.UDP : Protocol.TCP));
    }
    Map<String, String> labels = new TreeMap<>();
    md.path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
    List<String> exportTo = new ArrayList<>();
    spec.path("exportTo").forEach(e -> exportTo.add(e.asText()));
    return new MeshServiceEntry(
        md.path("namespace").asText("default"),
        md.path("name").asText(),
        hosts,
        ports,
        labels,
        exportTo);
  }

  private static String templateHash(String seed) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
      String alphabet = "bcdfghjklmnpqrstvwxz2456789";
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < 10; i++) {
        sb.append(alphabet.charAt((d[i] & 0xff) % alphabet.length()));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
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
    private final Topology topology;
    private final List<JsonNode> documents = new ArrayList<>();
    private final List<RequiredLabel> requiredLabels = new ArrayList<>();
    private boolean applyRequiredLabels = true;
    private final Map<String, Map<String, String>> namespaceLabels = new TreeMap<>();
    private final Map<ServiceId, Map<String, String>> podLabels = new TreeMap<>();
    private final Map<ServiceId, Map<String, String>> serviceLabels = new TreeMap<>();
    private PolicyEnforcement enforcement = PolicyEnforcement.DEFAULT;
    private boolean kubeApiserverOnNode;
    private boolean dnsCapture = true;
    private boolean resolverStopsAtRefused = true;
    private String clusterName = "default";
    private boolean customAuthorizerAllows;

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

  private static final class Options {
    final PolicyEnforcement enforcement;
    final boolean dnsCapture;
    final boolean resolverStopsAtRefused;
    final String clusterName;
    final boolean customAuthorizerAllows;

    Options(Builder b) {
      this.enforcement = b.enforcement;
      this.dnsCapture = b.dnsCapture;
      this.resolverStopsAtRefused = b.resolverStopsAtRefused;
      this.clusterName = b.clusterName;
      this.customAuthorizerAllows = b.customAuthorizerAllows;
    }
  }

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
    return List.copyOf(services.values());
  }

  /** The Service of {@code id}. */
  public Optional<KubeService> service(ServiceId id) {
    return Optional.ofNullable(services.get(id));
  }

  /** The Service of {@code "ns/name"}. */
  public Optional<KubeService> service(String id) {
    return service(ServiceId.parse(id, "default"));
  }

  /** Every pod: service pods and replicas, waypoints, kube-dns, istiod. */
  public List<Peer> pods() {
    return pods;
  }

  /** The labels of {@code namespace} (empty when the world does not know it). */
  public SortedMap<String, String> namespaceLabels(String namespace) {
    return namespaceLabels.getOrDefault(namespace, Collections.emptySortedMap());
  }

  /** The waypoints, sorted by namespace and name. */
  public List<WaypointProxy> waypoints() {
    return waypoints;
  }

  /** The waypoint {@code namespace/name}, if it exists. */
  public Optional<WaypointProxy> waypoint(String namespace, String name) {
    for (WaypointProxy w : waypoints) {
      if (w.namespace().equals(namespace) && w.name().equals(name)) {
        return Optional.of(w);
      }
    }
    return Optional.empty();
  }

  /** The ServiceEntries of the documents. */
  public List<MeshServiceEntry> serviceEntries() {
    return serviceEntries;
  }

  /** The kube-dns pod. */
  public Peer kubeDns() {
    return kubeDns;
  }

  /** The istiod pod. */
  public Peer istiod() {
    return istiod;
  }

  /** The local node (Cilium {@code host}): kubelet, host-network pods. */
  public Peer host() {
    return host;
  }

  /** A remote node (Cilium {@code remote-node}), e.g. where a load balancer SNATs from. */
  public Peer remoteNode() {
    return remoteNode;
  }

  /** The kube-apiserver. */
  public Peer kubeApiserver() {
    return kubeApiserver;
  }

  /** A client on the internet, outside every CIDR the topology declares. */
  public Peer internet() {
    return internet;
  }

  /** The ambient probe source 169.254.7.127 (world identity, C10). */
  public Peer probeSource() {
    return probe;
  }

  /** The world's DNS. */
  public Dns dns() {
    return dns;
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
    return notes;
  }

  /**
   * The peer at {@code ip}: a known pod, node, apiserver, ... or an external address with world
   * identity.
   */
  public Peer peerAt(String ip) {
    if (!IpPrefix.isAddress(ip)) {
      throw new IllegalArgumentException("\"" + ip + "\" is not an IP address");
    }
    Peer p = byIp.get(ip);
    if (p != null) {
      return p;
    }
    return outside(Peer.Kind.EXTERNAL, "address " + ip, ip, "reserved:world");
  }

  /** The external host {@code name} at the address the world's DNS gives it. */
  public Peer externalHost(String name) {
    if (dns.isClusterName(name)) {
      throw new IllegalArgumentException(
          name + " lies under the cluster domain; query the service");
    }
    String ip = dns.resolve(name).orElseThrow();
    return outside(Peer.Kind.EXTERNAL, Dns.normalize(name) + " (" + ip + ")", ip, "reserved:world");
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
    int bits = r.isV6() ? 128 : 32;
    if (r.length() >= bits - 1) {
      return peerAt(r.addressAt(0));
    }
    for (long i = 1; i < 200; i++) {
      String ip = r.addressAt(i);
      if (!byIp.containsKey(ip)) {
        return peerAt(ip);
      }
    }
    return peerAt(r.addressAt(1));
  }

  /**
   * Whether {@code caller} dials the pods of {@code callee} by address rather than its Service: its
   * agreement with the callee says so (either side declared {@code podIp}), or, without an
   * agreement, its own outbound declaration of the callee (else its {@code "*"}) does. Such traffic
   * passes no Service waypoint (M2 (b), R5). A service's calls to its own pods are never so.
   */
  public boolean dialsPodIps(ServiceId caller, ServiceId callee) {
    PodDialing d = podDialing.get(caller);
    if (d == null || caller.equals(callee)) {
      // a service's own pods (peer traffic) are declared by allowPeerTraffic, never by pod IP
      return false;
    }
    Boolean explicit = d.explicit().get(callee);
    return explicit != null ? explicit : d.wildcard();
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
    WaypointBinding b = serviceWaypoint(service);
    if (b.waypoint().isEmpty()) {
      return b;
    }
    String value = service.labels().get(INGRESS_USE_WAYPOINT);
    String source = "Service " + service.id();
    if (value == null) {
      value = namespaceLabels(service.namespace()).get(INGRESS_USE_WAYPOINT);
      source = "namespace " + service.namespace();
    }
    if (value == null) {
      return new WaypointBinding(
          null,
          b.reason()
              + ", but an ingress gateway skips it: no "
              + INGRESS_USE_WAYPOINT
              + " label on Service "
              + service.id()
              + " or its namespace, so the gateway sends to the pods itself (R5)");
    }
    if (!List.of("1", "t", "T", "TRUE", "true", "True").contains(value)) {
      return new WaypointBinding(
          null,
          b.reason()
              + ", but an ingress gateway skips it: "
              + source
              + " has "
              + INGRESS_USE_WAYPOINT
              + "="
              + value
              + ", which is not true (R5)");
    }
    return new WaypointBinding(
        b.waypoint().get(),
        b.reason() + ", and " + source + " has " + INGRESS_USE_WAYPOINT + "=" + value);
  }

  /**
   * Whether traffic addressed to the pod {@code pod} itself (its IP, a headless Service) passes a
   * waypoint (M2 (b)): the pod's {@code istio.io/use-waypoint} label, else its namespace's, names a
   * waypoint that takes workload traffic ({@code istio.io/waypoint-for} workload or all).
   */
  public WaypointBinding workloadWaypoint(Peer pod) {
    String name = pod.labels().get(USE_WAYPOINT);
    String source = "pod " + pod.name();
    String wpNs = pod.labels().getOrDefault(USE_WAYPOINT_NAMESPACE, pod.namespace());
    if (name == null) {
      Map<String, String> nsl = namespaceLabels(pod.namespace());
      name = nsl.get(USE_WAYPOINT);
      wpNs = nsl.getOrDefault(USE_WAYPOINT_NAMESPACE, pod.namespace());
      source = "namespace " + pod.namespace();
    }
    if (name == null || "none".equals(name)) {
      return new WaypointBinding(
          null, "no waypoint for workload traffic on " + pod.name() + " or its namespace");
    }
    Optional<WaypointProxy> w = waypoint(wpNs, name);
    if (w.isEmpty()
        || !("workload".equals(w.get().waypointFor()) || "all".equals(w.get().waypointFor()))) {
      return new WaypointBinding(
          null,
          source
              + " names waypoint "
              + wpNs
              + "/"
              + name
              + (w.isEmpty()
                  ? ", which does not exist"
                  : ", which takes " + WAYPOINT_FOR + "=" + w.get().waypointFor() + " traffic")
              + ": pod-addressed traffic passes no waypoint (M2)");
    }
    return new WaypointBinding(
        w.get(), source + " has " + USE_WAYPOINT + "=" + name + " (waypoint-for workload traffic)");
  }

  /**
   * Whether traffic addressed to {@code service} passes a waypoint (M2 (a)): the Service's {@code
   * istio.io/use-waypoint} label, else its namespace's, names a waypoint that exists and takes
   * service traffic ({@code istio.io/waypoint-for} service or all).
   */
  public WaypointBinding serviceWaypoint(KubeService service) {
    return binding("Service " + service.id(), service.namespace(), service.labels());
  }

  /**
   * Whether traffic to a ServiceEntry's host passes a waypoint: its own label, else its
   * namespace's.
   */
  public WaypointBinding serviceEntryWaypoint(MeshServiceEntry entry) {
    return binding(
        "ServiceEntry " + entry.namespace() + "/" + entry.name(),
        entry.namespace(),
        entry.labels());
  }

  private WaypointBinding binding(String what, String namespace, Map<String, String> labels) {
    String name = labels.get(USE_WAYPOINT);
    String source = what;
    String wpNs = labels.getOrDefault(USE_WAYPOINT_NAMESPACE, namespace);
    if (name == null) {
      Map<String, String> nsl = namespaceLabels(namespace);
      name = nsl.get(USE_WAYPOINT);
      wpNs = nsl.getOrDefault(USE_WAYPOINT_NAMESPACE, namespace);
      source = "namespace " + namespace;
    }
    if (name == null) {
      return new WaypointBinding(
          null,
          "no "
              + USE_WAYPOINT
              + " label on "
              + what
              + " or its namespace: no waypoint on the path");
    }
    if ("none".equals(name)) {
      return new WaypointBinding(
          null, source + " opts out of waypoints (" + USE_WAYPOINT + "=none)");
    }
    Optional<WaypointProxy> w = waypoint(wpNs, name);
    if (w.isEmpty()) {
      return new WaypointBinding(
          null,
          source
              + " names waypoint "
              + wpNs
              + "/"
              + name
              + ", which does not exist: no waypoint on the path");
    }
    if (!w.get().servesServices()) {
      return new WaypointBinding(
          null,
          source
              + " names waypoint "
              + wpNs
              + "/"
              + name
              + ", which takes "
              + WAYPOINT_FOR
              + "="
              + w.get().waypointFor()
              + " traffic only: no waypoint on the path");
    }
    return new WaypointBinding(
        w.get(),
        source
            + " has "
            + USE_WAYPOINT
            + "="
            + name
            + (wpNs.equals(namespace) ? "" : " in " + wpNs)
            + " (waypoint-for "
            + w.get().waypointFor()
            + ")");
  }

  /**
   * The ServiceEntry that makes {@code host}:{@code port} known to the mesh for clients in {@code
   * clientNamespace}.
   */
  public Optional<MeshServiceEntry> serviceEntryFor(String host, int port, String clientNamespace) {
    for (MeshServiceEntry e : serviceEntries) {
      if (e.hasHost(host) && e.isVisibleFrom(clientNamespace) && e.port(port).isPresent()) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /**
   * Whether {@code host} is known to the mesh in {@code clientNamespace} (a Service name or a
   * visible ServiceEntry host), so ztunnel answers it in-pod (M4).
   */
  public boolean isMeshKnownName(String host, String clientNamespace) {
    String h = Dns.normalize(host);
    if (dns.isClusterName(h) && dns.exists(h)) {
      return true;
    }
    for (MeshServiceEntry e : serviceEntries) {
      if (e.hasHost(h) && e.isVisibleFrom(clientNamespace)) {
        return true;
      }
    }
    return false;
  }

  /** A multi-line description of the world: namespaces, pods, Services, waypoints, addresses. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    sb.append("namespaces:\n");
    namespaceLabels.forEach(
        (ns, l) -> sb.append("  ").append(ns).append(' ').append(l).append('\n'));
    sb.append("pods:\n");
    for (Peer p : pods) {
      sb.append("  ")
          .append(p.name())
          .append(' ')
          .append(p.ip())
          .append(" sa=")
          .append(p.serviceAccount())
          .append(p.isCaptured() ? " ambient" : "")
          .append(" labels=")
          .append(p.labels())
          .append('\n');
    }
    sb.append("services:\n");
    for (KubeService s : services.values()) {
      sb.append("  ")
          .append(s.id())
          .append(' ')
          .append(s.clusterIp())
          .append(' ')
          .append(s.ports())
          .append(" labels=")
          .append(s.labels())
          .append('\n');
    }
    sb.append("waypoints:\n");
    for (WaypointProxy w : waypoints) {
      sb.append("  ")
          .append(w.namespace())
          .append('/')
          .append(w.name())
          .append(" for=")
          .append(w.waypointFor())
          .append(" (")
          .append(w.origin())
          .append(")\n");
    }
    sb.append("outside: ")
        .append(host)
        .append(", ")
        .append(remoteNode)
        .append(", ")
        .append(kubeApiserver)
        .append(", ")
        .append(internet)
        .append(", ")
        .append(probe)
        .append('\n');
    for (String n : notes) {
      sb.append("note: ").append(n).append('\n');
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return "World(" + services.size() + " services, " + waypoints.size() + " waypoints)";
  }
}
