package dev.lattice.cli;

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
          "--probe-sources");
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
          + "  --probe-sources C,C        ambient kubelet probe sources\n";

  private SettingsFlags() {}

  static Settings from(Args args) throws UsageException {
    Settings.Builder b = Settings.builder();
    if (args.has("--trust-domain")) {
      b.trustDomain(nonEmpty(args, "--trust-domain"));
    }
    if (args.has("--cluster-domain")) {
      b.clusterDomain(nonEmpty(args, "--cluster-domain"));
    }
    if (args.has("--root-namespace")) {
      b.rootNamespace(nonEmpty(args, "--root-namespace"));
    }
    if (args.has("--system-namespaces")) {
      b.systemNamespaces(list(args.get("--system-namespaces")));
    }
    if (args.has("--kube-dns-namespace")) {
      b.kubeDnsNamespace(nonEmpty(args, "--kube-dns-namespace"));
    }
    if (args.has("--kube-dns-selector")) {
      Map<String, String> labels = new LinkedHashMap<>();
      for (String kv : list(args.get("--kube-dns-selector"))) {
        int eq = kv.indexOf('=');
        if (eq <= 0) {
          throw new UsageException("--kube-dns-selector takes key=value pairs, got \"" + kv + "\"");
        }
        labels.put(kv.substring(0, eq), kv.substring(eq + 1));
      }
      if (labels.isEmpty()) {
        throw new UsageException("--kube-dns-selector needs at least one key=value");
      }
      b.kubeDnsSelector(labels);
    }
    if (args.has("--waypoint-name")) {
      b.waypointName(nonEmpty(args, "--waypoint-name"));
    }
    if (args.has("--waypoint-scope")) {
      String s = args.get("--waypoint-scope").toUpperCase(Locale.ROOT);
      try {
        b.waypointScope(WaypointScope.valueOf(s));
      } catch (IllegalArgumentException e) {
        throw new UsageException("--waypoint-scope is namespace or service, got \"" + args.get("--waypoint-scope") + "\"");
      }
    }
    if (args.has("--no-waypoint-gateways")) {
      b.emitWaypointGateways(false);
    }
    if (args.has("--lb-preserves-source-ip")) {
      b.loadBalancerPreservesSourceIp(true);
    }
    if (args.has("--probe-sources")) {
      b.ambientProbeSources(list(args.get("--probe-sources")));
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

  private static List<String> list(String value) {
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
