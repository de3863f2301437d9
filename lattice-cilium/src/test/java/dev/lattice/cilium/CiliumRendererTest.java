package dev.lattice.cilium;

import static dev.lattice.dsl.Lattice.GET;
import static dev.lattice.dsl.Lattice.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.diagnostics.LatticeException;
import dev.lattice.dsl.ServiceBuilder;
import dev.lattice.graph.ServiceGraph;
import dev.lattice.graph.Topology;
import dev.lattice.graph.Waypoint;
import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import dev.lattice.model.Settings;
import dev.lattice.output.Manifest;
import dev.lattice.output.Resource;
import dev.lattice.output.ResourceKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class CiliumRendererTest {
  private final CiliumRenderer cilium = CiliumRenderer.create();

  // ------------------------------------------------------------------ all or nothing

  @Test
  void refusesTopologyWithErrors() {
    Topology broken =
        ServiceGraph.builder()
            .namespace("shop")
            .add(service("web").notInMesh().dependsOn("api").outbound())
            .add(service("api").port("http", 8080).dependsOn("web").inbound()) // STRICT: error
            .build()
            .resolve();
    assertThat(broken.hasErrors()).isTrue();
    assertThatThrownBy(() -> cilium.render(broken)).isInstanceOf(LatticeException.class);
    assertThatThrownBy(() -> cilium.renderService(broken, ServiceId.of("shop", "web")))
        .isInstanceOf(LatticeException.class);
    assertThatThrownBy(() -> cilium.renderClusterwide(broken)).isInstanceOf(LatticeException.class);
  }

  @Test
  void rejectsUnknownService() {
    assertThatThrownBy(
            () -> cilium.renderService(Cases.oneAgreement(), ServiceId.of("shop", "nope")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shop/nope");
  }

  // ------------------------------------------------------------------ incremental rendering

  @Test
  void partialRendersAreExactlyTheWholeRender() {
    for (Map.Entry<String, Topology> c : Cases.all().entrySet()) {
      Topology t = c.getValue();
      Manifest whole = cilium.render(t);
      List<Resource> parts = new ArrayList<>(cilium.renderClusterwide(t));
      for (Service s : t.services()) {
        List<Resource> one = cilium.renderService(t, s.id());
        ResourceKey key = ResourceKey.of("cilium.io", Documents.CNP, s.namespace(), s.name());
        assertThat(one)
            .as("%s: %s", c.getKey(), s.id())
            .isEqualTo(whole.get(key).map(List::of).orElse(List.of()));
        parts.addAll(one);
      }
      for (Waypoint w : t.waypoints()) {
        parts.addAll(cilium.renderWaypoint(t, w));
      }
      assertThat(Manifest.of(parts).toYaml()).as(c.getKey()).isEqualTo(whole.toYaml());
    }
  }

  @Test
  void anUnrelatedServiceChangesNoOtherPolicy() {
    ServiceBuilder web = service("web").port("http", 8080).dependsOn("api").outbound();
    ServiceBuilder api =
        service("api").port("http", 8080).dependsOn("web").http(GET, "/x").inbound();
    Topology before = ServiceGraph.builder().namespace("shop").add(web).add(api).build().resolve();
    Topology after =
        ServiceGraph.builder()
            .namespace("shop")
            .add(web)
            .add(api)
            .add(service("other").port("http", 8080).dependsOn("web").outbound())
            .build()
            .resolve();
    for (String name : List.of("web", "api")) {
      ServiceId id = ServiceId.of("shop", name);
      assertThat(cilium.renderService(after, id)).isEqualTo(cilium.renderService(before, id));
    }
    assertThat(cilium.renderWaypoint(after, after.waypoints().get(0)))
        .isEqualTo(cilium.renderWaypoint(before, before.waypoints().get(0)));
  }

  // ------------------------------------------------------------------ determinism

  @Test
  void sameGraphGivesIdenticalBytes() {
    String first = cilium.render(Cases.kitchenSink()).toYaml();
    String second = cilium.render(Cases.kitchenSink()).toYaml();
    assertThat(second).isEqualTo(first);
  }

  @Test
  void declarationOrderDoesNotMatter() {
    ServiceBuilder web =
        service("web").port("http", 8080).dependsOn("api").outbound().dependsOn("db").outbound();
    ServiceBuilder api =
        service("api").port("http", 8080).port("grpc", 9090).dependsOn("web").inbound();
    ServiceBuilder db = service("db").port("pg", 5432).dependsOn("web").inbound();
    String a =
        cilium
            .render(
                ServiceGraph.builder()
                    .namespace("shop")
                    .add(web)
                    .add(api)
                    .add(db)
                    .build()
                    .resolve())
            .toYaml();
    String b =
        cilium
            .render(
                ServiceGraph.builder()
                    .namespace("shop")
                    .add(db)
                    .add(api)
                    .add(web)
                    .build()
                    .resolve())
            .toYaml();
    assertThat(b).isEqualTo(a);
  }

  @Test
  void concurrentRendersGiveIdenticalBytes() throws Exception {
    Topology t = Cases.kitchenSink();
    String expected = cilium.render(t).toYaml();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<String>> jobs = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        jobs.add(() -> cilium.render(t).toYaml());
      }
      for (Future<String> f : pool.invokeAll(jobs)) {
        assertThat(f.get()).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  // ------------------------------------------------------------------ rules

  @Test
  void serviceWithNothingToResolveHasNoDnsRule() {
    Resource api = cilium.renderService(Cases.oneAgreement(), ServiceId.of("shop", "api")).get(0);
    assertThat(api.document().path("spec").has("egress")).isFalse();
  }

  @Test
  void serviceWithoutRulesHasNoPolicy() {
    assertThat(cilium.renderService(Cases.noAgreements(), ServiceId.of("shop", "lonely")))
        .isEmpty();
    assertThat(cilium.render(Cases.noAgreements()).resources())
        .extracting(Resource::name)
        .containsExactly(ClusterPolicies.AMBIENT_PROBES, ClusterPolicies.DEFAULT_DENY);
  }

  @Test
  void splitsLongPortListsAtTheCrdLimit() {
    ServiceBuilder wide = service("wide").notInMesh();
    for (int i = 0; i < 45; i++) {
      wide = wide.port("p" + i, 10000 + i);
    }
    Topology t =
        ServiceGraph.builder()
            .namespace("shop")
            .add(wide.dependsOn("client").inbound())
            .add(service("client").notInMesh().dependsOn("wide").outbound())
            .build()
            .resolve();
    JsonNode element =
        cilium
            .renderService(t, ServiceId.of("shop", "wide"))
            .get(0)
            .document()
            .path("spec")
            .path("ingress")
            .get(0);
    assertThat(element.path("toPorts")).hasSize(2);
    assertThat(element.path("toPorts").get(0).path("ports")).hasSize(40);
    assertThat(element.path("toPorts").get(1).path("ports")).hasSize(5);
  }

  @Test
  void dropsSearchExpansionsLongerThanDnsAllows() {
    String ns = "n".repeat(63);
    String name = "s".repeat(63);
    Topology t =
        ServiceGraph.builder()
            .add(service(ns + "/" + name).port("http", 80).dependsOn(ns + "/caller").inbound())
            .add(service(ns + "/caller").dependsOn(ns + "/" + name).outbound())
            .build()
            .resolve(Settings.builder().clusterDomain("c".repeat(50) + ".example").build());
    JsonNode dns =
        cilium
            .renderService(t, ServiceId.of(ns, "caller"))
            .get(0)
            .document()
            .path("spec")
            .path("egress")
            .get(0)
            .path("toPorts")
            .get(0)
            .path("rules")
            .path("dns");
    assertThat(dns.size()).isPositive();
    for (JsonNode entry : dns) {
      assertThat(entry.path("matchName").asText().length()).isBetween(1, 253);
    }
  }

  @Test
  void withoutSystemNamespacesDefaultDenySelectsEveryPod() {
    Topology t =
        ServiceGraph.builder()
            .add(service("web").port("http", 80))
            .build()
            .resolve(
                Settings.builder()
                    .systemNamespaces(List.of())
                    .ambientProbeSources(List.of())
                    .build());
    List<Resource> cluster = cilium.renderClusterwide(t);
    assertThat(cluster).extracting(Resource::name).containsExactly(ClusterPolicies.DEFAULT_DENY);
    assertThat(cluster.get(0).document().path("spec").path("endpointSelector").size()).isZero();
  }

  @Test
  void probeExceptionOnlyForNamespacesWithAmbientServices() {
    Topology t =
        ServiceGraph.builder()
            .add(service("a/web").port("http", 80))
            .add(service("b/legacy").notInMesh().port("http", 80))
            .add(service("kube-system/tool").port("http", 80))
            .build()
            .resolve();
    Resource probes = cilium.renderClusterwide(t).get(0);
    assertThat(probes.name()).isEqualTo(ClusterPolicies.AMBIENT_PROBES);
    JsonNode in =
        probes.document().path("spec").path("endpointSelector").path("matchExpressions").get(0);
    assertThat(in.path("operator").asText()).isEqualTo("In");
    assertThat(in.path("values")).extracting(JsonNode::asText).containsExactly("a");
  }

  // ------------------------------------------------------------------ options

  @Test
  void optionsAcceptDnsNamesOnly() {
    assertThat(
            CiliumOptions.builder()
                .nodeSearchDomain("us-west-2.compute.internal")
                .build()
                .nodeSearchDomains())
        .containsExactly("us-west-2.compute.internal");
    for (String bad : List.of("", "Ec2.internal", "ec2.internal.", "-x.internal", "a..b")) {
      assertThatThrownBy(() -> CiliumOptions.builder().nodeSearchDomain(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("node search domain");
    }
    assertThat(CiliumRenderer.create().options()).isEqualTo(CiliumOptions.defaults());
  }
}
