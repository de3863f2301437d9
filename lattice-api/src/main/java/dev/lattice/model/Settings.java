package dev.lattice.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * The facts about the cluster that renderers need: trust and DNS domains, the Istio root namespace,
 * the namespaces left out of default deny, where kube-dns runs, how waypoints are named and scoped,
 * and how load balancers and probes reach pods.
 *
 * <p>{@code Settings.defaults()} fits a stock Cilium + Istio ambient install; change what differs:
 *
 * <pre>{@code
 * Settings s = Settings.builder().trustDomain("prod.example.com").build();
 * }</pre>
 */
@Value.Immutable
public abstract class Settings {
  Settings() {}

  /** The SPIFFE trust domain of mesh identities; default {@code cluster.local}. */
  @Value.Default
  public String trustDomain() {
    return "cluster.local";
  }

  /** The cluster DNS domain; default {@code cluster.local}. */
  @Value.Default
  public String clusterDomain() {
    return "cluster.local";
  }

  /** Istio's root namespace, where mesh-wide policies live; default {@code istio-system}. */
  @Value.Default
  public String rootNamespace() {
    return "istio-system";
  }

  /** Namespaces whose pods stay outside the cluster-wide default deny. */
  @Value.Default
  @SuppressWarnings("immutables:untype") // set as a whole; the default stands until then
  public List<String> systemNamespaces() {
    return List.of(
        "cert-manager",
        "cilium-system",
        "istio-system",
        "kube-node-lease",
        "kube-public",
        "kube-system");
  }

  /** The namespace of kube-dns; default {@code kube-system}. */
  @Value.Default
  public String kubeDnsNamespace() {
    return "kube-system";
  }

  /** The labels of the kube-dns pods; default {@code k8s-app: kube-dns}. */
  @Value.Default
  @SuppressWarnings("immutables:untype") // set as a whole; the default stands until then
  public Map<String, String> kubeDnsSelector() {
    return Map.of("k8s-app", "kube-dns");
  }

  /** The name of a namespace's shared waypoint; default {@code waypoint}. */
  @Value.Default
  public String waypointName() {
    return "waypoint";
  }

  /** One waypoint per namespace (default) or per service. */
  @Value.Default
  public WaypointScope waypointScope() {
    return WaypointScope.NAMESPACE;
  }

  /** Whether to render the waypoint {@code Gateway}s; default true. */
  @Value.Default
  public boolean emitWaypointGateways() {
    return true;
  }

  /**
   * Whether load balancers keep the client's source address (externalTrafficPolicy Local, DSR);
   * default false, so a {@code world} exposure also admits the node entities that SNAT produces.
   */
  @Value.Default
  public boolean loadBalancerPreservesSourceIp() {
    return false;
  }

  /** The addresses ztunnel sends kubelet probes from (SNAT); admitted by the L4 layer. */
  @Value.Default
  @SuppressWarnings("immutables:untype") // set as a whole; the default stands until then
  public List<String> ambientProbeSources() {
    return List.of("169.254.7.127/32", "fd16:9254:7127:1337:ffff:ffff:ffff:ffff/128");
  }

  /**
   * The metrics scraper that the Lattice platform admits implicitly; absent by default, so nothing
   * is admitted that the specs do not say (fail closed).
   *
   * <p>The platform (its {@code lattice-graph} crate) makes every workload with a port named {@code
   * metrics} (or the port {@code observability.metrics.port} names) admit its VictoriaMetrics agent
   * {@code monitoring/vmagent} (service account {@code vmagent-lattice-metrics}), which declares
   * {@code dependsAll} and scrapes through a {@code VMServiceScrape}: it dials the pods' addresses,
   * never the Service. Set this to {@link #PLATFORM_METRICS_SCRAPER} (or your own scraper) to get
   * the same: every service with such a port then admits the scraper on that port alone, by pod IP,
   * unless it declares the scraper (or {@code "*"}) inbound itself. The platform admits it on every
   * port of such a workload; Lattice narrows it to the scraped port. The scraper must still be
   * declared, and must declare its callees outbound (e.g. {@code id: "*"}).
   */
  public abstract Optional<ServiceId> metricsScraper();

  /**
   * The capacity of each endpoint's Cilium policy map, the agent's {@code bpf-policy-map-max}:
   * 16,384 entries by default, 65,536 at most. Past it the agent cannot install an endpoint's
   * policy and its traffic drops unpredictably in the kernel, though the API server accepted every
   * policy; Lattice estimates each endpoint's entries from the rendered policies and warns ({@code
   * policy-map-capacity}) where an estimate passes this limit.
   */
  @Value.Default
  public int policyMapLimit() {
    return DEFAULT_POLICY_MAP_LIMIT;
  }

  /** Cilium's default {@code bpf-policy-map-max}. */
  public static final int DEFAULT_POLICY_MAP_LIMIT = 16_384;

  /** The largest {@code bpf-policy-map-max} Cilium accepts. */
  public static final int MAX_POLICY_MAP_LIMIT = 65_536;

  /** The smallest {@code bpf-policy-map-max} Cilium accepts. */
  public static final int MIN_POLICY_MAP_LIMIT = 256;

  /** The Lattice platform's metrics scraper: {@code monitoring/vmagent}. */
  public static final ServiceId PLATFORM_METRICS_SCRAPER = ServiceId.of("monitoring", "vmagent");

  /** The settings of a stock install. */
  public static Settings defaults() {
    return builder().build();
  }

  /** Starts settings from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The waypoint name for a service under {@link WaypointScope#SERVICE}: {@code
   * <service>-waypoint}, shortened with a stable hash past 63 characters (it is also a label
   * value).
   */
  public String serviceWaypointName(String serviceName) {
    return dev.lattice.output.ResourceNames.fit(serviceName + "-waypoint", 63);
  }

  /** The SPIFFE principal (without {@code spiffe://}) of a service account. */
  public String principal(String namespace, String serviceAccount) {
    return trustDomain() + "/ns/" + namespace + "/sa/" + serviceAccount;
  }

  /**
   * What is wrong with these settings, one sentence each (empty when they are valid): names that
   * end up in rendered documents must be valid there.
   */
  public java.util.List<String> problems() {
    java.util.List<String> out = new java.util.ArrayList<>();
    add(out, dev.lattice.internal.Names.dnsSubdomain("trust domain", trustDomain()));
    add(out, dev.lattice.internal.Names.dnsSubdomain("cluster domain", clusterDomain()));
    add(out, dev.lattice.internal.Names.dnsLabel("root namespace", rootNamespace()));
    add(out, dev.lattice.internal.Names.dnsLabel("kube-dns namespace", kubeDnsNamespace()));
    add(out, dev.lattice.internal.Names.dnsLabel("waypoint name", waypointName()));
    for (String ns : systemNamespaces()) {
      add(out, dev.lattice.internal.Names.dnsLabel("system namespace", ns));
    }
    if (kubeDnsSelector().isEmpty()) {
      out.add("the kube-dns selector is empty; name the kube-dns pods' labels");
    }
    for (Map.Entry<String, String> e : kubeDnsSelector().entrySet()) {
      add(out, dev.lattice.internal.Names.labelKey(e.getKey()));
      add(out, dev.lattice.internal.Names.labelValue(e.getKey(), e.getValue()));
    }
    for (String cidr : ambientProbeSources()) {
      add(out, dev.lattice.internal.Names.cidr(cidr));
    }
    if (policyMapLimit() < MIN_POLICY_MAP_LIMIT || policyMapLimit() > MAX_POLICY_MAP_LIMIT) {
      out.add(
          "the policy-map limit is "
              + policyMapLimit()
              + "; Cilium's bpf-policy-map-max takes "
              + MIN_POLICY_MAP_LIMIT
              + " to "
              + MAX_POLICY_MAP_LIMIT);
    }
    metricsScraper()
        .ifPresent(
            id -> {
              add(
                  out,
                  dev.lattice.internal.Names.dnsLabel("metrics scraper namespace", id.namespace()));
              add(out, dev.lattice.internal.Names.dnsLabel("metrics scraper name", id.name()));
            });
    return out;
  }

  private static void add(java.util.List<String> out, String problem) {
    if (problem != null) {
      out.add(problem);
    }
  }

  /** Builds {@link Settings}. */
  public static final class Builder extends ImmutableSettings.Builder {
    Builder() {}
  }
}
