package dev.lattice.verify.world;

import static dev.lattice.verify.world.World.DATAPLANE_MODE;
import static dev.lattice.verify.world.World.GATEWAY_NAME;
import static dev.lattice.verify.world.World.PROBE_SOURCE;
import static dev.lattice.verify.world.World.WAYPOINT_FOR;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.graph.Topology;
import dev.lattice.graph.Waypoint;
import dev.lattice.model.Egress;
import dev.lattice.model.Exposure;
import dev.lattice.model.IpPrefix;
import dev.lattice.model.Port;
import dev.lattice.model.Protocol;
import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import dev.lattice.model.Settings;
import dev.lattice.output.RequiredLabel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Derives the parts of a {@link World} from a {@link World.Builder}, one step per kind of object:
 * declared CIDRs, documents, namespace labels, required labels, service pods and Services, waypoint
 * pods, kube-dns and istiod, the peers outside the pod network, and the DNS. Addresses are handed
 * out in that order, so the same inputs give the same world.
 */
final class WorldAssembler {
  private static final IpPrefix POD_CIDR = IpPrefix.parse("10.244.0.0/16");
  private static final IpPrefix SERVICE_CIDR = IpPrefix.parse("10.96.0.0/12");
  private static final String HOST_IP = "10.0.0.10";
  private static final String REMOTE_NODE_IP = "10.0.0.11";
  private static final String APISERVER_NODE_IP = "10.0.0.2";
  private static final List<String> INTERNET_CANDIDATES =
      List.of("198.51.100.7", "203.0.113.7", "192.0.2.7", "100.127.254.7");
  private static final List<String> APISERVER_CANDIDATES =
      List.of("192.0.2.10", "203.0.113.10", "198.51.100.10", "100.127.254.10");

  final List<IpPrefix> declaredCidrs;
  final List<MeshServiceEntry> serviceEntries;
  final SortedMap<String, SortedMap<String, String>> namespaceLabels;
  final SortedMap<ServiceId, KubeService> services;
  final List<WaypointProxy> waypoints;
  final List<Peer> pods;
  final Peer kubeDns;
  final Peer istiod;
  final Peer host;
  final Peer remoteNode;
  final Peer kubeApiserver;
  final Peer internet;
  final Peer probe;
  final Map<String, Peer> byIp;
  final Dns dns;
  final List<String> notes;

  private final World.Builder b;
  private final Topology topology;
  private final Settings settings;
  private final List<String> noted = new ArrayList<>();
  private final Map<String, Peer> ips = new LinkedHashMap<>();
  private final List<Peer> allPods = new ArrayList<>();
  private long podIndex = 10;

  WorldAssembler(World.Builder b) {
    this.b = b;
    this.topology = b.topology;
    this.settings = topology.settings();
    // -- declared CIDRs: external addresses the world invents stay out of them
    this.declaredCidrs = declaredCidrs(topology);
    // -- documents: waypoint Gateways and ServiceEntries
    ManifestDocuments docs = ManifestDocuments.read(b.documents);
    this.serviceEntries = docs.serviceEntries();
    // -- namespaces and their labels, then required labels (Lattice does not own Services and
    // Namespaces)
    Map<String, Boolean> allAmbient = new TreeMap<>();
    for (Service s : topology.services()) {
      allAmbient.merge(s.namespace(), s.isAmbient(), Boolean::logicalAnd);
    }
    SortedMap<String, SortedMap<String, String>> nsLabels = namespaces(allAmbient, docs);
    Map<ServiceId, Map<String, String>> serviceLabels = requiredLabels(nsLabels);
    SortedMap<String, SortedMap<String, String>> frozenNs = new TreeMap<>();
    nsLabels.forEach(
        (k, v) -> frozenNs.put(k, Collections.unmodifiableSortedMap(new TreeMap<>(v))));
    this.namespaceLabels = Collections.unmodifiableSortedMap(frozenNs);
    // -- service pods and Services
    this.services = Collections.unmodifiableSortedMap(services(allAmbient, serviceLabels));
    // -- waypoints: rendered Gateways, else (gateways not emitted) the topology's
    this.waypoints = waypoints(docs.gateways());
    // -- kube-dns and istiod
    this.kubeDns = kubeDns();
    this.istiod = istiod();
    this.pods = List.copyOf(allPods);
    // -- nodes, kube-apiserver, internet, probe source
    this.host =
        Peers.outside(Peer.Kind.HOST, "host (local node) " + HOST_IP, HOST_IP, "reserved:host");
    this.remoteNode =
        Peers.outside(
            Peer.Kind.REMOTE_NODE,
            "remote-node " + REMOTE_NODE_IP,
            REMOTE_NODE_IP,
            "reserved:remote-node");
    ips.put(HOST_IP, host);
    ips.put(REMOTE_NODE_IP, remoteNode);
    this.kubeApiserver = kubeApiserver();
    ips.put(kubeApiserver.ip(), kubeApiserver);
    String inet = firstOutside(INTERNET_CANDIDATES);
    this.internet = Peers.outside(Peer.Kind.WORLD, "world " + inet, inet, "reserved:world");
    ips.put(inet, internet);
    this.probe =
        Peers.outside(
            Peer.Kind.PROBE,
            "ambient probe source " + PROBE_SOURCE,
            PROBE_SOURCE,
            "reserved:world");
    ips.put(PROBE_SOURCE, probe);
    this.byIp = Collections.unmodifiableMap(ips);
    // -- DNS
    this.dns = dns();
    this.notes = List.copyOf(noted);
  }

  private static List<IpPrefix> declaredCidrs(Topology topology) {
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
    return List.copyOf(declared);
  }

  private static void addIfNarrow(List<IpPrefix> out, String cidr) {
    IpPrefix r = IpPrefix.tryParseRange(cidr).orElse(null);
    if (r != null && r.length() >= 8) {
      out.add(r);
    }
  }

  private SortedMap<String, SortedMap<String, String>> namespaces(
      Map<String, Boolean> allAmbient, ManifestDocuments docs) {
    SortedMap<String, SortedMap<String, String>> nsLabels = new TreeMap<>();
    Set<String> namespaces = new TreeSet<>(allAmbient.keySet());
    namespaces.add(settings.kubeDnsNamespace());
    namespaces.add("istio-system");
    namespaces.add(settings.rootNamespace());
    docs.gateways()
        .forEach(g -> namespaces.add(g.path("metadata").path("namespace").asText("default")));
    docs.serviceEntries().forEach(e -> namespaces.add(e.namespace()));
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
    return nsLabels;
  }

  /** Applies the required labels to {@code nsLabels}; returns the labels wanted on Services. */
  private Map<ServiceId, Map<String, String>> requiredLabels(
      SortedMap<String, SortedMap<String, String>> nsLabels) {
    Map<ServiceId, Map<String, String>> serviceLabels = new HashMap<>();
    for (RequiredLabel r : b.requiredLabels) {
      if (!b.applyRequiredLabels) {
        noted.add(
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
      switch (r.kind()) {
        case "Service" -> {
          serviceLabels
              .computeIfAbsent(ServiceId.of(r.namespace(), r.name()), k -> new TreeMap<>())
              .put(r.key(), r.value());
          noted.add(
              "applied required label: Service "
                  + r.namespace()
                  + "/"
                  + r.name()
                  + " "
                  + r.key()
                  + "="
                  + r.value());
        }
        case "Namespace" -> {
          String ns = r.name().isEmpty() ? r.namespace() : r.name();
          nsLabels.computeIfAbsent(ns, k -> new TreeMap<>()).put(r.key(), r.value());
          noted.add("applied required label: Namespace " + ns + " " + r.key() + "=" + r.value());
        }
        default ->
            noted.add(
                "ignored required label on " + r.kind() + " " + r.namespace() + "/" + r.name());
      }
    }
    b.serviceLabels.forEach(
        (id, labels) -> serviceLabels.computeIfAbsent(id, k -> new TreeMap<>()).putAll(labels));
    return serviceLabels;
  }

  private SortedMap<ServiceId, KubeService> services(
      Map<String, Boolean> allAmbient, Map<ServiceId, Map<String, String>> serviceLabels) {
    SortedMap<ServiceId, KubeService> svcs = new TreeMap<>();
    long svcIndex = 20;
    for (Service s : topology.services()) {
      SortedMap<String, String> labels = new TreeMap<>(s.selector());
      labels.put("pod-template-hash", Peers.templateHash(s.id().toString()));
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
        two[i] =
            addPod(
                Peer.Kind.SERVICE_POD,
                s.namespace() + "/" + s.name() + "-" + i,
                POD_CIDR.addressAt(podIndex++),
                s.namespace(),
                labels,
                s.serviceAccount(),
                cports,
                s.isAmbient(),
                s.id());
      }
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
        noted.add("a label was required on Service " + id + ", which is not in the topology");
      }
    }
    return svcs;
  }

  private record Wanted(String ns, String name, String waypointFor, WaypointProxy.Origin origin) {}

  private List<WaypointProxy> waypoints(List<JsonNode> gateways) {
    List<Wanted> wanted = new ArrayList<>();
    for (JsonNode g : gateways) {
      JsonNode md = g.path("metadata");
      String ns = md.path("namespace").asText("default");
      String name = md.path("name").asText();
      String waypointFor = md.path("labels").path(WAYPOINT_FOR).asText("service");
      wanted.add(new Wanted(ns, name, waypointFor, WaypointProxy.Origin.GATEWAY));
    }
    if (!settings.emitWaypointGateways()) {
      for (Waypoint w : topology.waypoints()) {
        wanted.add(new Wanted(w.namespace(), w.name(), "service", WaypointProxy.Origin.TOPOLOGY));
      }
    } else {
      for (Waypoint w : topology.waypoints()) {
        boolean rendered =
            wanted.stream().anyMatch(o -> o.ns.equals(w.namespace()) && o.name.equals(w.name()));
        if (!rendered) {
          noted.add(
              "waypoint "
                  + w
                  + " is needed by the topology but no Gateway was rendered"
                  + " for it: no waypoint pod exists");
        }
      }
    }
    wanted.sort(Comparator.comparing(Wanted::ns).thenComparing(Wanted::name));
    List<WaypointProxy> wps = new ArrayList<>();
    Set<String> wpKeys = new TreeSet<>();
    for (Wanted w : wanted) {
      String ns = w.ns;
      String name = w.name;
      if (!wpKeys.add(ns + "/" + name)) {
        continue;
      }
      SortedMap<String, String> labels = new TreeMap<>();
      labels.put(GATEWAY_NAME, name);
      labels.put(DATAPLANE_MODE, "none");
      labels.put("pod-template-hash", Peers.templateHash("waypoint " + ns + "/" + name));
      Peer p =
          addPod(
              Peer.Kind.WAYPOINT,
              ns + "/" + name + "-0",
              POD_CIDR.addressAt(podIndex++),
              ns,
              labels,
              name,
              List.of(
                  Peer.ContainerPort.of("mesh", 15008, Protocol.TCP),
                  Peer.ContainerPort.of("status-port", 15021, Protocol.TCP)),
              false,
              null);
      wps.add(new WaypointProxy(ns, name, w.waypointFor, p, w.origin));
    }
    return List.copyOf(wps);
  }

  private Peer kubeDns() {
    SortedMap<String, String> dnsLabels = new TreeMap<>(settings.kubeDnsSelector());
    dnsLabels.put("pod-template-hash", Peers.templateHash("kube-dns"));
    return addPod(
        Peer.Kind.KUBE_DNS,
        settings.kubeDnsNamespace() + "/coredns-0",
        POD_CIDR.addressAt(2),
        settings.kubeDnsNamespace(),
        dnsLabels,
        "coredns",
        List.of(
            Peer.ContainerPort.of("dns", 53, Protocol.UDP),
            Peer.ContainerPort.of("dns-tcp", 53, Protocol.TCP),
            Peer.ContainerPort.of("metrics", 9153, Protocol.TCP)),
        false,
        null);
  }

  private Peer istiod() {
    SortedMap<String, String> istiodLabels = new TreeMap<>();
    istiodLabels.put("app", "istiod");
    istiodLabels.put("istio", "pilot");
    istiodLabels.put("pod-template-hash", Peers.templateHash("istiod"));
    // istiod runs in Istio's namespace, which is its root namespace unless set otherwise
    return addPod(
        Peer.Kind.ISTIOD,
        settings.rootNamespace() + "/istiod-0",
        POD_CIDR.addressAt(3),
        settings.rootNamespace(),
        istiodLabels,
        "istiod",
        List.of(
            Peer.ContainerPort.of("grpc-xds", 15010, Protocol.TCP),
            Peer.ContainerPort.of("https-dns", 15012, Protocol.TCP),
            Peer.ContainerPort.of("https-webhook", 15017, Protocol.TCP)),
        false,
        null);
  }

  private Peer kubeApiserver() {
    if (b.kubeApiserverOnNode) {
      // a self-managed control plane: the apiserver runs on a (remote) control-plane node
      return Peers.outside(
          Peer.Kind.KUBE_APISERVER,
          "kube-apiserver " + APISERVER_NODE_IP,
          APISERVER_NODE_IP,
          "reserved:kube-apiserver",
          "reserved:remote-node");
    }
    // a managed control plane outside the cluster: Cilium gives its address the
    // kube-apiserver label on top of the CIDR (world) identity (pkg/ipcache metadata)
    String ip = firstOutside(APISERVER_CANDIDATES);
    return Peers.outside(
        Peer.Kind.KUBE_APISERVER,
        "kube-apiserver " + ip,
        ip,
        "reserved:kube-apiserver",
        "reserved:world");
  }

  private Dns dns() {
    Map<String, String> svcNames = new TreeMap<>();
    for (KubeService s : services.values()) {
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
    for (MeshServiceEntry e : serviceEntries) {
      for (String h : e.hosts()) {
        if (!h.startsWith("*")) {
          external.add(h);
        }
      }
    }
    return new Dns(settings.clusterDomain(), svcNames, external, new ArrayList<>(declaredCidrs));
  }

  private String firstOutside(List<String> candidates) {
    for (String c : candidates) {
      if (declaredCidrs.stream().noneMatch(r -> r.contains(c))) {
        return c;
      }
    }
    return candidates.get(0);
  }

  /** A pod of the world at {@code ip}, with its Cilium identity and (if in the mesh) principal. */
  private Peer addPod(
      Peer.Kind kind,
      String name,
      String ip,
      String namespace,
      Map<String, String> labels,
      String serviceAccount,
      List<Peer.ContainerPort> ports,
      boolean captured,
      ServiceId service) {
    Map<String, String> identity =
        IdentityFilter.podIdentity(
            namespace,
            labels,
            serviceAccount,
            namespaceLabels.getOrDefault(namespace, Collections.emptySortedMap()),
            b.clusterName);
    String principal =
        captured || kind == Peer.Kind.WAYPOINT
            ? settings.principal(namespace, serviceAccount)
            : null;
    Peer p =
        new Peer(
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
    ips.put(ip, p);
    allPods.add(p);
    return p;
  }
}
