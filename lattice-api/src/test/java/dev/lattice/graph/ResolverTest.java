package dev.lattice.graph;

import static dev.lattice.dsl.Lattice.GET;
import static dev.lattice.dsl.Lattice.clients;
import static dev.lattice.dsl.Lattice.fqdn;
import static dev.lattice.dsl.Lattice.service;
import static dev.lattice.dsl.Lattice.world;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.diagnostics.DiagnosticCode;
import dev.lattice.diagnostics.LatticeException;
import dev.lattice.diagnostics.Severity;
import dev.lattice.dsl.ServiceBuilder;
import dev.lattice.model.Declaration;
import dev.lattice.model.Direction;
import dev.lattice.model.Egress;
import dev.lattice.model.Exposure;
import dev.lattice.model.HttpRule;
import dev.lattice.model.PeerRef;
import dev.lattice.model.Port;
import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import dev.lattice.model.Settings;
import dev.lattice.model.SourceLocation;
import dev.lattice.model.WaypointScope;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResolverTest {

  private static Topology resolve(ServiceBuilder... services) {
    ServiceGraph.Builder b = ServiceGraph.builder().namespace("shop");
    for (ServiceBuilder s : services) {
      b.add(s);
    }
    return b.build().resolve();
  }

  private static Topology resolve(Service... services) {
    return ServiceGraph.of(List.of(services)).resolve();
  }

  private static Diagnostic only(Topology t, DiagnosticCode code) {
    List<Diagnostic> found = t.diagnostics().stream().filter(d -> d.code() == code).toList();
    assertThat(found).as("diagnostics with code %s in %s", code, t.diagnostics()).hasSize(1);
    return found.get(0);
  }

  private static Service.Builder base(String name) {
    return Service.builder().namespace("shop").name(name);
  }

  @Test
  void agreementNeedsBothSides() {
    Topology t =
        resolve(
            service("web").dependsOn("api").outbound(),
            service("api").port("http", 80).dependsOn("web").inbound());

    assertThat(t.agreements())
        .extracting(Agreement::toString)
        .containsExactly("shop/web -> shop/api [http 80/TCP]");
    assertThat(t.edges())
        .extracting(Edge::toString)
        .containsExactly("shop/web -> shop/api (AGREED)");
  }

  @Test
  void viewsAreBuiltOnceInServiceOrderAndCannotBeChanged() {
    Topology t =
        resolve(
            service("web").dependsOn("api").outbound(),
            service("api").port("http", 80).dependsOn("web").inbound());

    List<ServiceView> views = t.views();
    assertThat(views).extracting(v -> v.id().toString()).containsExactly("shop/api", "shop/web");
    assertThat(views.get(0).inbound())
        .extracting(Agreement::toString)
        .containsExactly("shop/web -> shop/api [http 80/TCP]");
    assertThat(t.views()).isSameAs(views);
    assertThatThrownBy(() -> views.remove(0)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void deniesCallerThatOnlyOneSideDeclared() {
    Topology t =
        resolve(service("web").dependsOn("api").outbound(), service("api").port("http", 80));

    assertThat(t.agreements()).isEmpty();
    Diagnostic d = only(t, DiagnosticCode.ONE_SIDED);
    assertThat(d.severity()).isEqualTo(Severity.WARNING);
    assertThat(d.path()).isEqualTo("shop/web.dependsOn[api]");
    assertThat(d.message()).contains("shop/api adds shop/web as an inbound (or both) dependency");
    assertThat(t.edges()).extracting(Edge::status).containsExactly(Edge.Status.ONE_SIDED);
  }

  @Test
  void oneSidedInboundSaysTheCallerMustDeclareOutbound() {
    Topology t =
        resolve(service("web"), service("api").port("http", 80).dependsOn("web").inbound());

    Diagnostic d = only(t, DiagnosticCode.ONE_SIDED);
    assertThat(d.path()).isEqualTo("shop/api.dependsOn[web]");
    assertThat(d.message()).contains("shop/web adds shop/api as an outbound (or both) dependency");
  }

  @Test
  void bothIsOneDeclarationForTwoSides() {
    Topology t =
        resolve(
            service("a").port("http", 80).dependsOn("b").both(),
            service("b").port("grpc", 9090).dependsOn("a").both());

    assertThat(t.agreements())
        .extracting(Agreement::toString)
        .containsExactly("shop/a -> shop/b [grpc 9090/TCP]", "shop/b -> shop/a [http 80/TCP]");
  }

  @Test
  void portSetIsTheIntersectionOfBothSubsets() {
    Topology t =
        resolve(
            service("web").dependsOn("api").ports("http", "admin").outbound(),
            service("api")
                .port("http", 80)
                .port("admin", 81)
                .port("metrics", 9090)
                .dependsOn("web")
                .ports("http", "metrics")
                .inbound());

    assertThat(t.agreements())
        .singleElement()
        .satisfies(a -> assertThat(a.ports()).extracting(Port::name).containsExactly("http"));
  }

  @Test
  void withBothTheSubsetBelongsToTheInboundSide() {
    // a grants b only its port "http"; a calls all of b's ports
    Topology t =
        resolve(
            service("a").port("http", 80).port("admin", 81).dependsOn("b").ports("http").both(),
            service("b").port("x", 1000).port("y", 1001).dependsOn("a").both());

    assertThat(t.agreements())
        .extracting(Agreement::toString)
        .containsExactly(
            "shop/a -> shop/b [x 1000/TCP, y 1001/TCP]", "shop/b -> shop/a [http 80/TCP]");
  }

  @Test
  void wildcardOnOneSideMatchesAnyExplicitDeclaration() {
    Topology t =
        ServiceGraph.builder()
            .add(service("ops/scraper").dependsOn("*").ports("metrics").outbound())
            .add(
                service("shop/api")
                    .port("http", 80)
                    .port("metrics", 9090)
                    .dependsOn("ops/scraper")
                    .inbound())
            .add(service("shop/web").port("http", 80).port("metrics", 9090)) // did not admit it
            .add(service("shop/public").port("http", 80).dependsOn("*").inbound())
            .add(service("shop/client").dependsOn("public").outbound())
            .build()
            .resolve();

    assertThat(t.agreements())
        .extracting(Agreement::toString)
        .containsExactly(
            "ops/scraper -> shop/api [metrics 9090/TCP]",
            "shop/client -> shop/public [http 80/TCP]");
  }

  @Test
  void wildcardOnBothSidesFormsNoAgreement() {
    Topology t =
        resolve(
            service("scraper").dependsOn("*").outbound(),
            service("api").port("http", 80).dependsOn("*").inbound());

    assertThat(t.agreements()).isEmpty();
  }

  @Test
  void explicitDeclarationWinsOverWildcard() {
    Topology t =
        resolve(
            service("web").dependsOn("api").outbound(),
            service("api")
                .port("http", 80)
                .port("admin", 81)
                .dependsOn("*")
                .inbound()
                .dependsOn("web")
                .ports("http")
                .http(GET, "/health")
                .inbound());

    assertThat(t.agreements())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.ports()).extracting(Port::name).containsExactly("http");
              assertThat(a.httpRules())
                  .containsExactly(HttpRule.of(List.of("GET"), List.of("/health")));
            });
  }

  @Test
  void peerTrafficIsAnAgreementWithItself() {
    Topology t = resolve(service("db").port("pg", 5432).port("repl", 5433).allowPeerTraffic());

    assertThat(t.agreements())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.isPeerTraffic()).isTrue();
              assertThat(a.caller()).isEqualTo(a.callee());
              assertThat(a.ports()).hasSize(2);
            });
  }

  @Test
  void httpRulesPutTheCalleeBehindAWaypoint() {
    Topology t =
        resolve(
            service("web").dependsOn("api").outbound(),
            service("cron").dependsOn("api").outbound(),
            service("api")
                .port("http", 80)
                .dependsOn("web")
                .http(GET, "/api/*")
                .inbound()
                .dependsOn("cron")
                .inbound());

    ServiceView api = t.view(ServiceId.of("shop", "api")).orElseThrow();
    assertThat(api.isBehindWaypoint()).isTrue();
    assertThat(api.waypoint().orElseThrow().name()).isEqualTo("waypoint");
    assertThat(t.waypoints())
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.services()).containsExactly(ServiceId.of("shop", "api"));
              assertThat(w.routesEgress()).isFalse();
            });
    assertThat(t.view(ServiceId.of("shop", "web")).orElseThrow().isBehindWaypoint()).isFalse();
  }

  @Test
  void serviceScopeGivesEachServiceItsOwnWaypointAndEgressUsesTheNamespaceOne() {
    Topology t =
        ServiceGraph.builder()
            .namespace("shop")
            .add(
                service("web")
                    .dependsOn("api")
                    .outbound()
                    .egressTo(fqdn("api.stripe.com").port(443)))
            .add(service("api").port("http", 80).dependsOn("web").http(GET, "/").inbound())
            .build()
            .resolve(Settings.builder().waypointScope(WaypointScope.SERVICE).build());

    assertThat(t.waypoints())
        .extracting(Waypoint::toString)
        .containsExactly("shop/api-waypoint", "shop/waypoint");
    assertThat(t.view(ServiceId.of("shop", "web")).orElseThrow().egressWaypoint())
        .hasValueSatisfying(w -> assertThat(w.name()).isEqualTo("waypoint"));
  }

  @Test
  void longServiceWaypointNamesFitALabelValue() {
    String name = "a".repeat(60);
    Topology t =
        ServiceGraph.builder()
            .namespace("shop")
            .add(service("web").dependsOn(name).outbound())
            .add(service(name).port("http", 80).dependsOn("web").http(GET, "/").inbound())
            .build()
            .resolve(Settings.builder().waypointScope(WaypointScope.SERVICE).build());

    assertThat(t.waypoints())
        .singleElement()
        .satisfies(
            w -> assertThat(w.name()).hasSize(63).startsWith("aaaa").doesNotContain("waypoint"));
  }

  @Test
  void udpOnlyExactFqdnEgressNeedsNoWaypoint() {
    Topology t = resolve(service("ntp").egressTo(fqdn("time.example.com").port(123).udp()));

    assertThat(t.waypoints()).isEmpty();
    assertThat(t.view(ServiceId.of("shop", "ntp")).orElseThrow().egressWaypoint()).isEmpty();
  }

  // ------------------------------------------------------------- errors

  @Test
  void rejectsInvalidNamesWithTheirLocation() {
    SourceLocation at = SourceLocation.of("svc.yaml", 3, 9);
    Topology t = resolve(base("Bad_Name").source(at).build());

    Diagnostic d = only(t, DiagnosticCode.INVALID_NAME);
    assertThat(d.path()).isEqualTo("shop/Bad_Name");
    assertThat(d.location()).contains(at);
    assertThat(d.toString()).startsWith("svc.yaml:3:9: error[invalid-name]: ");
  }

  @Test
  void rejectsPortsZeroAndTooLarge() {
    Topology t =
        resolve(
            base("api")
                .addPorts(Port.builder().name("a").port(0).build())
                .addPorts(Port.builder().name("b").port(65536).build())
                .build());

    assertThat(t.diagnostics())
        .filteredOn(d -> d.code() == DiagnosticCode.PORT_OUT_OF_RANGE)
        .extracting(Diagnostic::path, Diagnostic::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "shop/api.ports[a]", "port must be 1..65535, got 0"),
            org.assertj.core.groups.Tuple.tuple(
                "shop/api.ports[b]", "port must be 1..65535, got 65536"));
  }

  @Test
  void rejectsDuplicatePortNumbersButNotTheSameNumberOnAnotherProtocol() {
    Topology t =
        resolve(
            base("dns")
                .addPorts(Port.builder().name("dns").port(53).build())
                .addPorts(
                    Port.builder()
                        .name("dns-udp")
                        .port(53)
                        .protocol(dev.lattice.model.Protocol.UDP)
                        .build())
                .addPorts(Port.builder().name("other").port(53).build())
                .build());

    Diagnostic d = only(t, DiagnosticCode.DUPLICATE_PORT);
    assertThat(d.path()).isEqualTo("shop/dns.ports[other]");
    assertThat(d.message()).contains("exposes 53/TCP twice").contains("give it another number");
  }

  @Test
  void rejectsTheSameServiceDeclaredTwiceDifferently() {
    Service first =
        base("api")
            .source(SourceLocation.of("a.yaml", 1, 1))
            .addPorts(Port.builder().name("http").port(80).build())
            .build();
    Service second =
        base("api")
            .source(SourceLocation.of("b.yaml", 4, 1))
            .addPorts(Port.builder().name("http").port(8080).build())
            .build();
    Service same =
        base("api")
            .source(SourceLocation.of("c.yaml", 1, 1))
            .addPorts(Port.builder().name("http").port(80).build())
            .build();

    Topology t = resolve(first, second, same);

    Diagnostic d = only(t, DiagnosticCode.DUPLICATE_SERVICE);
    assertThat(d.location()).contains(SourceLocation.of("b.yaml", 4, 1));
    assertThat(d.message()).contains("first at a.yaml:1:1").contains("keep one definition");
  }

  @Test
  void rejectsPortSubsetNamingAPortTheCalleeLacks() {
    Topology t =
        resolve(
            service("web").dependsOn("api").ports("grcp").outbound(),
            service("api").port("grpc", 9090).port("http", 80).dependsOn("web").inbound());

    Diagnostic d = only(t, DiagnosticCode.UNKNOWN_PORT);
    assertThat(d.path()).isEqualTo("shop/web.dependsOn[api]");
    assertThat(d.message()).contains("port \"grcp\" of shop/api, which has ports grpc, http");
  }

  @Test
  void rejectsInboundSubsetNamingAPortTheServiceLacks() {
    Topology t = resolve(service("api").port("http", 80).dependsOn("web").ports("htp").inbound());

    Diagnostic d = only(t, DiagnosticCode.UNKNOWN_PORT);
    assertThat(d.path()).isEqualTo("shop/api.dependsOn[web]");
    assertThat(d.message()).contains("its ports are http");
  }

  @Test
  void rejectsAnAgreementWithNoCommonPort() {
    Topology t =
        resolve(
            service("web").dependsOn("api").ports("admin").outbound(),
            service("api")
                .port("http", 80)
                .port("admin", 81)
                .dependsOn("web")
                .ports("http")
                .inbound());

    Diagnostic d = only(t, DiagnosticCode.NO_COMMON_PORT);
    assertThat(d.path()).isEqualTo("shop/web.dependsOn[api]");
    assertThat(d.message()).contains("make the two lists share a port");
    assertThat(t.agreements()).isEmpty();
  }

  @Test
  void rejectsNonMeshCallerOfStrictTcpPort() {
    Topology t =
        resolve(
            service("batch").notInMesh().dependsOn("api").outbound(),
            service("api")
                .port("http", 80)
                .port("dns", 53)
                .udp()
                .port("ok", 81)
                .permissive()
                .dependsOn("batch")
                .inbound());

    Diagnostic d = only(t, DiagnosticCode.PLAINTEXT_TO_STRICT);
    assertThat(d.path()).isEqualTo("shop/batch.dependsOn[api]");
    assertThat(d.message()).contains("port \"http\" of shop/api").contains("PERMISSIVE");
  }

  @Test
  void acceptsNonMeshCallerOfPermissiveAndUdpPorts() {
    Topology t =
        resolve(
            service("batch").notInMesh().dependsOn("api").outbound(),
            service("api")
                .port("dns", 53)
                .udp()
                .port("ok", 81)
                .permissive()
                .dependsOn("batch")
                .inbound());

    assertThat(t.hasErrors()).isFalse();
    assertThat(t.agreements()).hasSize(1);
  }

  @Test
  void rejectsHttpRulesANonMeshCallerWouldBypass() {
    Topology t =
        resolve(
            service("batch").notInMesh().dependsOn("api").outbound(),
            service("api")
                .port("http", 80)
                .permissive()
                .dependsOn("batch")
                .http(GET, "/")
                .inbound());

    Diagnostic d = only(t, DiagnosticCode.HTTP_WITHOUT_WAYPOINT);
    assertThat(d.path()).isEqualTo("shop/batch.dependsOn[api]");
    assertThat(d.message()).contains("enforced by neither layer");
  }

  @Test
  void rejectsHttpRulesOnANonMeshCallee() {
    Topology t =
        resolve(
            service("api").notInMesh().port("http", 80).dependsOn("web").http(GET, "/").inbound());

    assertThat(only(t, DiagnosticCode.HTTP_WITHOUT_WAYPOINT).message())
        .contains("enroll it in the mesh");
  }

  @Test
  void rejectsHttpRulesCoveringAUdpPort() {
    Topology t =
        resolve(
            service("api")
                .port("http", 80)
                .port("dns", 53)
                .udp()
                .dependsOn("web")
                .http(GET, "/")
                .inbound());

    Diagnostic d = only(t, DiagnosticCode.HTTP_WITHOUT_WAYPOINT);
    assertThat(d.message()).contains("port \"dns\" (UDP)").contains("ports: [http]");
  }

  @Test
  void rejectsHttpRulesOnAnOutboundDeclaration() {
    Service web =
        base("web")
            .addDeclarations(
                Declaration.builder()
                    .peer(PeerRef.named("api"))
                    .direction(Direction.OUTBOUND)
                    .addHttpRules(HttpRule.of(List.of("GET"), List.of("/")))
                    .build())
            .build();

    assertThat(only(resolve(web), DiagnosticCode.HTTP_ON_OUTBOUND).message())
        .contains("Move them to shop/api's inbound declaration of shop/web");
  }

  @Test
  void rejectsSelfReferencesAndPointsAtPeerTraffic() {
    Topology t = resolve(service("api").port("http", 80).dependsOn("api").both());

    assertThat(only(t, DiagnosticCode.SELF_REFERENCE).message()).contains("allowPeerTraffic");
  }

  @Test
  void rejectsDuplicateDeclarationsOfOneSide() {
    Topology t = resolve(service("web").dependsOn("api").outbound().dependsOn("shop/api").both());

    assertThat(only(t, DiagnosticCode.DUPLICATE_DECLARATION).message())
        .contains("declares shop/api outbound more than once");
  }

  @Test
  void rejectsInvalidEgressTargets() {
    Service s =
        base("api")
            .addEgress(Egress.builder().target(new Egress.Fqdn("api..com")).addPorts(443).build())
            .addEgress(Egress.builder().target(new Egress.Fqdn("ok.example.com")).build())
            .addEgress(Egress.builder().target(new Egress.Cidr("10.0.0.0/40")).build())
            .addEgress(Egress.builder().target(new Egress.Entity("everything")).build())
            .build();

    assertThat(resolve(s).diagnostics())
        .filteredOn(d -> d.code() == DiagnosticCode.INVALID_EGRESS)
        .extracting(Diagnostic::path)
        .containsExactly(
            "shop/api.egress[10.0.0.0/40]",
            "shop/api.egress[api..com]",
            "shop/api.egress[everything]",
            "shop/api.egress[ok.example.com]");
  }

  @Test
  void rejectsStrictTcpPortExposedToTheWorld() {
    Topology t = resolve(service("web").port("http", 80).exposedTo(world()));

    Diagnostic d = only(t, DiagnosticCode.EXPOSED_STRICT);
    assertThat(d.path()).isEqualTo("shop/web.ports[http]");
    assertThat(d.message()).contains("mark the port PERMISSIVE");
  }

  @Test
  void acceptsExposuresOfPermissiveTcpAndOfNonMeshOrUdpPorts() {
    Topology t =
        resolve(
            service("web")
                .port("http", 80)
                .permissive()
                .exposedTo(world(), clients("10.20.0.0/16")),
            service("dns").port("dns", 53).udp().exposedTo(world()),
            service("legacy").notInMesh().port("http", 80).exposedTo(world()));

    assertThat(t.hasErrors()).isFalse();
  }

  @Test
  void rejectsMalformedExposureCidr() {
    Service s =
        base("web")
            .addPorts(
                Port.builder()
                    .name("http")
                    .port(80)
                    .peerAuth(dev.lattice.model.PeerAuth.PERMISSIVE)
                    .addExposedTo(Exposure.cidr("10.0.0.0/99"))
                    .build())
            .build();

    assertThat(only(resolve(s), DiagnosticCode.INVALID_EXPOSURE).path())
        .isEqualTo("shop/web.ports[http].exposedTo[10.0.0.0/99]");
  }

  @Test
  void rejectsAServiceThatWouldShareTheWaypointsIdentity() {
    Topology t =
        resolve(
            service("web").serviceAccount("waypoint").dependsOn("api").outbound(),
            service("api").port("http", 80).dependsOn("web").http(GET, "/").inbound());

    assertThat(only(t, DiagnosticCode.WAYPOINT_NAME_CLASH).message())
        .contains("runs as service account \"waypoint\"");
  }

  @Test
  void rejectsSettingsThatWouldRenderInvalidDocuments() {
    Topology t =
        ServiceGraph.builder()
            .add(service("web"))
            .build()
            .resolve(
                Settings.builder()
                    .trustDomain("my domain")
                    .waypointName("Waypoint")
                    .ambientProbeSources(List.of("169.254.7.127"))
                    .build());

    assertThat(t.diagnostics())
        .filteredOn(d -> d.code() == DiagnosticCode.INVALID_SETTINGS)
        .extracting(Diagnostic::message)
        .containsExactly(
            "CIDR \"169.254.7.127\" has no prefix length; write \"169.254.7.127/32\" for one address",
            "trust domain \"my domain\" is not a DNS-1123 subdomain (dot-separated lower-case labels"
                + " of letters, digits and '-')",
            "waypoint name \"Waypoint\" is not a DNS-1123 label (lower-case letters, digits and '-',"
                + " starting and ending with a letter or digit); did you mean \"waypoint\"?");
    assertThat(t.hasErrors()).isTrue();
  }

  @Test
  void rejectsEmptySelector() {
    Service s = base("api").selector(Map.of()).build();

    assertThat(only(resolve(s), DiagnosticCode.INVALID_LABEL).message())
        .contains("select every pod");
  }

  @Test
  void warnsAboutUnknownServicesAndSuggestsTheClosestName() {
    Topology t =
        resolve(
            service("web").dependsOn("dbx").outbound(),
            service("db").port("pg", 5432),
            service("cache").port("redis", 6379));

    Diagnostic d = only(t, DiagnosticCode.UNKNOWN_SERVICE);
    assertThat(d.severity()).isEqualTo(Severity.WARNING);
    assertThat(d.message())
        .isEqualTo(
            "shop/web calls shop/dbx, which is not declared; the edge stays closed until it is"
                + " (did you mean shop/db? known services in shop: cache, db, web)");
    assertThat(t.edges()).extracting(Edge::status).containsExactly(Edge.Status.UNKNOWN_PEER);
  }

  @Test
  void warnsAboutServicesInSystemNamespaces() {
    Topology t = ServiceGraph.builder().add(service("kube-system/thing")).build().resolve();

    assertThat(only(t, DiagnosticCode.SYSTEM_NAMESPACE).severity()).isEqualTo(Severity.WARNING);
  }

  @Test
  void orThrowCarriesEveryDiagnosticSorted() {
    Topology t =
        resolve(
            service("web").dependsOn("api").ports("x").outbound(),
            service("api").port("http", 80).dependsOn("web").inbound());

    assertThatThrownBy(t::orThrow)
        .isInstanceOf(LatticeException.class)
        .hasMessageStartingWith("2 errors")
        .satisfies(e -> assertThat(((LatticeException) e).diagnostics()).hasSize(2));
  }

  @Test
  void diagnosticsAreSortedByLocationThenPath() {
    Service b = base("b").source(SourceLocation.of("a.yaml", 9, 1)).selector(Map.of()).build();
    Service a = base("a").source(SourceLocation.of("a.yaml", 2, 1)).selector(Map.of()).build();
    Service c = base("c").selector(Map.of()).build();

    assertThat(resolve(b, c, a).diagnostics())
        .extracting(Diagnostic::path)
        .containsExactly("shop/a", "shop/b", "shop/c");
  }
}
