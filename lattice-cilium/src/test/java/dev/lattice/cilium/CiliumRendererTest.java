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
import dev.lattice.testkit.Corpus;
import java.util.ArrayList;
import java.util.List;
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
            () ->
                cilium.renderService(
                    Corpus.topology("one-agreement"), ServiceId.of("shop", "nope")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shop/nope");
  }

  // ------------------------------------------------------------------ incremental rendering

  @Test
  void partialRendersAreExactlyTheWholeRender() {
    for (String c : Corpus.cases()) {
      Topology t = Corpus.topology(c);
      Manifest whole = cilium.render(t);
      List<Resource> parts = new ArrayList<>(cilium.renderClusterwide(t));
      for (Service s : t.services()) {
        List<Resource> one = cilium.renderService(t, s.id());
        ResourceKey key = ResourceKey.of("cilium.io", Documents.CNP, s.namespace(), s.name());
        assertThat(one)
            .as("%s: %s", c, s.id())
            .isEqualTo(whole.get(key).map(List::of).orElse(List.of()));
        parts.addAll(one);
      }
      for (Waypoint w : t.waypoints()) {
        parts.addAll(cilium.renderWaypoint(t, w));
      }
      assertThat(Manifest.of(parts).toYaml()).as(c).isEqualTo(whole.toYaml());
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
    String first = cilium.render(Corpus.topology("kitchen-sink")).toYaml();
    String second = cilium.render(Corpus.topology("kitchen-sink")).toYaml();
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
    Topology t = Corpus.topology("kitchen-sink");
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
    Resource api =
        cilium.renderService(Corpus.topology("one-agreement"), ServiceId.of("shop", "api")).get(0);
    assertThat(api.document().path("spec").has("egress")).isFalse();
  }

  @Test
  void serviceWithoutRulesHasNoPolicy() {
    assertThat(
            cilium.renderService(Corpus.topology("no-agreements"), ServiceId.of("shop", "lonely")))
        .isEmpty();
    assertThat(cilium.render(Corpus.topology("no-agreements")).resources())
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

  // ------------------------------------------------------------------ gateways, pod-IP callers

  private JsonNode cnp(Topology t, String namespace, String name) {
    return cilium
        .render(t)
        .get(ResourceKey.of("cilium.io", Documents.CNP, namespace, name))
        .orElseThrow(() -> new AssertionError("no policy " + namespace + "/" + name))
        .document();
  }

  /** The egress elements of {@code policy} whose peer selector has {@code label=value}. */
  private static List<JsonNode> egressTo(JsonNode policy, String label, String value) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode e : policy.path("spec").path("egress")) {
      if (value.equals(e.at("/toEndpoints/0/matchLabels").path(label).asText(null))) {
        out.add(e);
      }
    }
    return out;
  }

  private static List<JsonNode> ingressFrom(JsonNode policy, String label, String value) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode e : policy.path("spec").path("ingress")) {
      if (value.equals(e.at("/fromEndpoints/0/matchLabels").path(label).asText(null))) {
        out.add(e);
      }
    }
    return out;
  }

  private static List<String> dnsNames(JsonNode policy) {
    List<String> out = new ArrayList<>();
    for (JsonNode e : egressTo(policy, "k8s-app", "kube-dns")) {
      e.at("/toPorts/0/rules/dns").forEach(n -> out.add(n.path("matchName").asText()));
    }
    return out;
  }

  @Test
  void aGatewayReachesIstiodExactlyAsAWaypointDoes() {
    Topology t = Corpus.topology("gateway-and-scraper");
    JsonNode gateway = cnp(t, "istio-ingress", "gateway");
    JsonNode waypoint = cnp(t, "shop", "waypoint");
    for (JsonNode proxy : List.of(gateway, waypoint)) {
      assertThat(egressTo(proxy, "app", "istiod"))
          .singleElement()
          .satisfies(
              e -> {
                // a rendered document keeps its fields in the canonical (sorted) order
                assertThat(e.at("/toEndpoints/0/matchLabels").toString())
                    .isEqualTo(
                        "{\"app\":\"istiod\",\"k8s:io.kubernetes.pod.namespace\":\"istio-system\"}");
                assertThat(e.at("/toPorts/0/ports").toString())
                    .isEqualTo("[{\"port\":\"15012\",\"protocol\":\"TCP\"}]");
              });
      // istiod's name (the agents' discovery and CA address), with its search-path expansions
      assertThat(dnsNames(proxy)).contains("istiod.istio-system.svc");
    }
    assertThat(dnsNames(gateway))
        .filteredOn(n -> n.startsWith("istiod"))
        .containsExactly(
            "istiod.istio-system.svc",
            "istiod.istio-system.svc.cluster.local",
            "istiod.istio-system.svc.istio-ingress.svc.cluster.local",
            "istiod.istio-system.svc.svc.cluster.local");
    // an ordinary service gets none of it
    assertThat(egressTo(cnp(t, "shop", "admin"), "app", "istiod")).isEmpty();
    assertThat(dnsNames(cnp(t, "shop", "admin"))).noneMatch(n -> n.startsWith("istiod"));
  }

  @Test
  void aGatewayCallsAServiceBehindAWaypointThroughIt() {
    Topology t = Corpus.topology("gateway-and-scraper");
    JsonNode gateway = cnp(t, "istio-ingress", "gateway");
    assertThat(egressTo(gateway, Peer.GATEWAY_NAME_LABEL, "waypoint")).hasSize(1);
    assertThat(egressTo(gateway, "app.kubernetes.io/name", "web")).isEmpty();
    assertThat(ingressFrom(cnp(t, "shop", "waypoint"), "istio", "ingressgateway")).hasSize(1);
  }

  @Test
  void aPodIpCallerGoesToThePodsPastTheWaypoint() {
    Topology t = Corpus.topology("gateway-and-scraper");
    JsonNode prometheus = cnp(t, "monitoring", "prometheus");
    JsonNode web = cnp(t, "shop", "web");
    JsonNode waypoint = cnp(t, "shop", "waypoint");
    assertThat(egressTo(prometheus, "app.kubernetes.io/name", "web"))
        .singleElement()
        .satisfies(e -> assertThat(e.at("/toPorts/0/ports/0/port").asText()).isEqualTo("15008"));
    assertThat(egressTo(prometheus, Peer.GATEWAY_NAME_LABEL, "waypoint")).isEmpty();
    assertThat(ingressFrom(web, "app.kubernetes.io/name", "prometheus")).hasSize(1);
    assertThat(ingressFrom(waypoint, "app.kubernetes.io/name", "prometheus")).isEmpty();
    // the other mesh callers still reach the pods only through the waypoint
    assertThat(ingressFrom(web, "app.kubernetes.io/name", "admin")).isEmpty();
    assertThat(ingressFrom(web, Peer.GATEWAY_NAME_LABEL, "waypoint")).hasSize(1);
  }

  @Test
  void aPodIpCallerOutsideTheMeshComesOnTheContainerPort() {
    Topology t =
        ServiceGraph.builder()
            .namespace("shop")
            .add(service("checker").notInMesh().dependsOn("api").byPodIp().outbound())
            .add(service("admin").dependsOn("api").outbound())
            .add(
                service("api")
                    .port("http", 80, 8080)
                    .permissive()
                    .dependsOn("checker")
                    .inbound()
                    .dependsOn("admin")
                    .http(GET, "/x")
                    .inbound())
            .build()
            .resolve()
            .orThrow();
    assertThat(ingressFrom(cnp(t, "shop", "api"), "app.kubernetes.io/name", "checker"))
        .singleElement()
        .satisfies(e -> assertThat(e.at("/toPorts/0/ports/0/port").asText()).isEqualTo("8080"));
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
