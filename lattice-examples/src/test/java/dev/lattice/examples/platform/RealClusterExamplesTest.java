package dev.lattice.examples.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.cilium.CiliumRenderer;
import dev.lattice.cli.Main;
import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.graph.Topology;
import dev.lattice.istio.IstioRenderer;
import dev.lattice.model.Settings;
import dev.lattice.output.Manifest;
import dev.lattice.output.RequiredLabel;
import dev.lattice.spec.Specs;
import dev.lattice.verify.Decision;
import dev.lattice.verify.Query;
import dev.lattice.verify.Verdict;
import dev.lattice.verify.Verifier;
import dev.lattice.verify.world.World;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The example spec directories of the shapes real clusters have ({@code specs/gateway}, {@code
 * specs/scraper}, {@code specs/platform-metrics}, {@code specs/shared-accounts}): each renders,
 * passes the CRDs, and is judged exact by the independent evaluators; and {@code lattice explain}
 * says, for the connection each example is about, what a real cluster does with it.
 */
class RealClusterExamplesTest {
  private static final Path SPECS = Path.of("specs");
  private static final Settings SCRAPED =
      Settings.builder().metricsScraper(Settings.PLATFORM_METRICS_SCRAPER).build();

  private record Example(String dir, Settings settings) {
    @Override
    public String toString() {
      return dir + (settings.metricsScraper().isPresent() ? " (with the scraper setting)" : "");
    }
  }

  static Stream<Example> examples() {
    return Stream.of(
        new Example("gateway", Settings.defaults()),
        new Example("scraper", Settings.defaults()),
        new Example("platform-metrics", SCRAPED),
        new Example("shared-accounts", Settings.defaults()));
  }

  private record Run(int code, String out, String err) {}

  private static Run lattice(Object... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Main.run(Stream.of(args).map(String::valueOf).toArray(String[]::new), o, e);
    }
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static Topology topology(String dir, Settings settings) {
    return Specs.load(SPECS.resolve(dir)).orThrow().resolve(settings).orThrow();
  }

  private static Manifest render(Topology t) {
    return CiliumRenderer.create().render(t).plus(IstioRenderer.create().render(t));
  }

  private static List<JsonNode> documents(Manifest m) {
    List<JsonNode> docs = new ArrayList<>();
    m.resources().forEach(r -> docs.add(r.document()));
    return docs;
  }

  // ---------------------------------------------------------------- every example

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void rendersDocumentsThatPassTheirCrds(Example e) {
    Manifest m = render(topology(e.dir(), e.settings()));
    assertThat(Documents.violations(e.dir(), documents(m))).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void eachLayerAloneAllowsExactlyWhatIsDeclared(Example e) {
    Topology t = topology(e.dir(), e.settings());
    Manifest m = render(t);
    Judge judge =
        new Judge(t, documents(m), m.requiredLabels()).serviceToService().outsideSources().egress();
    assertThat(judge.verifier.findings()).isEmpty();
    assertThat(judge.problems()).isEmpty();
    assertThat(judge.seen().getOrDefault("agreed", 0)).isPositive();
  }

  // ---------------------------------------------------------------- the gateway

  @Test
  void theGatewayExampleNeedsTheIngressLabelOnTheServiceBehindTheWaypointAlone() {
    Run run = lattice("render", SPECS.resolve("gateway"));
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.err())
        .contains(
            "kubectl label service -n bookinfo productpage istio.io/ingress-use-waypoint=true")
        .contains("kubectl label service -n bookinfo productpage istio.io/use-waypoint=waypoint");
    assertThat(run.err().lines().filter(l -> l.contains("kubectl label")).count()).isEqualTo(2);
  }

  @Test
  void explainShowsTheGatewayReachingIstiodAndTakingTheWaypoint() {
    Run run =
        lattice(
            "explain",
            "--from",
            "istio-ingress/ingress-gateway",
            "--to",
            "bookinfo/productpage",
            "--method",
            "GET",
            "--path",
            "/productpage",
            SPECS.resolve("gateway"));
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("the gateway needs istiod (xDS)")
        .contains("Service bookinfo/productpage has istio.io/ingress-use-waypoint=true")
        .contains("istio-ingress/ingress-gateway-0 -> bookinfo/waypoint-0 TCP 15008")
        .contains("lookup of istiod.istio-system.svc by bookinfo/waypoint-0")
        .contains("allowed by AuthorizationPolicy bookinfo/productpage-waypoint");
    assertThat(run.out()).doesNotContain("DENY");
    // a request the gateway was not granted stops at the waypoint
    Run admin =
        lattice(
            "explain",
            "--from",
            "istio-ingress/ingress-gateway",
            "--to",
            "bookinfo/productpage",
            "--method",
            "DELETE",
            "--path",
            "/productpage",
            SPECS.resolve("gateway"));
    assertThat(admin.code()).isEqualTo(3);
    assertThat(admin.out()).contains("waypoint bookinfo/waypoint").contains("DENY");
  }

  @Test
  void withoutTheIngressLabelTheGatewaySkipsTheWaypointAndIsDeniedAsInACluster() {
    Topology t = topology("gateway", Settings.defaults());
    Manifest m = render(t);
    List<RequiredLabel> useWaypointOnly =
        m.requiredLabels().stream()
            .filter(l -> !l.key().equals(World.INGRESS_USE_WAYPOINT))
            .toList();
    World world = World.builder(t).documents(documents(m)).requiredLabels(useWaypointOnly).build();
    Verifier v =
        Verifier.of(world, CiliumRenderer.create().render(t), IstioRenderer.create().render(t));
    Verdict verdict =
        v.check(
            Query.from("istio-ingress/ingress-gateway")
                .to("bookinfo/productpage", 9080)
                .request("GET", "/productpage"));
    assertThat(verdict.path()).contains("an ingress gateway skips it");
    assertThat(verdict.cilium().decision()).isEqualTo(Decision.DENY);
    assertThat(verdict.istio().decision()).isEqualTo(Decision.DENY);
    assertThat(verdict.istio().reason()).contains("ztunnel of bookinfo/productpage-0");
  }

  // ---------------------------------------------------------------- the scraper

  @Test
  void explainShowsTheScraperAtThePodsPastTheWaypoint() {
    Run run =
        lattice(
            "explain",
            "--from",
            "monitoring/prometheus",
            "--to",
            "shop/orders",
            SPECS.resolve("scraper"));
    assertThat(run.code()).as(run.err()).isEqualTo(3); // explain: some layer denies a port
    assertThat(run.out())
        .contains("monitoring/prometheus -> shop/orders:9100: ALLOWED")
        .contains("monitoring/prometheus -> shop/orders:80: DENIED")
        .contains("pod-IP caller dialing shop/orders-0:9464, ambient -> ambient, TCP, no waypoint")
        .contains("monitoring/prometheus-0 -> shop/orders-0 TCP 15008")
        .doesNotContain("shop/waypoint-0");
    Topology t = topology("scraper", Settings.defaults());
    Verifier v =
        Verifier.of(t, CiliumRenderer.create().render(t), IstioRenderer.create().render(t));
    // the metrics port (container 9464) is scraped; the http port is closed to it at L7
    Verdict metrics = v.check(Query.from("monitoring/prometheus").to("shop/orders", 9100));
    assertThat(metrics.allowed()).isTrue();
    assertThat(metrics.istio().reason()).contains("port 9464");
    Verdict http = v.check(Query.from("monitoring/prometheus").to("shop/orders", 80));
    assertThat(http.istio().decision()).isEqualTo(Decision.DENY);
    // web still goes through the waypoint to orders
    assertThat(v.check(Query.from("shop/web").to("shop/orders", 80)).path())
        .contains("waypoint on the path");
  }

  // ---------------------------------------------------------------- the platform's scraper

  @Test
  void thePlatformScraperIsAdmittedOnlyWhenTheSettingSaysSo() {
    Topology off = topology("platform-metrics", Settings.defaults());
    assertThat(off.agreements()).noneMatch(a -> a.caller().name().equals("vmagent"));
    Topology on = topology("platform-metrics", SCRAPED);
    assertThat(on.agreements())
        .filteredOn(a -> a.caller().name().equals("vmagent"))
        .extracting(Object::toString)
        .containsExactly(
            "monitoring/vmagent -> shop/api [metrics 9090/TCP] by pod IP",
            "monitoring/vmagent -> shop/db [exporter 9187/TCP] by pod IP");
    Run run =
        lattice(
            "explain",
            "--metrics-scraper",
            "monitoring/vmagent",
            "--from",
            "monitoring/vmagent",
            "--to",
            "shop/db",
            SPECS.resolve("platform-metrics"));
    assertThat(run.code()).as(run.err()).isEqualTo(3); // explain: some layer denies a port
    // the exporter port is scraped, the database port is not
    assertThat(run.out())
        .contains("monitoring/vmagent -> shop/db:9187: ALLOWED")
        .contains("monitoring/vmagent -> shop/db:5432: DENIED")
        .contains("pod-IP caller");
    Run without =
        lattice(
            "explain",
            "--from",
            "monitoring/vmagent",
            "--to",
            "shop/db",
            "--port",
            "exporter",
            SPECS.resolve("platform-metrics"));
    assertThat(without.code()).isEqualTo(3);
    assertThat(without.out()).contains("monitoring/vmagent -> shop/db:9187: DENIED");
  }

  // ---------------------------------------------------------------- shared service accounts

  @Test
  void sharedAccountsAreAWarningThatCheckStrictFailsOn() {
    Topology t = topology("shared-accounts", Settings.defaults());
    assertThat(t.diagnostics())
        .extracting(d -> d.code().id())
        .containsExactly("shared-service-account");
    Diagnostic d = t.diagnostics().get(0);
    assertThat(d.message())
        .contains("services backend, frontend, worker of namespace legacy")
        .contains("service account \"default\"");
    assertThat(d.location()).isPresent();

    Run check = lattice("check", SPECS.resolve("shared-accounts"));
    assertThat(check.code()).isZero();
    assertThat(check.err()).contains("warning[shared-service-account]");
    Run strict = lattice("check", "--strict", SPECS.resolve("shared-accounts"));
    assertThat(strict.code()).isEqualTo(1);
  }

  @Test
  void explainShowsTheSharedIdentityAdmittedAtL7AndStoppedAtL4() {
    Run run =
        lattice(
            "explain",
            "--from",
            "legacy/worker",
            "--to",
            "legacy/backend",
            SPECS.resolve("shared-accounts"));
    assertThat(run.code()).as(run.err()).isEqualTo(3); // explain: some layer denies a port
    // istio sees frontend's principal, which worker shares; Cilium sees worker's pods
    assertThat(run.out())
        .contains("legacy/worker -> legacy/backend:8081: DENIED")
        .contains("L4 Cilium: DENY")
        .contains("L7 Istio: ALLOW")
        .contains(
            "legacy/worker runs as service account default, as legacy/backend, legacy/frontend"
                + " do: Istio sees one identity (cluster.local/ns/legacy/sa/default)")
        .contains("allowed by AuthorizationPolicy legacy/backend-ztunnel");
    Topology t = topology("shared-accounts", Settings.defaults());
    Verifier v =
        Verifier.of(t, CiliumRenderer.create().render(t), IstioRenderer.create().render(t));
    Verdict verdict = v.check(Query.from("legacy/worker").to("legacy/backend", 8081));
    assertThat(verdict.istio().decision()).isEqualTo(Decision.ALLOW);
    assertThat(verdict.cilium().decision()).isEqualTo(Decision.DENY);
  }
}
