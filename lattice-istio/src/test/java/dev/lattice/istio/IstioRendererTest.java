package dev.lattice.istio;

import static dev.lattice.dsl.Lattice.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lattice.diagnostics.LatticeException;
import dev.lattice.dsl.ServiceBuilder;
import dev.lattice.graph.ServiceGraph;
import dev.lattice.graph.Topology;
import dev.lattice.model.ServiceId;
import dev.lattice.model.Settings;
import dev.lattice.output.Manifest;
import dev.lattice.output.Resource;
import dev.lattice.testkit.Corpus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class IstioRendererTest {
  private static final IstioRenderer RENDERER = IstioRenderer.create();

  @Test
  void refusesATopologyWithErrors() {
    Topology broken =
        ServiceGraph.builder()
            .namespace("shop")
            .add(service("api").port("http", 8080).port("other", 8080))
            .build()
            .resolve();
    assertThat(broken.hasErrors()).isTrue();
    assertThatThrownBy(() -> RENDERER.render(broken)).isInstanceOf(LatticeException.class);
    assertThatThrownBy(() -> RENDERER.renderService(broken, ServiceId.of("shop", "api")))
        .isInstanceOf(LatticeException.class);
  }

  @Test
  void rejectsRenderingAServiceThatIsNotInTheTopology() {
    assertThatThrownBy(
            () ->
                RENDERER.renderService(
                    Corpus.topology("one-agreement"), ServiceId.of("shop", "nope")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shop/nope");
  }

  @Test
  void rendersTheMeshWideDefaultsInTheRootNamespace() {
    Manifest m = RENDERER.render(Corpus.topology("custom-trust-domain"));
    assertThat(m.resources())
        .filteredOn(r -> r.namespace().equals("mesh-root"))
        .extracting(Resource::toString)
        .containsExactly(
            "AuthorizationPolicy mesh-root/lattice-default-deny",
            "AuthorizationPolicy mesh-root/lattice-waypoint-default-deny",
            "PeerAuthentication mesh-root/lattice-default-strict");
    JsonNode denyAll = doc(m, "AuthorizationPolicy", "mesh-root", "lattice-default-deny");
    assertThat(denyAll.path("spec").isObject()).isTrue();
    assertThat(denyAll.path("spec").size()).isZero();
  }

  @Test
  void ztunnelRulesNeverCarryHttpAttributes() {
    // the checker itself notices one
    JsonNode httpRule =
        json("{\"to\":[{\"operation\":{\"ports\":[\"80\"],\"methods\":[\"GET\"]}}]}");
    assertThat(Structure.httpAttributes(httpRule)).containsExactly("methods");
    Manifest m = RENDERER.render(Corpus.topology("http-rules-waypoint"));
    for (Resource r : m.resources()) {
      if (r.document().path("spec").has("selector")) {
        r.document()
            .path("spec")
            .path("rules")
            .forEach(rule -> assertThat(Structure.httpAttributes(rule)).isEmpty());
      }
    }
  }

  @Test
  void neverPutsUdpPortsInIstioPortLists() {
    Topology t = Corpus.topology("udp-ports");
    List<Resource> dns = RENDERER.renderService(t, ServiceId.of("infra", "dns"));
    // 53 is also a TCP port; 8125 is UDP only, and PERMISSIVE, yet needs no PeerAuthentication
    assertThat(dns)
        .extracting(Resource::toString)
        .containsExactly("AuthorizationPolicy infra/dns-ztunnel");
    assertThat(dns.get(0).toYaml()).contains("\"53\"").doesNotContain("8125");
  }

  @Test
  void admitsPlaintextOnlyOnPortsANonMeshCallerOrAnExposureUses() {
    assertThat(RENDERER.render(Corpus.topology("permissive-port")).toYaml())
        .doesNotContain("notPrincipals");
    JsonNode api =
        doc(
            RENDERER.render(Corpus.topology("non-mesh-caller")),
            "AuthorizationPolicy",
            "shop",
            "api-ztunnel");
    JsonNode plaintext = api.path("spec").path("rules").get(1);
    assertThat(plaintext.path("from").get(0).path("source").toString())
        .isEqualTo("{\"notPrincipals\":[\"*\"]}");
    assertThat(plaintext.path("to").get(0).path("operation").path("ports").toString())
        .isEqualTo("[\"9001\"]");
  }

  @Test
  void rendersNothingForAServiceOutsideTheMesh() {
    Topology t = Corpus.topology("non-mesh-service");
    assertThat(RENDERER.renderService(t, ServiceId.of("shop", "legacy"))).isEmpty();
    assertThat(RENDERER.render(t).resources()).allMatch(r -> r.namespace().equals("istio-system"));
  }

  @Test
  void keepsTheRequiredLabelButNoGatewayWhenGatewaysAreNotEmitted() {
    Manifest m =
        RENDERER.render(
            Corpus.graph("http-rules-waypoint")
                .resolve(Settings.builder().emitWaypointGateways(false).build())
                .orThrow());
    assertThat(m.resources()).noneMatch(r -> r.kind().equals("Gateway"));
    assertThat(m.requiredLabels())
        .extracting(l -> l.kubectl())
        .containsExactly(
            "kubectl label service -n shop api istio.io/use-waypoint=waypoint",
            "kubectl label service -n shop orders istio.io/use-waypoint=waypoint");
  }

  @Test
  void givesAServiceInTheRootNamespaceNoPolicyOfItsOwn() {
    // a selector there would select matching pods in every namespace (I6): it stays denied
    Topology t =
        ServiceGraph.builder()
            .namespace("istio-system")
            .add(service("web").dependsOn("api").outbound())
            .add(service("api").port("http", 8080).dependsOn("web").inbound())
            .build()
            .resolve()
            .orThrow();
    assertThat(RENDERER.renderService(t, ServiceId.of("istio-system", "api"))).isEmpty();
    assertThat(RENDERER.render(t).resources()).hasSize(3);
  }

  @Test
  void splitsAPolicyPastTheRuleLimitOfItsCrd() {
    int callers = AllowRules.MAX_RULES + 1;
    ServiceBuilder api = service("api").port("http", 8080);
    List<ServiceBuilder> services = new ArrayList<>();
    for (int i = 0; i < callers; i++) {
      api = api.dependsOn("c" + i).http(GET, "/c" + i).inbound();
      services.add(service("c" + i).dependsOn("api").outbound());
    }
    ServiceGraph.Builder g = ServiceGraph.builder().namespace("shop").add(api);
    services.forEach(g::add);
    Manifest m = RENDERER.render(g.build().resolve().orThrow());
    assertThat(doc(m, "AuthorizationPolicy", "shop", "api-waypoint").path("spec").path("rules"))
        .hasSize(AllowRules.MAX_RULES);
    assertThat(doc(m, "AuthorizationPolicy", "shop", "api-waypoint-2").path("spec").path("rules"))
        .hasSize(1);
  }

  @Test
  void rendersTheSameBytesForTheSameGraph() {
    for (String c : Corpus.cases()) {
      Topology t = Corpus.topology(c);
      assertThat(RENDERER.render(t).toYaml()).isEqualTo(RENDERER.render(t).toYaml());
      assertThat(RENDERER.render(t).toJson()).isEqualTo(RENDERER.render(t).toJson());
    }
  }

  @Test
  void rendersTheSameBytesFromFourThreads() throws Exception {
    List<Topology> topologies = Corpus.cases().stream().map(Corpus::topology).toList();
    List<String> expected = topologies.stream().map(t -> RENDERER.render(t).toYaml()).toList();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<String>>> runs = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        Callable<List<String>> run =
            () -> {
              List<String> out = new ArrayList<>();
              for (int round = 0; round < 20; round++) {
                out.clear();
                topologies.forEach(t -> out.add(RENDERER.render(t).toYaml()));
              }
              return out;
            };
        runs.add(pool.submit(run));
      }
      for (Future<List<String>> f : runs) {
        assertThat(f.get()).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  // ------------------------------------------------------------------ gateways, pod-IP callers

  private static List<String> labels(Topology t) {
    return RENDERER.render(t).requiredLabels().stream()
        .map(l -> l.namespace() + "/" + l.name() + " " + l.key() + "=" + l.value())
        .toList();
  }

  @Test
  void aGatewayCallingAServiceBehindAWaypointNeedsTheIngressLabelThere() {
    assertThat(labels(Corpus.topology("gateway-and-scraper-two-backends")))
        .containsExactly(
            "shop/web istio.io/ingress-use-waypoint=true",
            "shop/web istio.io/use-waypoint=waypoint");
    // and the command prints it with the way to apply it
    assertThat(
            RENDERER
                .render(Corpus.topology("gateway-and-scraper-two-backends"))
                .requiredLabels()
                .get(0)
                .kubectl())
        .isEqualTo("kubectl label service -n shop web istio.io/ingress-use-waypoint=true");
  }

  @Test
  void theIngressLabelIsNeededOnlyWhereAGatewayWouldMeetAWaypoint() {
    // an ordinary mesh caller takes the waypoint with use-waypoint alone
    Topology ordinary =
        ServiceGraph.builder()
            .namespace("shop")
            .add(service("admin").dependsOn("web").outbound())
            .add(service("edge").dependsOn("web").outbound())
            .add(
                service("web")
                    .port("http", 80)
                    .dependsOn("admin")
                    .http(GET, "/x")
                    .inbound()
                    .dependsOn("edge")
                    .inbound())
            .build()
            .resolve()
            .orThrow();
    assertThat(labels(ordinary)).containsExactly("shop/web istio.io/use-waypoint=waypoint");
    // a gateway that dials the pods never meets the waypoint
    Topology byPodIp =
        ServiceGraph.builder()
            .namespace("shop")
            .add(service("admin").dependsOn("web").outbound())
            .add(service("edge").gateway().dependsOn("web").byPodIp().outbound())
            .add(
                service("web")
                    .port("http", 80)
                    .dependsOn("admin")
                    .http(GET, "/x")
                    .inbound()
                    .dependsOn("edge")
                    .inbound())
            .build()
            .resolve()
            .orThrow();
    assertThat(labels(byPodIp)).containsExactly("shop/web istio.io/use-waypoint=waypoint");
    // a gateway to a service without a waypoint needs nothing
    Topology plain =
        ServiceGraph.builder()
            .namespace("shop")
            .add(service("edge").gateway().dependsOn("web").outbound())
            .add(service("web").port("http", 80).dependsOn("edge").inbound())
            .build()
            .resolve()
            .orThrow();
    assertThat(labels(plain)).isEmpty();
  }

  @Test
  void aPodIpCallerIsAdmittedAtTheZtunnelNotTheWaypoint() {
    Manifest m = RENDERER.render(Corpus.topology("gateway-and-scraper-two-backends"));
    String prometheus = "cluster.local/ns/monitoring/sa/prometheus";
    assertThat(doc(m, "AuthorizationPolicy", "shop", "web-ztunnel").toString())
        .contains(prometheus);
    assertThat(doc(m, "AuthorizationPolicy", "shop", "web-waypoint").toString())
        .doesNotContain(prometheus);
    // on the container port it scrapes, nothing else
    JsonNode rules = doc(m, "AuthorizationPolicy", "shop", "web-ztunnel").at("/spec/rules");
    for (JsonNode rule : rules) {
      if (rule.at("/from/0/source/principals").toString().contains(prometheus)) {
        assertThat(rule.at("/to/0/operation/ports").toString()).isEqualTo("[\"9090\"]");
      }
    }
  }

  private static JsonNode doc(Manifest m, String kind, String ns, String name) {
    return m.resources().stream()
        .filter(r -> r.kind().equals(kind) && r.namespace().equals(ns) && r.name().equals(name))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no " + kind + " " + ns + "/" + name + " in " + m.resources()))
        .document();
  }

  private static JsonNode json(String text) {
    try {
      return new ObjectMapper().readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
