package dev.lattice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --policy-map-limit}: {@code lattice check} and {@code lattice render} estimate each
 * service's Cilium policy-map entries from the rendered policies and warn ({@code
 * policy-map-capacity}) where a hub passes the limit; {@code check --strict} fails on it.
 */
class PolicyMapLimitTest {
  @TempDir Path root;
  Path specs;

  /** A collector that admits any caller, and 300 callers outside the mesh. */
  @BeforeEach
  void setUp() {
    StringBuilder yaml = new StringBuilder();
    yaml.append(
        """
        apiVersion: lattice.dev/v1alpha1
        kind: LatticeService
        metadata: {name: collector, namespace: apps}
        spec:
          ambient: false
          workload:
            service:
              ports:
                otlp: {port: 4317}
            resources:
              any: {id: "*", direction: inbound}
        """);
    for (int i = 0; i < 300; i++) {
      yaml.append(
          """
          ---
          apiVersion: lattice.dev/v1alpha1
          kind: LatticeService
          metadata: {name: svc-%d, namespace: apps}
          spec:
            ambient: false
            workload:
              resources:
                collector: {direction: outbound}
          """
              .formatted(i));
    }
    specs = Fixtures.write(root.resolve("specs"), "apps.yaml", yaml.toString());
  }

  private Run lattice(Object... args) {
    return new MainTest().lattice(CommandContract.strings(args));
  }

  @Test
  void checkWarnsAboutAHubPastTheLimit() {
    Run run = lattice("check", "--policy-map-limit", "256", specs).exits(Main.OK);
    assertThat(run.err())
        .contains("warning[policy-map-capacity]")
        .contains("the pods of apps/collector need about 300 Cilium policy-map entries")
        .contains("limit of 256");
  }

  @Test
  void checkStrictFailsOnIt() {
    lattice("check", "--strict", "--policy-map-limit", "256", specs)
        .exits(Main.SPEC_ERRORS)
        .printsNothing();
  }

  @Test
  void renderWarnsAndStillRenders() {
    Run run = lattice("render", "--layer", "cilium", "--policy-map-limit", "256", specs);
    run.exits(Main.OK);
    assertThat(run.out()).contains("name: collector");
    assertThat(run.err()).contains("warning[policy-map-capacity]");
  }

  @Test
  void theDefaultLimitFitsIt() {
    Run run = lattice("check", specs).exits(Main.OK);
    assertThat(run.err()).doesNotContain("policy-map-capacity");
  }
}
