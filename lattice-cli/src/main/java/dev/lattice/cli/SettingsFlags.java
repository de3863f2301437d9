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
import java.util.Set;

/** The settings flags every command takes, mirroring {@link Settings} (DESIGN §3). */
final class SettingsFlags {
  static final Set<String> VALUED =
      Set.of(
          "--trust-domain",
          "--cluster-domain",
          "--root-namespace",
          "--system-namespaces",
          "--kube-dns-namespace",
          "--kube-dns-selector",
          "--waypoint-name",
          "--waypoint-scope",
          "--probe-sources",
          "--metrics-scraper");
  static final Set<String> FLAGS = Set.of("--no-waypoint-gateways", "--lb-preserves-source-ip");

  static final String HELP =
      "settings:\n"
          + "  --trust-domain D           SPIFFE trust domain (default cluster.local)\n"
          + "  --cluster-domain D         cluster DNS domain (default cluster.local)\n"
          + "  --root-namespace NS        Istio root namespace (default istio-system)\n"
          + "  --system-namespaces A,B    namespaces left out of default deny\n"
          + "                             (default cert-manager,cilium-system,istio-system,\n"
          + "                              kube-node-lease,kube-public,kube-system)\n"
          + "  --kube-dns-namespace NS    where kube-dns runs (default kube-system)\n"
          + "  --kube-dns-selector K=V,.. kube-dns pod labels (default k8s-app=kube-dns)\n"
          + "  --waypoint-name N          a namespace's waypoint (default waypoint)\n"
          + "  --waypoint-scope S         namespace (default) or service\n"
          + "  --no-waypoint-gateways     do not render the waypoint Gateways\n"
          + "  --lb-preserves-source-ip   load balancers keep client addresses (no node SNAT)\n"
          + "  --probe-sources C,C        ambient kubelet probe sources\n"
          + "  --metrics-scraper NS/NAME  admit this scraper, by pod IP, on every port named\n"
          + "                             metrics, as the Lattice platform does for its\n"
          + "                             monitoring/vmagent (default: none, fail closed)\n";

  private SettingsFlags() {}

  static Settings from(Args args) throws UsageException {
    Settings.Builder b = Settings.builder();
    if (args.has("--trust-domain")) {
      b.trustDomain(valid(args, "--trust-domain", Names::dnsSubdomain));
    }
    if (args.has("--cluster-domain")) {
      b.clusterDomain(valid(args, "--cluster-domain", Names::dnsSubdomain));
    }
    if (args.has("--root-namespace")) {
      b.rootNamespace(valid(args, "--root-namespace", Names::dnsLabel));
    }
    if (args.has("--system-namespaces")) {
      List<String> namespaces = list(args.get("--system-namespaces"));
      for (String ns : namespaces) {
        fail(Names.dnsLabel("--system-namespaces: namespace", ns));
      }
      b.systemNamespaces(namespaces);
    }
    if (args.has("--kube-dns-namespace")) {
      b.kubeDnsNamespace(valid(args, "--kube-dns-namespace", Names::dnsLabel));
    }
    if (args.has("--kube-dns-selector")) {
      Map<String, String> labels = new LinkedHashMap<>();
      for (String kv : list(args.get("--kube-dns-selector"))) {
        int eq = kv.indexOf('=');
        if (eq <= 0) {
          throw new UsageException("--kube-dns-selector takes key=value pairs, got \"" + kv + "\"");
        }
        String key = kv.substring(0, eq);
        String value = kv.substring(eq + 1);
        fail(prefixed("--kube-dns-selector", Names.labelKey(key)));
        fail(prefixed("--kube-dns-selector", Names.labelValue(key, value)));
        labels.put(key, value);
      }
      if (labels.isEmpty()) {
        throw new UsageException("--kube-dns-selector needs at least one key=value");
      }
      b.kubeDnsSelector(labels);
    }
    if (args.has("--waypoint-name")) {
      b.waypointName(valid(args, "--waypoint-name", Names::dnsLabel));
    }
    if (args.has("--waypoint-scope")) {
      String s = args.get("--waypoint-scope").toUpperCase(Locale.ROOT);
      try {
        b.waypointScope(WaypointScope.valueOf(s));
      } catch (IllegalArgumentException e) {
        throw new UsageException(
            "--waypoint-scope is namespace or service, got \""
                + args.get("--waypoint-scope")
                + "\"");
      }
    }
    if (args.has("--no-waypoint-gateways")) {
      b.emitWaypointGateways(false);
    }
    if (args.has("--lb-preserves-source-ip")) {
      b.loadBalancerPreservesSourceIp(true);
    }
    if (args.has("--probe-sources")) {
      List<String> sources = list(args.get("--probe-sources"));
      if (sources.isEmpty()) {
        throw new UsageException("--probe-sources needs at least one CIDR");
      }
      for (String cidr : sources) {
        fail(prefixed("--probe-sources", Names.cidr(cidr)));
      }
      b.ambientProbeSources(sources);
    }
    if (args.has("--metrics-scraper")) {
      String value = nonEmpty(args, "--metrics-scraper");
      int slash = value.indexOf('/');
      if (slash <= 0 || slash != value.lastIndexOf('/') || slash == value.length() - 1) {
        throw new UsageException(
            "--metrics-scraper takes NS/NAME, e.g. monitoring/vmagent, got \"" + value + "\"");
      }
      ServiceId id = ServiceId.parse(value, "");
      fail(prefixed("--metrics-scraper", Names.dnsLabel("namespace", id.namespace())));
      fail(prefixed("--metrics-scraper", Names.dnsLabel("name", id.name())));
      b.metricsScraper(id);
    }
    return b.build();
  }

  private static String nonEmpty(Args args, String name) throws UsageException {
    String v = args.get(name).trim();
    if (v.isEmpty()) {
      throw new UsageException(name + " must not be empty");
    }
    return v;
  }

  /** A syntax check of Names: null when {@code value} is fine, else what is wrong. */
  private interface Check {
    String problem(String what, String value);
  }

  /**
   * The trimmed, non-empty value of {@code name}, which must pass {@code check}: Settings takes any
   * string, and a bad one would only show later, as documents the API server rejects.
   */
  private static String valid(Args args, String name, Check check) throws UsageException {
    String value = nonEmpty(args, name);
    fail(check.problem(name, value));
    return value;
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
