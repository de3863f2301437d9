package dev.lattice.verify.diff;

import static dev.lattice.dsl.Lattice.GET;
import static dev.lattice.dsl.Lattice.POST;
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
import dev.lattice.model.Settings;
import dev.lattice.spec.SpecResult;
import dev.lattice.spec.Specs;
import dev.lattice.verify.Decision;
import dev.lattice.verify.Layer;
import dev.lattice.verify.Verifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a change opens and closes, on small graphs whose every line is known. */
class ConnectivityDiffTest {
  static Verifier judge(ServiceGraph g) {
    Topology t = g.resolve().orThrow();
    return Verifier.of(t, CiliumRenderer.create().render(t), IstioRenderer.create().render(t));
  }

  private static ServiceGraph shop(boolean apiAdmitsWeb) {
    dev.lattice.dsl.ServiceBuilder api = service("api").port("http", 80, 8080);
    if (apiAdmitsWeb) {
      api = api.dependsOn("web").inbound();
    }
    return ServiceGraph.builder()
        .namespace("shop")
        .add(service("web").port("http", 8080).dependsOn("api").outbound())
        .add(api)
        .build();
  }

  @Test
  void theSameRenderingTwiceHasNoChange() {
    ConnectivityDiff d = ConnectivityDiff.between(judge(shop(true)), judge(shop(true)));
    assertThat(d.isEmpty()).isTrue();
    assertThat(DiffReport.of(d).text()).contains("no change");
    assertThat(DiffReport.of(d).markdown()).contains("0 opened, 0 closed").contains("No change");
  }

  @Test
  void completingAOneSidedDeclarationOpensTheEdgeAtBothLayers() {
    ConnectivityDiff d = ConnectivityDiff.between(judge(shop(false)), judge(shop(true)));
    assertThat(d.closed()).isEmpty();
    assertThat(d.opened())
        .extracting(Change::connection)
        .containsExactly("shop/web -> shop/api 80/TCP");
    Change c = d.opened().get(0);
    assertThat(c.kind()).isEqualTo(Change.Kind.SERVICE);
    assertThat(c.openedLayers()).containsExactly(Layer.CILIUM, Layer.ISTIO);
    assertThat(c.before(Layer.CILIUM)).contains(Decision.DENY);
    assertThat(c.after(Layer.ISTIO)).contains(Decision.ALLOW);
    assertThat(c.targetPort()).hasValue(8080);
    assertThat(c.declaredBefore())
        .extracting(Declared::statement)
        .containsExactly("outbound shop/api");
    assertThat(c.declaredAfter())
        .extracting(Declared::toString)
        .containsExactly("shop/api: inbound shop/web", "shop/web: outbound shop/api");
    // and the reverse change closes exactly that
    ConnectivityDiff back = ConnectivityDiff.between(judge(shop(true)), judge(shop(false)));
    assertThat(back.opened()).isEmpty();
    assertThat(back.closed())
        .extracting(Change::connection)
        .containsExactly("shop/web -> shop/api 80/TCP");
  }

  @Test
  void aNewServiceOpensOnlyWhatIsAgreedWithIt() {
    ServiceGraph after =
        ServiceGraph.builder()
            .namespace("shop")
            .add(service("web").port("http", 8080).dependsOn("api").outbound())
            .add(
                service("api")
                    .port("http", 80, 8080)
                    .dependsOn("web")
                    .inbound()
                    .dependsOn("db")
                    .outbound())
            .add(service("db").port("pg", 5432).dependsOn("api").inbound())
            .build();
    ServiceGraph before =
        ServiceGraph.builder()
            .namespace("shop")
            .add(service("web").port("http", 8080).dependsOn("api").outbound())
            .add(
                service("api")
                    .port("http", 80, 8080)
                    .dependsOn("web")
                    .inbound()
                    .dependsOn("db")
                    .outbound())
            .build();
    ConnectivityDiff d = ConnectivityDiff.between(judge(before), judge(after));
    assertThat(d.opened())
        .extracting(Change::connection)
        .containsExactly("shop/api -> shop/db 5432/TCP");
    assertThat(d.opened().get(0).before(Layer.CILIUM)).isEmpty(); // absent: db did not exist
    assertThat(d.closed()).isEmpty();
  }

  @Test
  void changedHttpRulesAreReportedPerRequest() {
    ServiceGraph before =
        ServiceGraph.builder()
            .namespace("shop")
            .add(service("web").port("http", 8080).dependsOn("api").outbound())
            .add(
                service("api")
                    .port("http", 80, 8080)
                    .dependsOn("web")
                    .http(GET, "/api/*")
                    .inbound())
            .build();
    ServiceGraph after =
        ServiceGraph.builder()
            .namespace("shop")
            .add(service("web").port("http", 8080).dependsOn("api").outbound())
            .add(
                service("api")
                    .port("http", 80, 8080)
                    .dependsOn("web")
                    .http(GET, "/api/*")
                    .http(POST, "/orders")
                    .inbound())
            .build();
    ConnectivityDiff d = ConnectivityDiff.between(judge(before), judge(after));
    assertThat(d.closed()).isEmpty();
    assertThat(d.opened())
        .extracting(Change::connection)
        .containsExactly("shop/web -> shop/api 80/TCP POST /orders");
    Change c = d.opened().get(0);
    assertThat(c.kind()).isEqualTo(Change.Kind.REQUEST);
    assertThat(c.openedLayers()).containsExactly(Layer.ISTIO);
    assertThat(c.requestRule()).contains("POST /orders (declared)");

    // lifting every HTTP rule opens "any other request"
    ConnectivityDiff lifted = ConnectivityDiff.between(judge(before), judge(shop(true)));
    assertThat(lifted.opened())
        .extracting(Change::connection)
        .containsExactly("shop/web -> shop/api 80/TCP TRACE /__lattice/not-granted");
  }

  @Test
  void egressAndExposuresAreJudgedToo() {
    ServiceGraph before =
        ServiceGraph.builder()
            .namespace("shop")
            .add(service("web").port("http", 8080))
            .add(service("pay").port("http", 8080).notInMesh())
            .build();
    ServiceGraph after =
        ServiceGraph.builder()
            .namespace("shop")
            .add(service("web").port("http", 8080).permissive().exposedTo(world()))
            .add(
                service("pay")
                    .port("http", 8080)
                    .notInMesh()
                    .egressTo(fqdn("api.stripe.com").port(443)))
            .build();
    ConnectivityDiff d = ConnectivityDiff.between(judge(before), judge(after));
    assertThat(d.opened())
        .extracting(Change::kind, Change::from, Change::to)
        .contains(
            org.assertj.core.groups.Tuple.tuple(
                Change.Kind.EGRESS, "shop/pay", "fqdn api.stripe.com"),
            org.assertj.core.groups.Tuple.tuple(Change.Kind.EXPOSURE, "world", "shop/web"));
    Change egress =
        d.opened().stream().filter(c -> c.kind() == Change.Kind.EGRESS).findFirst().orElseThrow();
    assertThat(egress.port()).isEqualTo(443);
    assertThat(egress.declaredAfter())
        .extracting(Declared::statement)
        .containsExactly("egress fqdn api.stripe.com:[443]/TCP");
    assertThat(d.closed()).isEmpty();
  }

  @Test
  void theImplicitMetricsScraperIsNamedAsWhatOpensTheScrape() {
    ServiceGraph g =
        ServiceGraph.builder()
            .namespace("shop")
            .add(service("api").port("http", 8080).port("metrics", 9090))
            .add(service("vmagent").inNamespace("monitoring").dependsOn("*").byPodIp().outbound())
            .build();
    Topology off = g.resolve().orThrow();
    Topology on =
        g.resolve(Settings.builder().metricsScraper(Settings.PLATFORM_METRICS_SCRAPER).build())
            .orThrow();
    ConnectivityDiff d =
        ConnectivityDiff.between(
            Verifier.of(
                off, CiliumRenderer.create().render(off), IstioRenderer.create().render(off)),
            Verifier.of(on, CiliumRenderer.create().render(on), IstioRenderer.create().render(on)));
    // the scraped port opens at both layers; the other port at L4 only: between two ambient pods
    // Cilium admits the HBONE port and cannot tell the ports apart (limit 1)
    assertThat(d.opened())
        .extracting(Change::connection)
        .containsExactly(
            "monitoring/vmagent -> shop/api 8080/TCP", "monitoring/vmagent -> shop/api 9090/TCP");
    assertThat(d.opened().get(0).openedLayers()).containsExactly(Layer.CILIUM);
    assertThat(d.opened().get(0).allowedAfter()).isFalse();
    assertThat(d.opened().get(1).openedLayers()).containsExactly(Layer.CILIUM, Layer.ISTIO);
    assertThat(d.opened().get(1).declaredAfter())
        .extracting(Declared::statement)
        .containsExactly(
            "outbound * by pod IP",
            "admits the metrics scraper monitoring/vmagent on port metrics by pod IP (settings:"
                + " metricsScraper)");
  }

  @Test
  void reportsNameTheDeclarationsWithTheirFileAndLine(@TempDir Path dir) throws Exception {
    Path before = dir.resolve("before");
    Path after = dir.resolve("after");
    Files.createDirectories(before);
    Files.createDirectories(after);
    String web =
        """
        apiVersion: lattice.dev/v1alpha1
        kind: LatticeService
        metadata: {name: web, namespace: shop}
        spec:
          workload:
            service:
              ports:
                http: {port: 8080}
            resources:
              api: {}
        """;
    String api =
        """
        apiVersion: lattice.dev/v1alpha1
        kind: LatticeService
        metadata: {name: api, namespace: shop}
        spec:
          workload:
            service:
              ports:
                http: {port: 80, targetPort: 8080}
            resources:
              web: {direction: inbound}
        """;
    Files.writeString(before.resolve("web.yaml"), web);
    Files.writeString(before.resolve("api.yaml"), api.replace("web: {direction: inbound}", "{}"));
    Files.writeString(after.resolve("web.yaml"), web);
    Files.writeString(after.resolve("api.yaml"), api);
    ConnectivityDiff d = ConnectivityDiff.between(load(before), load(after));
    assertThat(d.opened())
        .extracting(Change::connection)
        .containsExactly("shop/web -> shop/api 80/TCP");

    String text = DiffReport.of(d).text();
    assertThat(text)
        .contains("1 opened, 0 closed")
        .contains("shop/web -> shop/api 80/TCP (http, target port 8080)")
        .contains("cilium deny -> allow")
        .contains("declared before: shop/web: outbound shop/api")
        .contains("shop/api: inbound shop/web (" + after.resolve("api.yaml") + ":10:7)");
    String md = DiffReport.of(d).locations(l -> "PR:" + l.line()).markdown();
    assertThat(md)
        .contains("### Lattice: 1 opened, 0 closed")
        .contains("| `shop/web` | `shop/api` | 80/TCP (http, target port 8080) |")
        .contains("deny → **allow**")
        .contains("`shop/api: inbound shop/web` PR:10")
        .contains("<details>");
    JsonNode json = new ObjectMapper().readTree(DiffReport.of(d).json());
    JsonNode item = json.get("opened").get(0);
    assertThat(item.get("from").asText()).isEqualTo("shop/web");
    assertThat(item.get("to").asText()).isEqualTo("shop/api");
    assertThat(item.get("port").asInt()).isEqualTo(80);
    assertThat(item.get("targetPort").asInt()).isEqualTo(8080);
    assertThat(item.get("layers").toString()).isEqualTo("[\"cilium\",\"istio\"]");
    assertThat(item.get("cilium").get("before").asText()).isEqualTo("deny");
    assertThat(item.get("declarations").get("after").get(0).get("at").asText())
        .isEqualTo(after.resolve("api.yaml") + ":10:7");
    assertThat(json.get("closed").size()).isZero();
    // deterministic
    assertThat(DiffReport.of(ConnectivityDiff.between(load(before), load(after))).json())
        .isEqualTo(DiffReport.of(d).json());
  }

  private static Verifier load(Path dir) {
    SpecResult r = Specs.load(List.of(dir));
    return judge(r.graph().orElseThrow());
  }
}
