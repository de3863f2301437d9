package dev.lattice.dsl;

import dev.lattice.internal.Names;
import dev.lattice.model.MeshMode;
import dev.lattice.model.PeerRef;
import dev.lattice.model.Port;
import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import java.util.Map;
import java.util.Objects;

/**
 * A service being declared. Each step checks its arguments and returns a builder for the next one;
 * {@link #dependsOn(String)} starts a declaration that a direction call ({@code outbound()}, {@code
 * inbound()}, {@code both()}) ends, returning here:
 *
 * <pre>{@code
 * service("api").port("http", 80, 8080)
 *     .dependsOn("web").http(GET, "/api/*").inbound()
 *     .dependsOn("db").inNamespace("data").ports("pg").outbound()
 *     .egressTo(fqdn("api.stripe.com").port(443))
 * }</pre>
 *
 * <p>Hand it to {@code ServiceGraph.builder().add(...)}, or call {@link #build()}.
 */
@CheckReturnValue
public sealed class ServiceBuilder permits PortStep {
  final ServiceDraft draft;

  ServiceBuilder(ServiceDraft draft) {
    this.draft = draft;
  }

  static ServiceBuilder start(String name) {
    Objects.requireNonNull(name, "name");
    String namespace = null;
    String local = name;
    if (name.indexOf('/') >= 0) {
      ServiceId id = ServiceId.parse(name, "");
      namespace = id.namespace();
      local = id.name();
      require(Names.dnsLabel("namespace of \"" + name + "\"", namespace));
    }
    require(Names.serviceName("service name", local));
    return new ServiceBuilder(new ServiceDraft(namespace, local));
  }

  /** The namespace; without it, the graph's current namespace applies. */
  public ServiceBuilder inNamespace(String namespace) {
    require(Names.dnsLabel("namespace of " + draft.name, namespace));
    if (draft.namespace != null && !draft.namespace.equals(namespace)) {
      throw new IllegalArgumentException(
          "service "
              + draft.describe()
              + " already names namespace "
              + draft.namespace
              + "; it cannot also be in "
              + namespace);
    }
    draft.namespace = namespace;
    return this;
  }

  /** A TCP port the Service exposes and the pods listen on. */
  public PortStep port(String name, int port) {
    return port(name, port, port);
  }

  /**
   * A TCP port the Service exposes as {@code port} and the pods listen on as {@code targetPort}.
   */
  public PortStep port(String name, int port, int targetPort) {
    require(Names.dnsLabel("port name of " + draft.describe(), name));
    require(Names.port("port " + name + " of " + draft.describe(), port));
    require(Names.port("targetPort of " + name + " of " + draft.describe(), targetPort));
    for (ServiceDraft.PortDraft p : draft.ports) {
      if (p.name.equals(name)) {
        throw new IllegalArgumentException(
            "service " + draft.describe() + " already has a port named " + name);
      }
    }
    ServiceDraft.PortDraft p = new ServiceDraft.PortDraft(name, port, targetPort);
    draft.ports.add(p);
    return new PortStep(draft, p);
  }

  /**
   * Starts a declaration about {@code peer}: {@code "db"} (this service's namespace), {@code
   * "data/db"}, or {@code "*"} (any service in any namespace). End it with a direction.
   */
  public DependencyStep dependsOn(String peer) {
    Objects.requireNonNull(peer, "peer");
    if (PeerRef.ANY.equals(peer)) {
      return new DependencyStep(this, PeerRef.any());
    }
    if (peer.indexOf('/') >= 0) {
      ServiceId id = ServiceId.parse(peer, "");
      require(Names.dnsLabel("namespace of peer \"" + peer + "\"", id.namespace()));
      require(Names.serviceName("peer name", id.name()));
      return new DependencyStep(this, PeerRef.of(id.namespace(), id.name()));
    }
    require(Names.serviceName("peer name", peer));
    return new DependencyStep(this, PeerRef.named(peer));
  }

  /** Starts a declaration about any service in any namespace; same as {@code dependsOn("*")}. */
  public DependencyStep dependsOnAny() {
    return dependsOn(PeerRef.ANY);
  }

  /** Traffic out of the graph: {@code egressTo(fqdn("api.stripe.com").port(443))}. */
  public ServiceBuilder egressTo(EgressRule... rules) {
    for (EgressRule r : rules) {
      draft.egress.add(r.toEgress());
    }
    return this;
  }

  /** The pods' service account (their mesh identity); defaults to the service name. */
  public ServiceBuilder serviceAccount(String serviceAccount) {
    require(Names.dnsSubdomain("service account of " + draft.describe(), serviceAccount));
    draft.serviceAccount = serviceAccount;
    return this;
  }

  /**
   * A label that selects the pods; the first call replaces the default {@code
   * app.kubernetes.io/name: <name>}, later calls add labels.
   */
  public ServiceBuilder selector(String key, String value) {
    require(Names.labelKey(key));
    require(Names.labelValue(key, value));
    draft.selector.put(key, value);
    return this;
  }

  /** Labels that select the pods, replacing the default. */
  public ServiceBuilder selector(Map<String, String> labels) {
    if (labels.isEmpty()) {
      throw new IllegalArgumentException(
          "an empty selector would select every pod of the namespace; name the pods' labels");
    }
    labels.forEach(this::selector);
    return this;
  }

  /** Leaves the pods out of the mesh: only the L4 layer applies to them. */
  public ServiceBuilder notInMesh() {
    draft.mesh = MeshMode.NONE;
    return this;
  }

  /** Enrolls the pods in the ambient mesh (the default) or leaves them out. */
  public ServiceBuilder mesh(MeshMode mode) {
    draft.mesh = Objects.requireNonNull(mode, "mode");
    return this;
  }

  /**
   * Declares the pods an Istio gateway proxy (an ingress gateway's Envoy), which the mesh needs to
   * know: such a pod takes its configuration from istiod (Lattice lets it reach istiod, as it does
   * waypoints), and it calls a Service behind a waypoint through that waypoint only when the
   * Service carries {@code istio.io/ingress-use-waypoint: "true"} (Lattice lists the label where it
   * is needed). Gateways are in the mesh.
   *
   * <pre>{@code
   * service("istio-ingress/gateway").selector("istio", "ingressgateway").gateway()
   *     .serviceAccount("istio-ingressgateway").dependsOn("shop/web").outbound()
   * }</pre>
   */
  public ServiceBuilder gateway() {
    draft.gateway = true;
    return this;
  }

  /**
   * The port the Lattice platform's metrics scraper reads, when it is not the port named {@code
   * metrics} (the platform's {@code observability.metrics.port}); see {@code
   * Settings.metricsScraper()}.
   */
  public ServiceBuilder metricsPort(String portName) {
    require(Names.dnsLabel("metrics port of " + draft.describe(), portName));
    draft.metricsPort = portName;
    return this;
  }

  /** Lets the service's own pods call each other on all its ports. */
  public ServiceBuilder allowPeerTraffic() {
    draft.allowPeerTraffic = true;
    return this;
  }

  /**
   * Lets the service's own pods call each other on all its ports, finding one another by the
   * per-pod records of the headless Service {@code headlessService} ({@code
   * <pod>.<headlessService>}): a StatefulSet whose {@code serviceName} is not the service's name.
   */
  public ServiceBuilder allowPeerTraffic(String headlessService) {
    require(Names.serviceName("headless Service of " + draft.describe(), headlessService));
    draft.allowPeerTraffic = true;
    draft.podSubdomain = headlessService;
    return this;
  }

  /** The service, in namespace {@code default} unless it names one. */
  public Service build() {
    return build("default");
  }

  /** The service, in {@code defaultNamespace} unless it names one. */
  public Service build(String defaultNamespace) {
    String namespace = draft.namespace != null ? draft.namespace : defaultNamespace;
    require(Names.dnsLabel("namespace", namespace));
    Service.Builder b =
        Service.builder()
            .namespace(namespace)
            .name(draft.name)
            .mesh(draft.mesh)
            .allowPeerTraffic(draft.allowPeerTraffic)
            .gateway(draft.gateway)
            .metricsPort(java.util.Optional.ofNullable(draft.metricsPort))
            .addAllDeclarations(draft.declarations)
            .addAllEgress(draft.egress);
    if (!draft.selector.isEmpty()) {
      b.selector(draft.selector);
    }
    if (draft.podSubdomain != null) {
      b.podSubdomain(draft.podSubdomain);
    }
    if (draft.serviceAccount != null) {
      b.serviceAccount(draft.serviceAccount);
    }
    for (ServiceDraft.PortDraft p : draft.ports) {
      b.addPorts(
          Port.builder()
              .name(p.name)
              .port(p.port)
              .targetPort(p.targetPort)
              .protocol(p.protocol)
              .peerAuth(p.peerAuth)
              .addAllExposedTo(p.exposedTo)
              .build());
    }
    return b.build();
  }

  static void require(String problem) {
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }
}
