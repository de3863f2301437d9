package dev.lattice.cli;

import dev.lattice.internal.Names;
import dev.lattice.model.ServiceId;
import dev.lattice.model.Settings;
import dev.lattice.model.WaypointScope;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The settings flags every command that reads specs takes, mirroring {@link Settings}: a picocli
 * mixin. Each option's default shown in the help comes from {@link Settings#defaults()} through
 * {@link SettingsDefaults}; an option not given leaves the setting at that default.
 */
final class SettingsOptions {
  /** The mixin's name; the help collapses its options into {@code [settings]} in the synopsis. */
  static final String MIXIN = "settings";

  @Option(
      names = "--trust-domain",
      paramLabel = "D",
      description = "SPIFFE trust domain (default ${DEFAULT-VALUE})")
  String trustDomain;

  @Option(
      names = "--cluster-domain",
      paramLabel = "D",
      description = "cluster DNS domain (default ${DEFAULT-VALUE})")
  String clusterDomain;

  @Option(
      names = "--root-namespace",
      paramLabel = "NS",
      description = "Istio root namespace (default ${DEFAULT-VALUE})")
  String rootNamespace;

  @Option(
      names = "--system-namespaces",
      paramLabel = "A,B",
      description = "namespaces left out of default deny (default ${DEFAULT-VALUE})")
  String systemNamespaces;

  @Option(
      names = "--kube-dns-namespace",
      paramLabel = "NS",
      description = "where kube-dns runs (default ${DEFAULT-VALUE})")
  String kubeDnsNamespace;

  @Option(
      names = "--kube-dns-selector",
      paramLabel = "K=V,..",
      description = "kube-dns pod labels (default ${DEFAULT-VALUE})")
  String kubeDnsSelector;

  @Option(
      names = "--waypoint-name",
      paramLabel = "N",
      description = "a namespace's waypoint (default ${DEFAULT-VALUE})")
  String waypointName;

  @Option(
      names = "--waypoint-scope",
      paramLabel = "S",
      description = "namespace or service (default ${DEFAULT-VALUE})")
  String waypointScope;

  @Option(
      names = "--no-waypoint-gateways",
      arity = "0",
      description = "do not render the waypoint Gateways")
  boolean noWaypointGateways;

  @Option(
      names = "--lb-preserves-source-ip",
      arity = "0",
      description = "load balancers keep client addresses (no node SNAT)")
  boolean lbPreservesSourceIp;

  @Option(
      names = "--probe-sources",
      paramLabel = "C,C",
      description = "ambient kubelet probe sources (default ${DEFAULT-VALUE})")
  String probeSources;

  @Option(
      names = "--metrics-scraper",
      paramLabel = "NS/NAME",
      description =
          "admit this scraper, by pod IP, on every port named metrics, as the Lattice platform"
              + " does for its monitoring/vmagent (default: none, fail closed)")
  String metricsScraper;

  @Option(
      names = "--policy-map-limit",
      paramLabel = "N",
      description =
          "the agents' bpf-policy-map-max: warn (policy-map-capacity) where a service's pods would"
              + " need more Cilium policy-map entries, 256..65536 (default ${DEFAULT-VALUE})")
  Integer policyMapLimit;

  /** The settings the flags name; an option not given keeps its default. */
  Settings settings() throws UsageException {
    Settings.Builder b = Settings.builder();
    if (trustDomain != null) {
      b.trustDomain(valid("--trust-domain", trustDomain, Names::dnsSubdomain));
    }
    if (clusterDomain != null) {
      b.clusterDomain(valid("--cluster-domain", clusterDomain, Names::dnsSubdomain));
    }
    if (rootNamespace != null) {
      b.rootNamespace(valid("--root-namespace", rootNamespace, Names::dnsLabel));
    }
    if (systemNamespaces != null) {
      List<String> namespaces = list(systemNamespaces);
      for (String ns : namespaces) {
        fail(Names.dnsLabel("--system-namespaces: namespace", ns));
      }
      b.systemNamespaces(namespaces);
    }
    if (kubeDnsNamespace != null) {
      b.kubeDnsNamespace(valid("--kube-dns-namespace", kubeDnsNamespace, Names::dnsLabel));
    }
    if (kubeDnsSelector != null) {
      b.kubeDnsSelector(labels(kubeDnsSelector));
    }
    if (waypointName != null) {
      b.waypointName(valid("--waypoint-name", waypointName, Names::dnsLabel));
    }
    if (waypointScope != null) {
      try {
        b.waypointScope(WaypointScope.valueOf(waypointScope.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new UsageException(
            "--waypoint-scope is namespace or service, got \"" + waypointScope + "\"");
      }
    }
    if (noWaypointGateways) {
      b.emitWaypointGateways(false);
    }
    if (lbPreservesSourceIp) {
      b.loadBalancerPreservesSourceIp(true);
    }
    if (probeSources != null) {
      List<String> sources = list(probeSources);
      if (sources.isEmpty()) {
        throw new UsageException("--probe-sources needs at least one CIDR");
      }
      for (String cidr : sources) {
        fail(prefixed("--probe-sources", Names.cidr(cidr)));
      }
      b.ambientProbeSources(sources);
    }
    if (metricsScraper != null) {
      b.metricsScraper(scraper(metricsScraper));
    }
    if (policyMapLimit != null) {
      if (policyMapLimit < Settings.MIN_POLICY_MAP_LIMIT
          || policyMapLimit > Settings.MAX_POLICY_MAP_LIMIT) {
        throw new UsageException(
            "--policy-map-limit takes Cilium's bpf-policy-map-max, "
                + Settings.MIN_POLICY_MAP_LIMIT
                + " to "
                + Settings.MAX_POLICY_MAP_LIMIT
                + ", got "
                + policyMapLimit);
      }
      b.policyMapLimit(policyMapLimit);
    }
    return b.build();
  }

  private static ServiceId scraper(String value) throws UsageException {
    String v = value.trim();
    int slash = v.indexOf('/');
    if (slash <= 0 || slash != v.lastIndexOf('/') || slash == v.length() - 1) {
      throw new UsageException(
          "--metrics-scraper takes NS/NAME, e.g. monitoring/vmagent, got \"" + value + "\"");
    }
    ServiceId id = ServiceId.parse(v, "");
    fail(prefixed("--metrics-scraper", Names.dnsLabel("namespace", id.namespace())));
    fail(prefixed("--metrics-scraper", Names.dnsLabel("name", id.name())));
    return id;
  }

  private static Map<String, String> labels(String value) throws UsageException {
    Map<String, String> labels = new LinkedHashMap<>();
    for (String kv : list(value)) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new UsageException("--kube-dns-selector takes key=value pairs, got \"" + kv + "\"");
      }
      String key = kv.substring(0, eq);
      String v = kv.substring(eq + 1);
      fail(prefixed("--kube-dns-selector", Names.labelKey(key)));
      fail(prefixed("--kube-dns-selector", Names.labelValue(key, v)));
      labels.put(key, v);
    }
    if (labels.isEmpty()) {
      throw new UsageException("--kube-dns-selector needs at least one key=value");
    }
    return labels;
  }

  /** A syntax check of Names: null when {@code value} is fine, else what is wrong. */
  private interface Check {
    String problem(String what, String value);
  }

  /**
   * The trimmed, non-empty {@code value} of {@code name}, which must pass {@code check}: Settings
   * takes any string, and a bad one would only show later, as documents the API server rejects.
   */
  private static String valid(String name, String value, Check check) throws UsageException {
    String v = value.trim();
    if (v.isEmpty()) {
      throw new UsageException(name + " must not be empty");
    }
    fail(check.problem(name, v));
    return v;
  }

  private static void fail(String problem) throws UsageException {
    if (problem != null) {
      throw new UsageException(problem);
    }
  }

  private static String prefixed(String flag, String problem) {
    return problem == null ? null : flag + ": " + problem;
  }

  private static List<String> list(String value) {
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
