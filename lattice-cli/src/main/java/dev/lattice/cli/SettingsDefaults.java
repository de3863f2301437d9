package dev.lattice.cli;

import dev.lattice.model.Settings;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The defaults of the settings flags, read from {@link Settings#defaults()}: the library's defaults
 * are the only source, and the help shows them as they are.
 */
final class SettingsDefaults implements IDefaultValueProvider {
  private static final Settings DEFAULTS = Settings.defaults();

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec)) {
      return null;
    }
    switch (((OptionSpec) arg).longestName()) {
      case "--trust-domain":
        return DEFAULTS.trustDomain();
      case "--cluster-domain":
        return DEFAULTS.clusterDomain();
      case "--root-namespace":
        return DEFAULTS.rootNamespace();
      case "--system-namespaces":
        return String.join(",", DEFAULTS.systemNamespaces());
      case "--kube-dns-namespace":
        return DEFAULTS.kubeDnsNamespace();
      case "--kube-dns-selector":
        return DEFAULTS.kubeDnsSelector().entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(","));
      case "--waypoint-name":
        return DEFAULTS.waypointName();
      case "--waypoint-scope":
        return DEFAULTS.waypointScope().name().toLowerCase(Locale.ROOT);
      case "--probe-sources":
        return String.join(",", DEFAULTS.ambientProbeSources());
      case "--policy-map-limit":
        return Integer.toString(DEFAULTS.policyMapLimit());
      default:
        return null;
    }
  }
}
