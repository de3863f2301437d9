package dev.lattice.graph;

import static dev.lattice.dsl.Lattice.GET;
import static dev.lattice.dsl.Lattice.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.diagnostics.DiagnosticCode;
import dev.lattice.diagnostics.Severity;
import dev.lattice.dsl.ServiceBuilder;
import dev.lattice.model.Declaration;
import dev.lattice.model.Direction;
import dev.lattice.model.HttpRule;
import dev.lattice.model.PeerRef;
import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import dev.lattice.model.Settings;
import dev.lattice.model.SourceLocation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Resolution of the shapes real clusters have and synthetic graphs missed: gateways, callers that
 * dial pod addresses, services sharing a service account, and the platform's implicit metrics
 * scraper.
 */
class RealClusterShapesTest {
  private static final Settings SCRAPED =
      Settings.builder().metricsScraper(Settings.PLATFORM_METRICS_SCRAPER).build();

  private static Topology resolve(Settings settings, ServiceBuilder... services) {
    ServiceGraph.Builder b = ServiceGraph.builder().namespace("shop");
    for (ServiceBuilder s : services) {
      b.add(s);
    }
    return b.build().resolve(settings);
  }

  private static Topology resolve(ServiceBuilder... services) {
    return resolve(Settings.defaults(), services);
  }

  private static List<Diagnostic> withCode(Topology t, DiagnosticCode code) {
    return t.diagnostics().stream().filter(d -> d.code() == code).toList();
  }

  // ---------------------------------------------------------------- gateways

  @Test
  void aGatewayIsAnOrdinaryCallerToResolution() {
    Topology t =
        resolve(
            service("istio-ingress/gateway")
                .gateway()
                .serviceAccount("istio-ingressgateway")
                .port("http", 80, 8080)
                .dependsOn("shop/web")
                .outbound(),
            service("web").port("http", 3000).dependsOn("istio-ingress/gateway").inbound());
    assertThat(t.diagnostics()).isEmpty();
    assertThat(t.service(ServiceId.of("istio-ingress", "gateway")).orElseThrow().isGateway())
        .isTrue();
    assertThat(t.agreements())
        .extracting(Agreement::toString)
        .containsExactly("istio-ingress/gateway -> shop/web [http 3000/TCP]");
  }

  @Test
  void rejectsAGatewayOutsideTheMesh() {
    Topology t = resolve(service("edge").gateway().notInMesh().port("http", 80));
    Diagnostic d = withCode(t, DiagnosticCode.GATEWAY_OUTSIDE_MESH).get(0);
    assertThat(d.severity()).isEqualTo(Severity.ERROR);
    assertThat(d.path()).isEqualTo("shop/edge.gateway");
    assertThat(d.message()).contains("always is").contains("remove gateway: true");
  }

  // ---------------------------------------------------------------- callers that dial pods

  @Test
  void eitherSideSayingPodIpMakesThePodIpAgreement() {
    Topology callerSays =
        resolve(
            service("prometheus").dependsOnAny().ports("metrics").byPodIp().outbound(),
            service("api")
                .port("http", 80)
                .port("metrics", 9090)
                .dependsOn("prometheus")
                .inbound());
    Topology calleeSays =
        resolve(
            service("prometheus").dependsOn("api").outbound(),
            service("api")
                .port("http", 80)
                .port("metrics", 9090)
                .dependsOn("prometheus")
                .ports("metrics")
                .byPodIp()
                .inbound());
    for (Topology t : List.of(callerSays, calleeSays)) {
      assertThat(t.diagnostics()).isEmpty();
      assertThat(t.agreements())
          .extracting(Agreement::toString)
          .containsExactly("shop/prometheus -> shop/api [metrics 9090/TCP] by pod IP");
    }
  }

  @Test
  void aPodIpAgreementNeverPutsItsCalleeBehindAWaypoint() {
    Topology t =
        resolve(
            service("prometheus").dependsOn("api").byPodIp().outbound(),
            service("api").port("metrics", 9090).dependsOn("prometheus").inbound());
    assertThat(t.waypoints()).isEmpty();
    assertThat(t.view(ServiceId.of("shop", "api")).orElseThrow().isBehindWaypoint()).isFalse();
  }

  @Test
  void rejectsHttpRulesOnADeclarationThatSaysPodIp() {
    Declaration d =
        Declaration.builder()
            .peer(PeerRef.named("checker"))
            .direction(Direction.INBOUND)
            .addHttpRules(HttpRule.of(List.of("GET"), List.of("/healthz")))
            .byPodIp(true)
            .source(SourceLocation.of("api.yaml", 12, 7))
            .build();
    Topology t =
        ServiceGraph.of(
                List.of(
                    Service.builder()
                        .namespace("shop")
                        .name("api")
                        .addPorts(dev.lattice.model.Port.builder().name("http").port(80).build())
                        .addDeclarations(d)
                        .build(),
                    service("checker").dependsOn("api").outbound().build("shop")))
            .resolve();
    List<Diagnostic> found = withCode(t, DiagnosticCode.HTTP_WITHOUT_WAYPOINT);
    assertThat(found).hasSize(1);
    Diagnostic e = found.get(0);
    assertThat(e.path()).isEqualTo("shop/api.dependsOn[checker]");
    assertThat(e.location()).contains(SourceLocation.of("api.yaml", 12, 7));
    assertThat(e.message())
        .contains("shop/checker dials the pods of shop/api by IP")
        .contains("never passes a waypoint")
        .contains("remove the HTTP rules, or podIp");
    assertThat(t.hasErrors()).isTrue();
    assertThat(t.agreements()).isEmpty();
  }

  @Test
  void rejectsHttpRulesGrantedToACallerThatDialsPods() {
    Declaration scrape =
        Declaration.builder()
            .peer(PeerRef.any())
            .direction(Direction.OUTBOUND)
            .byPodIp(true)
            .source(SourceLocation.of("monitoring.yaml", 9, 7))
            .build();
    Declaration grant =
        Declaration.builder()
            .peer(PeerRef.of("shop", "prometheus"))
            .direction(Direction.INBOUND)
            .addHttpRules(HttpRule.of(List.of("GET"), List.of("/metrics")))
            .source(SourceLocation.of("api.yaml", 20, 7))
            .build();
    Topology t =
        ServiceGraph.of(
                List.of(
                    Service.builder()
                        .namespace("shop")
                        .name("prometheus")
                        .addDeclarations(scrape)
                        .build(),
                    Service.builder()
                        .namespace("shop")
                        .name("api")
                        .addPorts(dev.lattice.model.Port.builder().name("http").port(80).build())
                        .addDeclarations(grant)
                        .build()))
            .resolve();
    Diagnostic e = withCode(t, DiagnosticCode.HTTP_WITHOUT_WAYPOINT).get(0);
    // located where the rules are, and naming where the pod-IP declaration is
    assertThat(e.path()).isEqualTo("shop/api.dependsOn[shop/prometheus]");
    assertThat(e.location()).contains(SourceLocation.of("api.yaml", 20, 7));
    assertThat(e.message())
        .contains("shop/prometheus dials the pods of shop/api by IP (podIp at monitoring.yaml:9:7)")
        .contains("enforced by neither layer");
    assertThat(t.agreements()).isEmpty();
  }

  @Test
  void theDslRefusesPodIpWithHttpRulesEitherWayRound() {
    assertThatThrownBy(() -> service("api").dependsOn("checker").http(GET, "/x").byPodIp())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("never passes a waypoint");
    assertThatThrownBy(() -> service("api").dependsOn("checker").byPodIp().http(GET, "/x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot both grant checker HTTP rules");
  }

  // ---------------------------------------------------------------- shared service accounts

  @Test
  void warnsOncePerServiceAccountThatSeveralMeshServicesShare() {
    Topology t =
        resolve(
            service("web").serviceAccount("default").port("http", 80),
            service("api").serviceAccount("default").port("http", 80),
            service("worker").serviceAccount("default"),
            service("cron").serviceAccount("batch"),
            service("legacy").serviceAccount("default").notInMesh(),
            service("other/web").serviceAccount("default"));
    List<Diagnostic> found = withCode(t, DiagnosticCode.SHARED_SERVICE_ACCOUNT);
    assertThat(found).hasSize(1);
    Diagnostic d = found.get(0);
    assertThat(d.severity()).isEqualTo(Severity.WARNING);
    assertThat(d.path()).isEqualTo("shop/api.serviceAccount");
    // the account, its principal, and exactly the mesh services that share it
    assertThat(d.message())
        .contains("services api, web, worker of namespace shop")
        .contains("service account \"default\"")
        .contains("cluster.local/ns/shop/sa/default")
        .contains("Give each its own service account")
        .doesNotContain("legacy")
        .doesNotContain("cron");
  }

  @Test
  void theSharedAccountWarningFollowsUpdates() {
    Topology t =
        resolve(
            service("web").serviceAccount("default").port("http", 80),
            service("api").port("http", 80));
    assertThat(withCode(t, DiagnosticCode.SHARED_SERVICE_ACCOUNT)).isEmpty();
    Topology shared =
        t.update(List.of(service("api").serviceAccount("default").build("shop")), List.of())
            .topology();
    assertThat(withCode(shared, DiagnosticCode.SHARED_SERVICE_ACCOUNT)).hasSize(1);
    Topology apart = shared.update(List.of(), List.of(ServiceId.of("shop", "web"))).topology();
    assertThat(withCode(apart, DiagnosticCode.SHARED_SERVICE_ACCOUNT)).isEmpty();
  }

  // ---------------------------------------------------------------- shared selectors

  @Test
  void warnsWhenASelectorAlsoSelectsAnotherServicesPods() {
    Topology t =
        resolve(
            // equal selectors: one set of pods, each warned of the other
            service("master").selector("lattice.dev/training-job", "tune").port("m", 29500),
            service("worker").selector("lattice.dev/training-job", "tune").port("m", 29500),
            // a subset of another's selector selects its pods; the narrower one selects no more
            service("broad").selector("tier", "db").port("pg", 5432),
            service("narrow").selector(Map.of("tier", "db", "role", "replica")).port("pg", 5432),
            // the same labels in another namespace, and the default selectors, select apart
            service("other/master").selector("lattice.dev/training-job", "tune"),
            service("api").port("http", 80));
    List<Diagnostic> found = withCode(t, DiagnosticCode.SHARED_SELECTOR);
    assertThat(found)
        .extracting(Diagnostic::path)
        .containsExactly("shop/broad.selector", "shop/master.selector", "shop/worker.selector");
    assertThat(found).allMatch(d -> d.severity() == Severity.WARNING);
    assertThat(found.get(0).message())
        .contains("the selector of broad {tier: db} also selects the pods of narrow")
        .contains("Give each service a label of its own");
    assertThat(found.get(1).message())
        .contains("also selects the pods of worker in namespace shop");
    Topology apart =
        t.update(
                List.of(service("worker").selector("app", "worker").port("m", 29500).build("shop")),
                List.of())
            .topology();
    assertThat(withCode(apart, DiagnosticCode.SHARED_SELECTOR))
        .extracting(Diagnostic::path)
        .containsExactly("shop/broad.selector");
  }

  // ---------------------------------------------------------------- the implicit metrics scraper

  private static ServiceBuilder vmagent() {
    return service("monitoring/vmagent")
        .serviceAccount("vmagent-lattice-metrics")
        .port("http", 8429)
        .dependsOnAny()
        .byPodIp()
        .outbound();
  }

  @Test
  void withoutTheSettingNoPortAdmitsTheScraper() {
    Topology t = resolve(vmagent(), service("api").port("http", 80).port("metrics", 9090));
    assertThat(t.agreements()).isEmpty();
  }

  @Test
  void withTheSettingEveryMetricsPortAdmitsTheScraperAloneByPodIp() {
    Topology t =
        resolve(
            SCRAPED,
            vmagent(),
            service("api").port("http", 80).port("metrics", 9090),
            service("cache").port("redis", 6379),
            service("db").port("pg", 5432).port("prom", 9187).metricsPort("prom"));
    assertThat(t.diagnostics()).isEmpty();
    assertThat(t.agreements())
        .extracting(Agreement::toString)
        .containsExactly(
            "monitoring/vmagent -> shop/api [metrics 9090/TCP] by pod IP",
            "monitoring/vmagent -> shop/db [prom 9187/TCP] by pod IP");
  }

  @Test
  void thePlatformsScraperDialsPodsEvenWhenItsOwnDeclarationDoesNotSaySo() {
    // VMServiceScrape scrapes the endpoints behind a Service: pod addresses, whatever the
    // scraper's spec says; the implicit side says it
    Topology t =
        resolve(
            SCRAPED,
            service("monitoring/vmagent").dependsOnAny().outbound(),
            service("api").port("metrics", 9090));
    assertThat(t.agreements())
        .extracting(Agreement::toString)
        .containsExactly("monitoring/vmagent -> shop/api [metrics 9090/TCP] by pod IP");
  }

  @Test
  void aServicesOwnDeclarationOfTheScraperWinsOverTheImplicitOne() {
    Topology t =
        resolve(
            SCRAPED,
            vmagent(),
            service("api")
                .port("http", 80)
                .port("metrics", 9090)
                .dependsOn("monitoring/vmagent")
                .ports("http", "metrics")
                .inbound(),
            service("cache").port("metrics", 9121).dependsOnAny().ports("metrics").inbound());
    assertThat(t.agreements())
        .extracting(Agreement::toString)
        .containsExactly(
            // the scraper's own pod-IP word still holds; the ports are the service's
            "monitoring/vmagent -> shop/api [http 80/TCP, metrics 9090/TCP] by pod IP");
    // the wildcard on both sides forms no agreement: the service's "*" is its word
    assertThat(t.agreements()).noneMatch(a -> a.callee().name().equals("cache"));
  }

  @Test
  void aMissingScraperIsOneWarningNotOnePerService() {
    Topology t =
        resolve(
            SCRAPED, service("api").port("metrics", 9090), service("web").port("metrics", 9090));
    List<Diagnostic> unknown = withCode(t, DiagnosticCode.UNKNOWN_SERVICE);
    assertThat(unknown).hasSize(1);
    assertThat(unknown.get(0).path()).isEqualTo("settings.metricsScraper");
    assertThat(unknown.get(0).message())
        .contains("monitoring/vmagent")
        .contains("not declared")
        .contains("podIp: true");
    assertThat(withCode(t, DiagnosticCode.ONE_SIDED)).isEmpty();

    // declared later, the warning goes and the agreements come
    Topology later = t.update(List.of(vmagent().build()), List.of()).topology();
    assertThat(later.diagnostics()).isEmpty();
    assertThat(later.agreements()).hasSize(2);
    // removed again, it comes back
    Topology gone = later.update(List.of(), List.of(Settings.PLATFORM_METRICS_SCRAPER)).topology();
    assertThat(withCode(gone, DiagnosticCode.UNKNOWN_SERVICE)).hasSize(1);
    assertThat(gone.agreements()).isEmpty();
  }

  @Test
  void aScraperThatDoesNotCallAServiceLeavesItQuiet() {
    // the implicit side is the platform's word, not the service's: no one-sided warning per service
    Topology t =
        resolve(
            SCRAPED,
            service("monitoring/vmagent").port("http", 8429),
            service("api").port("metrics", 9090));
    assertThat(t.diagnostics()).isEmpty();
    assertThat(t.agreements()).isEmpty();
  }

  @Test
  void rejectsAMetricsPortTheServiceDoesNotHave() {
    Topology t = resolve(SCRAPED, vmagent(), service("api").port("http", 80).metricsPort("prom"));
    Diagnostic d = withCode(t, DiagnosticCode.UNKNOWN_PORT).get(0);
    assertThat(d.path()).isEqualTo("shop/api.metricsPort");
    assertThat(d.message()).contains("\"prom\"").contains("its ports are http");
  }

  @Test
  void rejectsAScraperSettingThatIsNoServiceName() {
    Topology t =
        resolve(
            Settings.builder().metricsScraper(ServiceId.of("Monitoring", "vmagent")).build(),
            service("api").port("metrics", 9090));
    assertThat(withCode(t, DiagnosticCode.INVALID_SETTINGS))
        .extracting(Diagnostic::message)
        .containsExactly(
            "metrics scraper namespace \"Monitoring\" is not a DNS-1123 label (lower-case"
                + " letters, digits and '-', starting and ending with a letter or digit); did"
                + " you mean \"monitoring\"?");
  }
}
