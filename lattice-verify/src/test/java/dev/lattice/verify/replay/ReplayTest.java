package dev.lattice.verify.replay;

import static dev.lattice.dsl.Lattice.fqdn;
import static dev.lattice.dsl.Lattice.service;
import static dev.lattice.dsl.Lattice.world;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lattice.cilium.CiliumRenderer;
import dev.lattice.graph.ServiceGraph;
import dev.lattice.graph.Topology;
import dev.lattice.istio.IstioRenderer;
import dev.lattice.spec.Specs;
import dev.lattice.verify.Layer;
import dev.lattice.verify.Verifier;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays real Hubble shapes ({@code hubble observe -o json}: connection starts observed at both
 * nodes, replies, established packets, drops, policy-verdict events, L7 HTTP and DNS, SOCK events,
 * HBONE, waypoint hops, kube-dns, world with and without names, the API server, node and lost-event
 * lines) against a small shop, and checks each list.
 */
class ReplayTest {
  static Verifier shop() {
    ServiceGraph g =
        ServiceGraph.builder()
            .add(
                service("web")
                    .inNamespace("shop")
                    .port("http", 8080)
                    .permissive()
                    .exposedTo(world())
                    .dependsOn("api")
                    .outbound()
                    .egressTo(fqdn("api.stripe.com").port(443), fqdn("*.s3.example.com").port(443)))
            .add(
                service("api")
                    .inNamespace("shop")
                    .port("http", 80, 8080)
                    .dependsOn("web")
                    .inbound()
                    .dependsOn("search")
                    .inbound()
                    .dependsOn("db")
                    .inNamespace("data")
                    .outbound())
            .add(
                service("db")
                    .inNamespace("data")
                    .port("pg", 5432)
                    .port("metrics", 9187)
                    .dependsOn("shop/api")
                    .inbound()
                    .dependsOn("shop/cron")
                    .ports("pg")
                    .inbound())
            .add(service("cart").inNamespace("shop").port("http", 8080))
            .add(
                service("legacy")
                    .inNamespace("shop")
                    .port("http", 8080)
                    .dependsOn("api")
                    .outbound())
            .add(
                service("search")
                    .inNamespace("shop")
                    .port("http", 8080)
                    .dependsOn("api")
                    .outbound())
            .add(service("cron").inNamespace("shop").dependsOn("db").inNamespace("data").outbound())
            .build();
    Topology t = g.resolve().orThrow();
    return Verifier.of(t, CiliumRenderer.create().render(t), IstioRenderer.create().render(t));
  }

  private static ReplayResult replayShop() throws IOException {
    try (InputStream in = ReplayTest.class.getResourceAsStream("/replay/shop-flows.jsonl")) {
      return Replay.of(shop()).run(in, "shop-flows.jsonl");
    }
  }

  private static List<String> connections(List<Observation> list) {
    List<String> out = new ArrayList<>();
    list.forEach(o -> out.add(o.connection()));
    return out;
  }

  @Test
  void countsLinesFlowsAndConnectionAttemptsAndWhatItSteppedOver() throws IOException {
    ReplayResult r = replayShop();
    assertThat(r.lines()).isEqualTo(27);
    assertThat(r.flows()).isEqualTo(24);
    assertThat(r.skipped())
        .containsEntry("replies", 2L)
        .containsEntry("TCP packets after a connection's first SYN", 1L)
        .containsEntry("DNS lookups (each connection's lookup is judged with it)", 2L)
        .containsEntry("ICMP (Lattice declares no ICMP)", 1L)
        .containsEntry("socket translation events (Type SOCK)", 1L)
        .containsEntry("hops to or from a waypoint (the waypoint hides the other end, M2)", 1L)
        .containsEntry("events other than flows (node_status)", 1L)
        .containsEntry("events other than flows (lost_events)", 1L);
    // SYN + SYN at the other node + policy verdict + L7 request, cart x2, legacy, api->db x2, dns,
    // 2 egress, 2 world, node-exporter, search, waypoint, kube-apiserver
    assertThat(r.attempts()).isEqualTo(18);
  }

  @Test
  void allowedFlowsAreTheAgreedOnes() throws IOException {
    ReplayResult r = replayShop();
    assertThat(connections(r.allowed()))
        .containsExactlyInAnyOrder(
            "shop/web -> shop/api 8080/TCP",
            "shop/web -> shop/api 8080/TCP GET /api/items",
            "shop/api -> data/db 5432/TCP",
            "shop/api -> data/db 15008/TCP",
            "world -> shop/web 8080/TCP",
            "shop/web -> fqdn api.stripe.com 443/TCP");
    Observation web =
        r.allowed().stream()
            .filter(o -> o.connection().equals("shop/web -> shop/api 8080/TCP"))
            .findFirst()
            .orElseThrow();
    assertThat(web.flows()).isEqualTo(3); // observed at both nodes, and the policy verdict
    assertThat(web.firstLine()).isEqualTo(1);
    assertThat(web.servicePort()).hasValue(80);
    Observation hbone = r.allowed().stream().filter(Observation::hbone).findFirst().orElseThrow();
    assertThat(hbone.reason().orElseThrow()).contains("HBONE").contains("allowed on");
  }

  @Test
  void droppedFlowsSayWhichLayerDeniesAndWhatToDeclare() throws IOException {
    ReplayResult r = replayShop();
    assertThat(connections(r.dropped()))
        .containsExactlyInAnyOrder(
            "shop/legacy -> shop/api 8080/TCP",
            "shop/search -> shop/api 8080/TCP",
            "world -> shop/api 8080/TCP",
            "kube-apiserver -> shop/api 8080/TCP",
            "shop/api -> fqdn api.github.com 443/TCP");
    Observation legacy = find(r.dropped(), "shop/legacy -> shop/api 8080/TCP");
    assertThat(legacy.denyingLayers()).containsExactly(Layer.CILIUM, Layer.ISTIO);
    assertThat(legacy.reason().orElseThrow())
        .contains("only shop/legacy declares this connection: shop/api must admit it");
    assertThat(legacy.suggestions())
        .containsOnlyKeys("shop/api")
        .extractingByKey("shop/api")
        .asString()
        .contains("under spec.workload.resources:\nlegacy:\n  direction: inbound\n")
        .contains("ports: [http]");

    Observation search = find(r.dropped(), "shop/search -> shop/api 8080/TCP");
    assertThat(search.reason().orElseThrow())
        .contains("run as service account default, but the spec declares search")
        .contains("Istio would deny");
    assertThat(search.denyingLayers()).containsExactly(Layer.ISTIO);

    Observation world = find(r.dropped(), "world -> shop/api 8080/TCP");
    assertThat(world.kind()).isEqualTo(Observation.Kind.EXPOSURE);
    assertThat(world.suggestions().get("shop/api"))
        .contains("http:\n  exposedTo: [world]\n  peerAuth: PERMISSIVE");

    Observation github = find(r.dropped(), "shop/api -> fqdn api.github.com 443/TCP");
    assertThat(github.kind()).isEqualTo(Observation.Kind.EGRESS);
    assertThat(github.denyingLayers()).contains(Layer.CILIUM);
    assertThat(github.suggestions().get("shop/api"))
        .contains("api-github-com:\n  type: external-service\n")
        .contains("\"api.github.com:443\"");
  }

  @Test
  void undeclaredFlowsGetTheDeclarationsOfBothSides() throws IOException {
    ReplayResult r = replayShop();
    assertThat(connections(r.undeclared())).containsExactly("shop/cart -> shop/api 8080/TCP");
    Observation cart = r.undeclared().get(0);
    assertThat(cart.flows()).isEqualTo(2);
    assertThat(cart.observed()).containsEntry("DROPPED", 1L).containsEntry("FORWARDED", 1L);
    assertThat(cart.suggestions()).containsOnlyKeys("shop/api", "shop/cart");
    assertThat(cart.suggestions().get("shop/cart"))
        .startsWith("# add to shop/cart, under spec.workload.resources:\napi:\n")
        .contains("ports: [http]");
    assertThat(cart.suggestions().get("shop/api"))
        .contains("cart:\n  direction: inbound\n  params:\n    ports: [http]\n");
  }

  @Test
  void unusedListsAgreementsAndEgressNoFlowUsed() throws IOException {
    ReplayResult r = replayShop();
    assertThat(connections(r.unused()))
        .containsExactlyInAnyOrder(
            "shop/cron -> data/db 5432/TCP", "shop/web -> fqdn *.s3.example.com 443/TCP");
  }

  @Test
  void flowsWithEndsOutsideTheGraphAreReportedNotJudged() throws IOException {
    ReplayResult r = replayShop();
    assertThat(r.outside()).hasSize(1);
    Observation o = r.outside().get(0);
    assertThat(o.connection()).isEqualTo("monitoring/node-exporter -> shop/api 9100/TCP");
    assertThat(o.verdict()).isEmpty();
    assertThat(o.reason().orElseThrow()).contains("a pod no declared service selects");
  }

  @Test
  void reportsAreDeterministicAndJsonHasTheThreeLists() throws IOException {
    String json = ReplayReport.of(replayShop()).json();
    assertThat(ReplayReport.of(replayShop()).json()).isEqualTo(json);
    JsonNode j = new ObjectMapper().readTree(json);
    for (String key : List.of("dropped", "undeclared", "unused")) {
      assertThat(j.get(key).isArray()).as(key).isTrue();
      for (JsonNode item : j.get(key)) {
        assertThat(item.has("from") && item.has("to") && item.has("port"))
            .as(item.toString())
            .isTrue();
      }
    }
    JsonNode cart = j.get("undeclared").get(0);
    assertThat(cart.get("servicePort").asInt()).isEqualTo(80);
    assertThat(cart.get("port").asInt()).isEqualTo(8080);
    assertThat(cart.get("layers").toString()).isEqualTo("[\"cilium\",\"istio\"]");
    String text = ReplayReport.of(replayShop()).text();
    assertThat(text)
        .contains("replayed shop-flows.jsonl: 27 lines, 24 flows, 18 connection attempts")
        .contains("dropped (5)")
        .contains("undeclared (1)")
        .contains("shop/cart -> shop/api 8080/TCP (Service port 80 http): 2 flows from line 5");
  }

  @Test
  void suggestionsTakeTheFormOfTheKindThatDeclaresTheService(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("specs.yaml"),
        """
        apiVersion: lattice.dev/v1alpha1
        kind: LatticeMeshMember
        metadata: {name: gateway, namespace: edge}
        spec:
          target:
            selector: {istio: ingressgateway}
          ports:
            - {name: http, port: 8080}
        ---
        apiVersion: lattice.dev/v1alpha1
        kind: LatticeService
        metadata: {name: web, namespace: shop}
        spec:
          workload:
            service:
              ports:
                http: {port: 80, targetPort: 3000}
        """);
    Topology t = Specs.load(List.of(dir)).orThrow().resolve().orThrow();
    Verifier v =
        Verifier.of(t, CiliumRenderer.create().render(t), IstioRenderer.create().render(t));
    String flow =
        "{\"flow\":{\"IP\":{\"source\":\"10.244.1.5\",\"destination\":\"10.244.2.6\"},"
            + "\"l4\":{\"TCP\":{\"destination_port\":3000,\"flags\":{\"SYN\":true}}},"
            + "\"source\":{\"namespace\":\"edge\",\"labels\":[\"k8s:istio=ingressgateway\"]},"
            + "\"destination\":{\"namespace\":\"shop\","
            + "\"labels\":[\"k8s:app.kubernetes.io/name=web\"]}}}\n";
    ReplayResult r =
        Replay.of(v)
            .run(new ByteArrayInputStream(flow.getBytes(StandardCharsets.UTF_8)), "flows.json");
    Observation o = r.undeclared().get(0);
    assertThat(o.connection()).isEqualTo("edge/gateway -> shop/web 3000/TCP");
    assertThat(o.suggestions().get("edge/gateway"))
        .contains(", under spec.dependencies:\n- name: web\n  namespace: shop\n");
    assertThat(o.suggestions().get("shop/web"))
        .contains("specs.yaml:12:")
        .contains(", under spec.workload.resources:\ngateway:\n  namespace: edge\n")
        .contains("direction: inbound\n  params:\n    ports: [http]\n");
  }

  // ------------------------------------------------------------------ bad input

  private static FlowFormatException bad(String content) {
    try {
      Replay.of(shop())
          .run(new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)), "flows.json");
    } catch (FlowFormatException e) {
      return e;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("no error for " + content);
  }

  private static final String GOOD =
      "{\"flow\":{\"IP\":{\"source\":\"10.0.0.1\",\"destination\":\"10.0.0.2\"},"
          + "\"l4\":{\"TCP\":{\"destination_port\":80,\"flags\":{\"SYN\":true}}}}}\n";

  @Test
  void aLineThatIsNotJsonIsNamedByItsNumberAndColumn() {
    FlowFormatException e = bad(GOOD + GOOD + "{\"flow\": {\"IP\": \n");
    assertThat(e.line()).isEqualTo(3);
    assertThat(e.column()).isPositive();
    assertThat(e.getMessage())
        .startsWith("flows.json:3:")
        .contains("not valid JSON")
        .contains("one JSON object per line");
  }

  @Test
  void aFieldOfTheWrongTypeIsNamedWithItsPath() {
    FlowFormatException e =
        bad(GOOD + "{\"flow\":{\"l4\":{\"TCP\":{\"destination_port\":\"http\"}}}}\n");
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.problem())
        .isEqualTo("flow.l4.TCP.destination_port must be a number, got \"http\"");
    assertThat(bad("{\"flow\":{\"source\":{\"labels\":\"k8s:app=web\"}}}").problem())
        .isEqualTo("flow.source.labels must be a list, got a string");
    assertThat(bad("{\"flow\":{\"l4\":{\"UDP\":{\"destination_port\":70000}}}}").problem())
        .contains("must be a port 0..65535, got 70000");
  }

  @Test
  void otherJsonIsNotTakenForFlows() {
    assertThat(bad("[" + GOOD.trim() + "]").problem()).startsWith("not a JSON object");
    assertThat(bad("{\"kind\": \"Pod\"}").problem())
        .contains("not a Hubble flow")
        .contains("\"kind\"");
    assertThat(bad(GOOD + "{\n").line()).isEqualTo(2); // pretty-printed JSON
    assertThat(bad(GOOD.trim() + " " + GOOD).problem()).contains("more than one JSON value");
  }

  @Test
  void bareFlowObjectsNumericEnumsAndCrLfAreRead() throws IOException {
    String bare =
        "{\"IP\":{\"source\":\"203.0.113.9\",\"destination\":\"10.244.2.21\"},"
            + "\"l4\":{\"TCP\":{\"source_port\":1,\"destination_port\":8080,"
            + "\"flags\":{\"SYN\":true}}},\"Type\":1,\"verdict\":2,"
            + "\"source\":{\"identity\":2,\"labels\":[\"reserved:world\"]},"
            + "\"destination\":{\"namespace\":\"shop\",\"labels\":[\"k8s:app.kubernetes.io/name=web\"]}}";
    ReplayResult r =
        Replay.of(shop())
            .run(
                new ByteArrayInputStream(
                    ("\uFEFF" + bare + "\r\n\r\n" + bare + "\r\n")
                        .getBytes(StandardCharsets.UTF_8)),
                "-");
    assertThat(r.attempts()).isEqualTo(2);
    assertThat(connections(r.allowed())).containsExactly("world -> shop/web 8080/TCP");
    assertThat(r.allowed().get(0).observed()).containsEntry("DROPPED", 2L);
  }

  @Test
  void whatTheEvaluatorsCannotJudgeIsReportedNotThrown() throws IOException {
    String web = "{\"namespace\":\"shop\",\"labels\":[\"k8s:app.kubernetes.io/name=web\"]}";
    String world = "{\"identity\":2,\"labels\":[\"reserved:world\"]}";
    String clusterName =
        "{\"flow\":{\"IP\":{\"source\":\"10.244.1.1\",\"destination\":\"203.0.113.5\"},"
            + "\"l4\":{\"TCP\":{\"destination_port\":443,\"flags\":{\"SYN\":true}}},"
            + "\"source\":"
            + web
            + ",\"destination\":"
            + world
            + ",\"destination_names\":[\"api.shop.svc.cluster.local\"]}}\n";
    String noPort =
        "{\"flow\":{\"IP\":{\"source\":\"10.244.1.1\",\"destination\":\"203.0.113.5\"},"
            + "\"l4\":{\"UDP\":{}},\"source\":"
            + web
            + ",\"destination\":"
            + world
            + "}}\n";
    ReplayResult r =
        Replay.of(shop())
            .run(
                new ByteArrayInputStream((clusterName + noPort).getBytes(StandardCharsets.UTF_8)),
                "-");
    assertThat(r.outside()).hasSize(1);
    assertThat(r.outside().get(0).reason().orElseThrow())
        .startsWith("not judged: ")
        .contains("cluster domain");
    assertThat(r.skipped()).containsEntry("flows without a destination port", 1L);
  }

  @Test
  void aPlaintextCallerIsNotJudgedByItsServiceAccount() throws IOException {
    ServiceGraph g =
        ServiceGraph.builder()
            .namespace("shop")
            .add(service("job").notInMesh().dependsOn("api").outbound())
            .add(service("api").port("http", 8080).permissive().dependsOn("job").inbound())
            .build();
    Topology t = g.resolve().orThrow();
    Verifier v =
        Verifier.of(t, CiliumRenderer.create().render(t), IstioRenderer.create().render(t));
    String flow =
        "{\"flow\":{\"IP\":{\"source\":\"10.244.1.5\",\"destination\":\"10.244.2.6\"},"
            + "\"l4\":{\"TCP\":{\"destination_port\":8080,\"flags\":{\"SYN\":true}}},"
            + "\"source\":{\"namespace\":\"shop\",\"labels\":[\"k8s:app.kubernetes.io/name=job\","
            + "\"k8s:io.cilium.k8s.policy.serviceaccount=default\"]},"
            + "\"destination\":{\"namespace\":\"shop\","
            + "\"labels\":[\"k8s:app.kubernetes.io/name=api\"]}}}\n";
    ReplayResult r =
        Replay.of(v).run(new ByteArrayInputStream(flow.getBytes(StandardCharsets.UTF_8)), "-");
    assertThat(connections(r.allowed())).containsExactly("shop/job -> shop/api 8080/TCP");
    assertThat(r.dropped()).isEmpty();
  }

  @Test
  void progressIsReportedAtTheEnd() throws IOException {
    long[] last = new long[3];
    Replay.of(shop())
        .progress(
            (lines, bytes, attempts) -> {
              last[0] = lines;
              last[1] = bytes;
              last[2] = attempts;
            })
        .run(new ByteArrayInputStream((GOOD + GOOD).getBytes(StandardCharsets.UTF_8)), "-");
    assertThat(last).containsExactly(2, 2L * GOOD.length(), 2);
  }

  private static Observation find(List<Observation> list, String connection) {
    return list.stream()
        .filter(o -> o.connection().equals(connection))
        .findFirst()
        .orElseThrow(() -> new AssertionError(connection + " not in " + list));
  }
}
