package dev.lattice.istio;

import static dev.lattice.dsl.Lattice.service;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.graph.ServiceGraph;
import dev.lattice.graph.Topology;
import dev.lattice.output.Resource;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A callee that thousands of services call (a telemetry collector that admits {@code "*"}) gets its
 * principals over several rules, and its rules over several policies, so no document outgrows what
 * the API server and kubectl accept; ALLOW rules and policies are a union (I1, I3).
 */
class PolicyPartsTest {

  @Test
  void aCalleeWithThousandsOfCallersIsAdmittedOverSeveralRulesAndPolicies() {
    int callers = 6000;
    ServiceGraph.Builder g = ServiceGraph.builder().namespace("apps");
    g.add(service("telemetry/collector").port("otlp", 4317).dependsOn("*").inbound());
    for (int i = 0; i < callers; i++) {
      g.add(service("caller-with-a-longish-name-" + i).dependsOn("telemetry/collector").outbound());
    }
    Topology t = g.build().resolve().orThrow();

    List<Resource> policies =
        IstioRenderer.create().render(t).resources().stream()
            .filter(
                r -> r.namespace().equals("telemetry") && r.kind().equals("AuthorizationPolicy"))
            .toList();

    assertThat(policies).hasSizeGreaterThan(1);
    assertThat(policies)
        .extracting(Resource::name)
        .startsWith("collector-ztunnel", "collector-ztunnel-2")
        .allMatch(n -> n.matches("collector-ztunnel(-\\d+)?"));
    Set<String> admitted = new TreeSet<>();
    for (Resource r : policies) {
      assertThat(r.toYaml().length()).as(r.name()).isLessThan(256 * 1024);
      for (JsonNode rule : r.document().path("spec").path("rules")) {
        JsonNode principals = rule.path("from").path(0).path("source").path("principals");
        assertThat(principals.size()).isLessThanOrEqualTo(AllowRules.MAX_PRINCIPALS);
        assertThat(rule.path("to").toString())
            .isEqualTo("[{\"operation\":{\"ports\":[\"4317\"]}}]");
        principals.forEach(p -> admitted.add(p.asText()));
      }
    }
    assertThat(admitted)
        .hasSize(callers)
        .contains(
            "cluster.local/ns/apps/sa/caller-with-a-longish-name-0",
            "cluster.local/ns/apps/sa/caller-with-a-longish-name-5999");
  }
}
