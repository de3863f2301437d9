package dev.lattice.istio;

import static dev.lattice.dsl.Lattice.*;

import dev.lattice.graph.ServiceGraph;
import dev.lattice.graph.Topology;
import dev.lattice.model.HttpRule;
import dev.lattice.model.Settings;
import dev.lattice.model.WaypointScope;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The graphs behind the golden files, built with the DSL. Each case shows one feature of DESIGN §7;
 * its expected output is {@code golden/<case>/istio.yaml}.
 */
final class GoldenCases {
  private GoldenCases() {}

  /** Every case, by the name of its golden directory. */
  static final Map<String, Supplier<Topology>> ALL = new LinkedHashMap<>();

  static {
    ALL.put("one-agreement", GoldenCases::oneAgreement);
    ALL.put("cross-namespace", GoldenCases::crossNamespace);
    ALL.put("port-sets", GoldenCases::portSets);
    ALL.put("http-rules-waypoint", () -> httpRules(Settings.defaults()));
    ALL.put(
        "waypoint-scope-service",
        () -> httpRules(Settings.builder().waypointScope(WaypointScope.SERVICE).build()));
    ALL.put("permissive-port", GoldenCases::permissivePort);
    ALL.put("non-mesh-caller", GoldenCases::nonMeshCaller);
    ALL.put("exposed-port", GoldenCases::exposedPort);
    ALL.put("fqdn-egress", GoldenCases::fqdnEgress);
    ALL.put("custom-trust-domain", GoldenCases::customTrustDomain);
    ALL.put("target-port", GoldenCases::targetPort);
    ALL.put("non-mesh-service", GoldenCases::nonMeshService);
    ALL.put("peer-traffic", GoldenCases::peerTraffic);
    ALL.put("udp-ports", GoldenCases::udpPorts);
    ALL.put("gateway-and-scraper", GoldenCases::gatewayAndScraper);
  }

  /**
   * Around web, behind a waypoint for admin's HTTP rules: an ingress gateway that must take the
   * waypoint (web's Service needs istio.io/ingress-use-waypoint), a scraper that dials web's pods
   * (admitted at their ztunnel, past the waypoint), and another gateway, to api, which has no
   * waypoint and so needs no label.
   */
  static Topology gatewayAndScraper() {
    return ServiceGraph.builder()
        .namespace("shop")
        .add(
            service("istio-ingress/gateway")
                .gateway()
                .selector("istio", "ingressgateway")
                .serviceAccount("istio-ingressgateway")
                .port("http", 80, 8080)
                .permissive()
                .exposedTo(world())
                .dependsOn("shop/web")
                .outbound()
                .dependsOn("shop/api")
                .outbound())
        .add(service("admin").dependsOn("web").outbound())
        .add(service("monitoring/prometheus").dependsOnAny().ports("metrics").byPodIp().outbound())
        .add(
            service("web")
                .port("http", 80, 3000)
                .port("metrics", 9090)
                .dependsOn("admin")
                .http(GET, "/admin/*")
                .inbound()
                .dependsOn("istio-ingress/gateway")
                .ports("http")
                .inbound()
                .dependsOn("monitoring/prometheus")
                .ports("metrics")
                .inbound())
        .add(service("api").port("http", 80, 8080).dependsOn("istio-ingress/gateway").inbound())
        .build()
        .resolve()
        .orThrow();
  }

  /** web calls api: one selector policy on api. */
  static Topology oneAgreement() {
    return ServiceGraph.builder()
        .namespace("shop")
        .add(service("web").port("http", 8080).dependsOn("api").outbound())
        .add(service("api").port("http", 8080).dependsOn("web").inbound())
        .build()
        .resolve()
        .orThrow();
  }

  /** shop/api calls data/db: principals name the caller's namespace. */
  static Topology crossNamespace() {
    return ServiceGraph.builder()
        .namespace("shop")
        .add(service("api").port("http", 8080).dependsOn("db").inNamespace("data").outbound())
        .add(service("db").inNamespace("data").port("pg", 5432).dependsOn("shop/api").inbound())
        .build()
        .resolve()
        .orThrow();
  }

  /**
   * Callers of store on different subsets of its ports: a and b share {http, grpc}, c has {http}, d
   * {metrics}; e runs as a's service account, so its principal joins a's.
   */
  static Topology portSets() {
    return ServiceGraph.builder()
        .namespace("shop")
        .add(
            service("store")
                .port("http", 8080)
                .port("grpc", 9090)
                .port("metrics", 9100)
                .dependsOn("a")
                .ports("http", "grpc")
                .inbound()
                .dependsOn("b")
                .ports("grpc", "http")
                .inbound()
                .dependsOn("c")
                .ports("http")
                .inbound()
                .dependsOn("monitoring/d")
                .ports("metrics")
                .inbound()
                .dependsOn("e")
                .ports("http")
                .inbound())
        .add(service("a").serviceAccount("team-a").dependsOn("store").outbound())
        .add(service("b").dependsOn("store").outbound())
        .add(service("c").dependsOn("store").outbound())
        .add(service("d").inNamespace("monitoring").dependsOn("shop/store").outbound())
        .add(service("e").serviceAccount("team-a").dependsOn("store").outbound())
        .build()
        .resolve()
        .orThrow();
  }

  /**
   * api grants web GET on a prefix and POST on one path, admin GET/HEAD on a suffix, and batch any
   * request; orders, behind a waypoint too, grants api one POST (under waypoint scope SERVICE: two
   * waypoints).
   */
  static Topology httpRules(Settings settings) {
    return ServiceGraph.builder()
        .namespace("shop")
        .add(
            service("api")
                .port("http", 80, 8080)
                .dependsOn("web")
                .http(GET, "/api/*")
                .http(POST, "/api/orders")
                .inbound()
                .dependsOn("admin")
                .http(HttpRule.of(List.of(HEAD, GET), List.of("*.json", "/status")))
                .inbound()
                .dependsOn("batch")
                .inbound()
                .dependsOn("orders")
                .outbound())
        .add(service("orders").port("http", 8080).dependsOn("api").http(POST, "/orders").inbound())
        .add(service("web").dependsOn("api").outbound())
        .add(service("admin").dependsOn("api").outbound())
        .add(service("batch").dependsOn("api").outbound())
        .build()
        .resolve(settings)
        .orThrow();
  }

  /** api's legacy port is PERMISSIVE but only mesh callers use it: no plaintext rule. */
  static Topology permissivePort() {
    return ServiceGraph.builder()
        .namespace("shop")
        .add(service("web").dependsOn("api").outbound())
        .add(
            service("api")
                .port("http", 8080)
                .port("legacy", 9000)
                .permissive()
                .dependsOn("web")
                .inbound())
        .build()
        .resolve()
        .orThrow();
  }

  /** A client outside the mesh calls api's PERMISSIVE port; web calls it too, by identity. */
  static Topology nonMeshCaller() {
    return ServiceGraph.builder()
        .namespace("shop")
        .add(service("legacy-client").notInMesh().dependsOn("api").ports("legacy").outbound())
        .add(service("web").dependsOn("api").outbound())
        .add(
            service("api")
                .port("http", 8080)
                .port("legacy", 9000, 9001)
                .permissive()
                .dependsOn("legacy-client")
                .inbound()
                .dependsOn("web")
                .inbound())
        .build()
        .resolve()
        .orThrow();
  }

  /**
   * Ports exposed to the internet, the API server (a webhook), and a UDP port exposed to the
   * internet, which Istio never sees. (A CIDR exposure would do as well, but lattice-api's resolver
   * currently rejects every valid CIDR exposure.)
   */
  static Topology exposedPort() {
    return ServiceGraph.builder()
        .namespace("edge")
        .add(
            service("frontend")
                .port("http", 80, 8080)
                .permissive()
                .exposedTo(world())
                .port("webhook", 443, 9443)
                .permissive()
                .exposedTo(kubeApiserver())
                .port("syslog", 514)
                .udp()
                .exposedTo(world())
                .port("admin", 9000)
                .dependsOn("ops")
                .ports("admin")
                .inbound())
        .add(service("ops").dependsOn("frontend").ports("admin").outbound())
        .build()
        .resolve()
        .orThrow();
  }

  /**
   * Exact and wildcard names: shop's api and worker share api.stripe.com (one ServiceEntry),
   * billing has its own; wildcard, CIDR and entity egress and a non-mesh service's egress give
   * nothing; UDP egress to a name gives no ServiceEntry.
   */
  static Topology fqdnEgress() {
    return ServiceGraph.builder()
        .namespace("shop")
        .add(service("api").egressTo(fqdn("api.stripe.com").port(443)))
        .add(
            service("worker")
                .egressTo(
                    fqdn("api.stripe.com").port(443, 80),
                    fqdn("*.s3.amazonaws.com").port(443),
                    cidr("192.0.2.0/24").port(5432),
                    entity("kube-apiserver").port(443)))
        .add(service("clock").egressTo(fqdn("pool.ntp.org").port(123).udp()))
        .add(service("legacy").notInMesh().egressTo(fqdn("legacy.example.com").port(443)))
        .add(service("invoicer").inNamespace("billing").egressTo(fqdn("api.stripe.com").port(443)))
        .build()
        .resolve()
        .orThrow();
  }

  /** Another trust domain, root namespace and waypoint name: principals and defaults follow. */
  static Topology customTrustDomain() {
    return ServiceGraph.builder()
        .namespace("shop")
        .add(service("web").port("http", 8080).dependsOn("api").outbound())
        .add(
            service("api")
                .port("http", 8080)
                .dependsOn("web")
                .http(GET, "/")
                .inbound()
                .egressTo(fqdn("api.stripe.com").port(443)))
        .build()
        .resolve(
            Settings.builder()
                .trustDomain("prod.example")
                .rootNamespace("mesh-root")
                .waypointName("l7")
                .build())
        .orThrow();
  }

  /**
   * Service ports 80 that land on pod ports 8080 and 3000: ztunnel policies name the pod port, the
   * waypoint policy the Service port.
   */
  static Topology targetPort() {
    return ServiceGraph.builder()
        .namespace("shop")
        .add(service("web").dependsOn("api").outbound().dependsOn("front").outbound())
        .add(service("api").port("http", 80, 8080).dependsOn("web").inbound())
        .add(service("front").port("http", 80, 3000).dependsOn("web").http(GET, "/*").inbound())
        .build()
        .resolve()
        .orThrow();
  }

  /** web (ambient) calls legacy (not in the mesh): nothing but the mesh-wide defaults. */
  static Topology nonMeshService() {
    return ServiceGraph.builder()
        .namespace("shop")
        .add(service("web").dependsOn("legacy").outbound())
        .add(service("legacy").notInMesh().port("http", 8080).dependsOn("web").inbound())
        .build()
        .resolve()
        .orThrow();
  }

  /** cache's pods talk to each other on all its ports; app calls one of them. */
  static Topology peerTraffic() {
    return ServiceGraph.builder()
        .namespace("shop")
        .add(
            service("cache")
                .port("redis", 6379)
                .port("gossip", 7000)
                .allowPeerTraffic()
                .dependsOn("app")
                .ports("redis")
                .inbound())
        .add(service("app").dependsOn("cache").outbound())
        .build()
        .resolve()
        .orThrow();
  }

  /** dns serves 53 over TCP and UDP and metrics over UDP: only TCP reaches Istio's policies. */
  static Topology udpPorts() {
    return ServiceGraph.builder()
        .namespace("infra")
        .add(
            service("dns")
                .port("dns-tcp", 53)
                .port("dns-udp", 53)
                .udp()
                .port("statsd", 8125)
                .udp()
                .permissive()
                .dependsOn("app")
                .inbound())
        .add(service("app").dependsOn("dns").outbound())
        .build()
        .resolve()
        .orThrow();
  }
}
