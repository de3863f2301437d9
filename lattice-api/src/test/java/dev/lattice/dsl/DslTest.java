package dev.lattice.dsl;

import static dev.lattice.dsl.Lattice.GET;
import static dev.lattice.dsl.Lattice.POST;
import static dev.lattice.dsl.Lattice.cidr;
import static dev.lattice.dsl.Lattice.clients;
import static dev.lattice.dsl.Lattice.entity;
import static dev.lattice.dsl.Lattice.fqdn;
import static dev.lattice.dsl.Lattice.kubeApiserver;
import static dev.lattice.dsl.Lattice.service;
import static dev.lattice.dsl.Lattice.world;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lattice.graph.Agreement;
import dev.lattice.graph.ServiceGraph;
import dev.lattice.graph.Topology;
import dev.lattice.model.Declaration;
import dev.lattice.model.Direction;
import dev.lattice.model.Egress;
import dev.lattice.model.Exposure;
import dev.lattice.model.HttpRule;
import dev.lattice.model.MeshMode;
import dev.lattice.model.PeerAuth;
import dev.lattice.model.PeerRef;
import dev.lattice.model.Protocol;
import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DslTest {

  @Test
  void missionLineMeansApiCallsDb() {
    Service api = service("api").dependsOn("db").outbound().build();

    assertThat(api.declarations())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.peer()).isEqualTo(PeerRef.named("db"));
              assertThat(d.direction()).isEqualTo(Direction.OUTBOUND);
            });
  }

  @Test
  void missionLineFormsAnAgreementWhenTheCalleeAgrees() {
    Topology t =
        ServiceGraph.builder()
            .namespace("shop")
            .add(service("api").dependsOn("db").outbound())
            .add(service("db").port("pg", 5432).dependsOn("api").inbound())
            .build()
            .resolve();

    assertThat(t.diagnostics()).isEmpty();
    assertThat(t.agreements())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.caller()).isEqualTo(ServiceId.of("shop", "api"));
              assertThat(a.callee()).isEqualTo(ServiceId.of("shop", "db"));
            });
  }

  @Test
  void designSketchCompilesAndResolves() {
    ServiceGraph shop =
        ServiceGraph.builder()
            .namespace("shop")
            .add(service("web").port("http", 8080).dependsOn("api").outbound())
            .add(
                service("api")
                    .port("http", 80, 8080)
                    .dependsOn("web")
                    .http(GET, "/api/*")
                    .inbound()
                    .dependsOn("db")
                    .inNamespace("data")
                    .outbound()
                    .egressTo(fqdn("api.stripe.com").port(443)))
            .add(service("db").inNamespace("data").port("pg", 5432).dependsOn("shop/api").inbound())
            .build();

    Topology t = shop.resolve();

    // web declares api outbound, but api only admits... no: api declares web inbound, so web -> api
    // agrees; api -> db agrees across namespaces.
    assertThat(t.agreements())
        .extracting(Agreement::toString)
        .containsExactly(
            "shop/api -> data/db [pg 5432/TCP]",
            "shop/web -> shop/api [http 80->8080/TCP] [GET /api/*]");
    assertThat(t.view(ServiceId.of("shop", "api")).orElseThrow().isBehindWaypoint()).isTrue();
  }

  @Test
  void graphNamespaceAppliesToServicesAddedAfterIt() {
    ServiceGraph g =
        ServiceGraph.builder()
            .add(service("a"))
            .namespace("shop")
            .add(service("b"))
            .add(service("c").inNamespace("ops"))
            .add(service("data/d"))
            .build();

    assertThat(g.services())
        .extracting(s -> s.id().toString())
        .containsExactly("default/a", "shop/b", "ops/c", "data/d");
  }

  @Test
  void inboundAndBothDeclareTheirSides() {
    Service s =
        service("api")
            .port("http", 80)
            .dependsOn("web")
            .inbound()
            .dependsOn("cache")
            .both()
            .build();

    assertThat(s.declarations())
        .extracting(Declaration::direction)
        .containsExactly(Direction.INBOUND, Direction.BOTH);
    assertThat(Direction.BOTH.isInbound()).isTrue();
    assertThat(Direction.BOTH.isOutbound()).isTrue();
  }

  @Test
  void peersCanBeNamedWithNamespaceInEitherForm() {
    Service s =
        service("api")
            .dependsOn("data/db")
            .outbound()
            .dependsOn("cache")
            .inNamespace("data")
            .outbound()
            .build("shop");

    assertThat(s.declarations())
        .extracting(d -> d.peer().resolve("shop").toString())
        .containsExactly("data/db", "data/cache");
  }

  @Test
  void portSubsetsAndHttpRulesAreRecorded() {
    Service s =
        service("api")
            .port("http", 80, 8080)
            .port("metrics", 9090)
            .dependsOn("web")
            .ports("http")
            .http(GET, "/api/*", "*.png")
            .http(POST, "/orders")
            .inbound()
            .build();

    Declaration d = s.declarations().get(0);
    assertThat(d.ports()).containsExactly("http");
    assertThat(d.httpRules())
        .containsExactly(
            HttpRule.of(List.of("GET"), List.of("/api/*", "*.png")),
            HttpRule.of(List.of("POST"), List.of("/orders")));
  }

  @Test
  void wildcardPeerIsAnyServiceInAnyNamespace() {
    Service scraper = service("scraper").dependsOn("*").ports("metrics").outbound().build();
    Service api = service("api").dependsOnAny().inbound().build();

    assertThat(scraper.declarations().get(0).peer().isWildcard()).isTrue();
    assertThat(api.declarations().get(0).peer()).isEqualTo(PeerRef.any());
  }

  @Test
  void egressOfEveryKindCarriesPortsAndProtocol() {
    Service s =
        service("api")
            .egressTo(
                fqdn("api.stripe.com").port(443),
                fqdn("*.s3.amazonaws.com").port(443),
                cidr("10.0.0.0/8").port(5432),
                cidr("2001:db8::/32"),
                entity("kube-apiserver").port(443),
                cidr("192.0.2.10/32").port(53).udp())
            .build();

    assertThat(s.egress())
        .extracting(Egress::toString)
        .containsExactly(
            "fqdn api.stripe.com:[443]/TCP",
            "fqdn *.s3.amazonaws.com:[443]/TCP",
            "cidr 10.0.0.0/8:[5432]/TCP",
            "cidr 2001:db8::/32 (all ports)/TCP",
            "entity kube-apiserver:[443]/TCP",
            "cidr 192.0.2.10/32:[53]/UDP");
    assertThat(s.egress().get(1).isWildcardFqdn()).isTrue();
    assertThat(s.egress().get(0).isExactFqdn()).isTrue();
  }

  @Test
  void portRefinementsApplyToTheLastPort() {
    Service s =
        service("media")
            .port("http", 8096)
            .permissive()
            .exposedTo(world(), clients("10.20.0.0/16"))
            .port("dns", 53)
            .udp()
            .port("hook", 443, 9443)
            .permissive()
            .exposedTo(kubeApiserver())
            .port("sig", 7000)
            .sctp()
            .build();

    assertThat(s.port("http").orElseThrow().peerAuth()).isEqualTo(PeerAuth.PERMISSIVE);
    assertThat(s.port("http").orElseThrow().exposedTo())
        .containsExactly(Exposure.world(), Exposure.cidr("10.20.0.0/16"));
    assertThat(s.port("dns").orElseThrow().protocol()).isEqualTo(Protocol.UDP);
    assertThat(s.port("dns").orElseThrow().peerAuth()).isEqualTo(PeerAuth.STRICT);
    assertThat(s.port("hook").orElseThrow().targetPort()).isEqualTo(9443);
    assertThat(s.port("sig").orElseThrow().protocol()).isEqualTo(Protocol.SCTP);
  }

  @Test
  void meshPeerTrafficAccountAndSelectorOverrides() {
    Service s =
        service("batch")
            .notInMesh()
            .allowPeerTraffic()
            .serviceAccount("batch-runner")
            .selector("app", "batch")
            .selector("tier", "jobs")
            .build();

    assertThat(s.mesh()).isEqualTo(MeshMode.NONE);
    assertThat(s.allowPeerTraffic()).isTrue();
    assertThat(s.serviceAccount()).isEqualTo("batch-runner");
    assertThat(s.selector()).isEqualTo(Map.of("app", "batch", "tier", "jobs"));
  }

  @Test
  void peersFindEachOtherUnderTheirHeadlessServiceOrTheirOwnName() {
    assertThat(service("cache").allowPeerTraffic().build().podSubdomain()).isEqualTo("cache");
    Service s = service("cache").allowPeerTraffic("cache-headless").build();
    assertThat(s.allowPeerTraffic()).isTrue();
    assertThat(s.podSubdomain()).isEqualTo("cache-headless");
    assertThatThrownBy(() -> service("cache").allowPeerTraffic("0cache"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("headless Service of")
        .hasMessageContaining("DNS-1035");
  }

  @Test
  void defaultsFollowTheDesign() {
    Service s = service("api").port("http", 80).build();

    assertThat(s.namespace()).isEqualTo("default");
    assertThat(s.selector()).isEqualTo(Map.of("app.kubernetes.io/name", "api"));
    assertThat(s.serviceAccount()).isEqualTo("api");
    assertThat(s.mesh()).isEqualTo(MeshMode.AMBIENT);
    assertThat(s.allowPeerTraffic()).isFalse();
    assertThat(s.ports().get(0).targetPort()).isEqualTo(80);
    assertThat(s.ports().get(0).protocol()).isEqualTo(Protocol.TCP);
    assertThat(s.ports().get(0).peerAuth()).isEqualTo(PeerAuth.STRICT);
  }

  @Test
  void declaresGatewaysPodIpCallersAndTheScrapedPort() {
    Service gateway = service("istio-ingress/gw").gateway().build();
    Service scraper =
        service("monitoring/prom").dependsOnAny().ports("metrics").byPodIp().outbound().build();
    Service db =
        service("db").port("pg", 5432).port("prom", 9187).metricsPort("prom").build("data");
    assertThat(gateway.isGateway()).isTrue();
    assertThat(service("web").build().isGateway()).isFalse();
    assertThat(scraper.declarations())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.byPodIp()).isTrue();
              assertThat(d.peer().isWildcard()).isTrue();
              assertThat(d.ports()).containsExactly("metrics");
            });
    assertThat(service("web").dependsOn("api").outbound().build().declarations().get(0).byPodIp())
        .isFalse();
    assertThat(db.metricsPort()).contains("prom");
    assertThat(db.scrapedPort().orElseThrow().port()).isEqualTo(9187);
    assertThat(service("api").port("metrics", 9090).build().scrapedPort().orElseThrow().name())
        .isEqualTo("metrics");
    assertThatThrownBy(() -> service("db").metricsPort("Prom"))
        .hasMessageContaining("metrics port of db \"Prom\" is not a DNS-1123 label");
  }

  @Test
  void rejectsProgrammerErrorsAtOnceWithPreciseMessages() {
    assertThatThrownBy(() -> service("api").port("http", 70000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port http of api must be 1..65535, got 70000");
    assertThatThrownBy(() -> service("Api"))
        .hasMessageContaining("is not a DNS-1123 label")
        .hasMessageContaining("did you mean \"api\"");
    assertThatThrownBy(() -> service("api").port("http", 80).port("http", 81))
        .hasMessageContaining("already has a port named http");
    assertThatThrownBy(() -> service("api").dependsOn("web").http("get", "/"))
        .hasMessageContaining("write \"GET\"");
    assertThatThrownBy(() -> service("api").dependsOn("web").http(GET, "/a/*/b"))
        .hasMessageContaining("'*' in the middle");
    assertThatThrownBy(() -> service("api").dependsOn("db").http(GET, "/").outbound())
        .hasMessageContaining("belong to the callee's inbound declaration");
    assertThatThrownBy(() -> service("api").dependsOn("*").inNamespace("shop"))
        .hasMessageContaining("takes no namespace");
    assertThatThrownBy(() -> fqdn("API.example.com"))
        .hasMessageContaining("write \"api.example.com\"");
    assertThatThrownBy(() -> cidr("10.0.0.1/8"))
        .hasMessageContaining("write the network address 10.0.0.0/8");
    assertThatThrownBy(() -> entity("everything")).hasMessageContaining("kube-apiserver");
    assertThatThrownBy(() -> service("api").egressTo(fqdn("api.stripe.com")))
        .hasMessageContaining("names no port");
    assertThatThrownBy(() -> service("shop/api").inNamespace("data"))
        .hasMessageContaining("already names namespace shop");
  }

  @Test
  void refusesArgumentsThatWouldWidenWhatIsAllowed() {
    // an empty port subset would mean every port of the callee
    assertThatThrownBy(() -> service("db").dependsOn("api").ports())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ports() names no port")
        .hasMessageContaining("leave out ports() to cover all of them")
        .hasMessageContaining("db dependsOn api");
    // an egress port() with no number would leave the rule on all ports
    assertThatThrownBy(() -> cidr("10.0.0.0/8").port())
        .hasMessageContaining("port() names no port for egress to 10.0.0.0/8")
        .hasMessageContaining("leave out port()");
    // the whole address space is the entity world, not a CIDR
    assertThatThrownBy(() -> cidr("0.0.0.0/0")).hasMessageContaining("use world");
    assertThatThrownBy(() -> clients("::/0")).hasMessageContaining("use world");
    // an empty selector selects every pod of the namespace
    assertThatThrownBy(() -> service("api").selector(Map.of()))
        .hasMessageContaining("every pod of the namespace");
    // an HTTP rule with neither methods nor paths would grant any request
    assertThatThrownBy(() -> service("api").dependsOn("web").http((String) null))
        .hasMessageContaining("needs methods or paths");
  }

  @Test
  void refusesServiceAndPeerNamesThatNoKubernetesServiceCanHave() {
    assertThatThrownBy(() -> service("1api"))
        .hasMessageContaining("\"1api\" starts with a digit")
        .hasMessageContaining("DNS-1035")
        .hasMessageContaining("rename it");
    assertThatThrownBy(() -> service("shop/2fa")).hasMessageContaining("starts with a digit");
    assertThatThrownBy(() -> service("api").dependsOn("3db"))
        .hasMessageContaining("peer name \"3db\" starts with a digit");
    assertThatThrownBy(() -> service("api").dependsOn("data/3db"))
        .hasMessageContaining("starts with a digit");
    // namespaces are DNS-1123 labels and may start with a digit
    assertThat(service("api").inNamespace("0team").build().namespace()).isEqualTo("0team");
  }
}
