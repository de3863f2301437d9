package dev.lattice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lattice.model.Settings;
import dev.lattice.model.WaypointScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** {@link SettingsOptions}: each flag sets its setting, and a malformed value is a usage error. */
class SettingsOptionsTest {
  /** The settings {@code lattice render ARGS specs} asks for. */
  static Settings settings(String... args) throws UsageException {
    List<String> argv = new ArrayList<>(List.of("render"));
    argv.addAll(List.of(args));
    argv.add("specs");
    CommandLine cl = Main.commandLine(new Io(System.out, System.err, false));
    ParseResult parsed = cl.parseArgs(argv.toArray(String[]::new));
    return ((SpecCommand) parsed.subcommand().commandSpec().userObject()).settings();
  }

  @Test
  void leavesTheDefaultsWithoutFlags() throws UsageException {
    assertThat(settings()).isEqualTo(Settings.defaults());
  }

  @Test
  void setsEverySettingItsFlagNames() throws UsageException {
    Settings s =
        settings(
            "--trust-domain",
            "prod.example.org",
            "--cluster-domain",
            "cluster.example",
            "--root-namespace",
            "istio-root",
            "--system-namespaces",
            "kube-system, ops",
            "--kube-dns-namespace",
            "dns",
            "--kube-dns-selector",
            "k8s-app=coredns,tier=dns",
            "--waypoint-name",
            "wp",
            "--waypoint-scope",
            "Service",
            "--no-waypoint-gateways",
            "--lb-preserves-source-ip",
            "--probe-sources",
            "10.9.0.0/16,fd00::/8",
            "--metrics-scraper",
            "monitoring/vmagent",
            "--policy-map-limit",
            "65536");
    assertThat(s.trustDomain()).isEqualTo("prod.example.org");
    assertThat(s.clusterDomain()).isEqualTo("cluster.example");
    assertThat(s.rootNamespace()).isEqualTo("istio-root");
    assertThat(s.systemNamespaces()).containsExactly("kube-system", "ops");
    assertThat(s.kubeDnsNamespace()).isEqualTo("dns");
    assertThat(s.kubeDnsSelector()).isEqualTo(Map.of("k8s-app", "coredns", "tier", "dns"));
    assertThat(s.waypointName()).isEqualTo("wp");
    assertThat(s.waypointScope()).isEqualTo(WaypointScope.SERVICE);
    assertThat(s.emitWaypointGateways()).isFalse();
    assertThat(s.loadBalancerPreservesSourceIp()).isTrue();
    assertThat(s.ambientProbeSources()).containsExactly("10.9.0.0/16", "fd00::/8");
    assertThat(s.metricsScraper()).contains(Settings.PLATFORM_METRICS_SCRAPER);
    assertThat(s.policyMapLimit()).isEqualTo(65536);
  }

  @Test
  void takesCiliumsDefaultPolicyMapLimit() throws UsageException {
    assertThat(settings().policyMapLimit()).isEqualTo(16384);
  }

  @Test
  void admitsNoMetricsScraperUnlessAsked() throws UsageException {
    assertThat(settings().metricsScraper()).isEmpty();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "--trust-domain       | ''               | --trust-domain must not be empty",
        "--trust-domain       | Prod.Example     | --trust-domain \"Prod.Example\" is not a DNS-1123 subdomain",
        "--cluster-domain     | a..b             | --cluster-domain \"a..b\" is not a DNS-1123 subdomain",
        "--root-namespace     | Istio_System     | did you mean \"istio-system\"?",
        "--kube-dns-namespace | kube.system      | --kube-dns-namespace \"kube.system\" is not a DNS-1123 label",
        "--system-namespaces  | kube-system,Ops  | --system-namespaces: namespace \"Ops\" is not a DNS-1123 label",
        "--kube-dns-selector  | k8s-app          | --kube-dns-selector takes key=value pairs, got \"k8s-app\"",
        "--kube-dns-selector  | k8s-app=core dns | --kube-dns-selector: label value \"core dns\"",
        "--kube-dns-selector  | ','              | --kube-dns-selector needs at least one key=value",
        "--waypoint-name      | my_waypoint      | --waypoint-name \"my_waypoint\" is not a DNS-1123 label",
        "--waypoint-scope     | pod              | --waypoint-scope is namespace or service, got \"pod\"",
        "--probe-sources      | 169.254.7.127    | write \"169.254.7.127/32\" for one address",
        "--probe-sources      | 10.1.0.0/8       | write the network address 10.0.0.0/8",
        "--probe-sources      | ','              | --probe-sources needs at least one CIDR",
        "--metrics-scraper    | vmagent          | --metrics-scraper takes NS/NAME, e.g. monitoring/vmagent",
        "--metrics-scraper    | a/b/c            | --metrics-scraper takes NS/NAME",
        "--metrics-scraper    | Monitoring/vmagent | --metrics-scraper: namespace \"Monitoring\" is not a DNS-1123 label",
        "--policy-map-limit   | 65537            | --policy-map-limit takes Cilium's bpf-policy-map-max, 256 to 65536, got 65537",
        "--policy-map-limit   | 255              | 256 to 65536, got 255",
      })
  void refusesAMalformedValue(String flag, String value, String message) {
    assertThatThrownBy(() -> settings(flag, value))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining(message);
  }
}
