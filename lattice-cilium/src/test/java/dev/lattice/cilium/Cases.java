package dev.lattice.cilium;

import static dev.lattice.dsl.Lattice.GET;
import static dev.lattice.dsl.Lattice.POST;
import static dev.lattice.dsl.Lattice.cidr;
import static dev.lattice.dsl.Lattice.clients;
import static dev.lattice.dsl.Lattice.entity;
import static dev.lattice.dsl.Lattice.fqdn;
import static dev.lattice.dsl.Lattice.kubeApiserver;
import static dev.lattice.dsl.Lattice.service;
import static dev.lattice.dsl.Lattice.world;

import dev.lattice.graph.ServiceGraph;
import dev.lattice.graph.Topology;
import dev.lattice.model.Settings;
import dev.lattice.model.WaypointScope;
import java.util.LinkedHashMap;
import java.util.Map;

/** The example topologies of the golden cases, shared with the structural tests. */
final class Cases {
  private Cases() {}

  /** Every case by its golden directory name. */
  static Map<String, Topology> all() {
    Map<String, Topology> m = new LinkedHashMap<>();
    m.put("one-agreement", oneAgreement());
    m.put("cross-namespace", crossNamespace());
    m.put("dns-names", dnsNames());
    m.put("dns-node-search-domains", dnsNodeSearchDomains());
    m.put("non-mesh", nonMesh());
    m.put("waypoint-callers", waypointCallers());
    m.put("waypoint-scope-namespace", waypointScopeNamespace());
    m.put("waypoint-scope-service", waypointScopeService());
    m.put("external-egress", externalEgress());
    m.put("peer-traffic", peerTraffic());
    m.put("no-agreements", noAgreements());
    m.put("udp-port", udpPort());
    m.put("target-port", targetPort());
    m.put("exposures", exposures());
    m.put("exposures-preserved-source-ip", exposuresPreservedSourceIp());
    m.put("kitchen-sink", kitchenSink());
    m.put("gateway-and-scraper", gatewayAndScraper());
    return m;
  }

  /**
   * An ingress gateway and a pod-IP scraper around a service behind a waypoint: the gateway reaches
   * istiod and goes through the waypoint; the scraper goes straight to the pods, past it (R5).
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
        .build()
        .resolve()
        .orThrow();
  }

  static Topology oneAgreement() {
    return ServiceGraph.builder()
        .namespace("shop")
        .add(service("web").port("http", 8080).dependsOn("api").outbound())
        .add(service("api").port("http", 8080).dependsOn("web").inbound())
        .build()
        .resolve();
  }

  static Topology crossNamespace() {
    return ServiceGraph.builder()
        .namespace("shop")
        .add(service("web").port("http", 8080).dependsOn("data/db").outbound())
        .add(service("db").inNamespace("data").port("pg", 5432).dependsOn("shop/web").inbound())
        .build()
        .resolve();
  }

  static Topology dnsNames() {
    return ServiceGraph.builder()
        .namespace("shop")
        .add(service("web").dependsOn("api").outbound().dependsOn("data/db").outbound())
        .add(service("api").port("http", 8080).dependsOn("web").inbound())
        .add(service("db").inNamespace("data").port("pg", 5432).dependsOn("shop/web").inbound())
        .build()
        .resolve();
  }

  /** Rendered with {@link #EC2} as node search domain. */
  static Topology dnsNodeSearchDomains() {
    return ServiceGraph.builder()
        .namespace("shop")
        .add(
            service("web")
                .notInMesh()
                .dependsOn("api")
                .outbound()
                .egressTo(fqdn("api.stripe.com").port(443)))
        .add(service("api").port("http", 8080).permissive().dependsOn("web").inbound())
        .build()
        .resolve();
  }

  static final CiliumOptions EC2 = CiliumOptions.builder().nodeSearchDomain("ec2.internal").build();

  static Topology nonMesh() {
    return ServiceGraph.builder()
        .namespace("shop")
        .add(
            service("legacy").notInMesh().dependsOn("api").outbound().dependsOn("store").outbound())
        .add(
            service("api")
                .port("http", 80, 8080)
                .permissive()
                .dependsOn("legacy")
                .inbound()
                .dependsOn("store")
                .outbound())
        .add(
            service("store")
                .notInMesh()
                .port("s3", 9000)
                .dependsOn("api")
                .inbound()
                .dependsOn("legacy")
                .inbound())
        .build()
        .resolve();
  }

  static Topology waypointCallers() {
    return ServiceGraph.builder()
        .namespace("shop")
        .add(service("web").dependsOn("api").outbound())
        .add(service("admin").dependsOn("api").outbound())
        .add(service("legacy").notInMesh().dependsOn("api").outbound())
        .add(service("stats").dependsOn("api").outbound())
        .add(
            service("api")
                .port("http", 80, 8080)
                .permissive()
                .port("statsd", 8125)
                .udp()
                .dependsOn("web")
                .ports("http")
                .http(GET, "/api/*")
                .inbound()
                .dependsOn("admin")
                .ports("http")
                .inbound()
                .dependsOn("legacy")
                .ports("http")
                .inbound()
                .dependsOn("stats")
                .ports("statsd")
                .inbound())
        .build()
        .resolve();
  }

  private static ServiceGraph shopWithWaypoints() {
    return ServiceGraph.builder()
        .namespace("shop")
        .add(
            service("web")
                .port("http", 8080)
                .dependsOn("api")
                .outbound()
                .dependsOn("cart")
                .outbound())
        .add(service("admin").port("http", 8080).dependsOn("api").outbound())
        .add(
            service("api")
                .port("http", 80, 8080)
                .dependsOn("web")
                .http(GET, "/api/*")
                .inbound()
                .dependsOn("admin")
                .inbound())
        .add(service("cart").port("http", 80, 8080).dependsOn("web").http(POST, "/cart").inbound())
        .build();
  }

  static Topology waypointScopeNamespace() {
    return shopWithWaypoints().resolve();
  }

  static Topology waypointScopeService() {
    return shopWithWaypoints()
        .resolve(Settings.builder().waypointScope(WaypointScope.SERVICE).build());
  }

  static Topology externalEgress() {
    return ServiceGraph.builder()
        .namespace("shop")
        .add(
            service("api")
                .egressTo(
                    fqdn("api.stripe.com").port(443),
                    fqdn("*.s3.amazonaws.com").port(443, 80),
                    cidr("10.0.0.0/8").port(5432),
                    cidr("192.168.7.9/32").port(6379),
                    cidr("2001:db8::/32").port(443),
                    cidr("172.16.0.0/12"),
                    entity("kube-apiserver").port(443),
                    entity("world").port(123).udp()))
        .add(service("batch").notInMesh().egressTo(fqdn("api.stripe.com").port(443)))
        .build()
        .resolve();
  }

  static Topology peerTraffic() {
    return ServiceGraph.builder()
        .namespace("shop")
        .add(service("cache").port("redis", 6379).port("gossip", 7946).udp().allowPeerTraffic())
        .add(service("legacy").notInMesh().port("raft", 7000).allowPeerTraffic())
        .build()
        .resolve();
  }

  static Topology noAgreements() {
    return ServiceGraph.builder()
        .namespace("shop")
        .add(service("lonely").port("http", 8080))
        .add(service("old").notInMesh().port("http", 8080))
        .build()
        .resolve();
  }

  static Topology udpPort() {
    return ServiceGraph.builder()
        .namespace("shop")
        .add(service("web").dependsOn("logs/syslog").outbound())
        .add(
            service("syslog")
                .inNamespace("logs")
                .port("syslog", 514)
                .udp()
                .port("sctp", 3868)
                .sctp()
                .dependsOn("shop/web")
                .inbound())
        .build()
        .resolve();
  }

  static Topology targetPort() {
    return ServiceGraph.builder()
        .namespace("shop")
        .add(service("web").dependsOn("api").outbound())
        .add(service("legacy").notInMesh().dependsOn("api").outbound())
        .add(
            service("api")
                .port("http", 80, 8080)
                .permissive()
                .port("grpc", 9090, 19090)
                .dependsOn("web")
                .inbound()
                .dependsOn("legacy")
                .ports("http")
                .inbound())
        .build()
        .resolve();
  }

  private static ServiceGraph exposed() {
    return ServiceGraph.builder()
        .namespace("edge")
        .add(
            service("front")
                .port("http", 80, 8080)
                .permissive()
                .exposedTo(world())
                .port("quic", 443, 8443)
                .udp()
                .exposedTo(world())
                .port("admin", 9443)
                .permissive()
                .exposedTo(clients("10.20.0.0/16"), clients("2001:db8:1::/48")))
        .add(service("hook").notInMesh().port("webhook", 443, 9443).exposedTo(kubeApiserver()))
        .build();
  }

  static Topology exposures() {
    return exposed().resolve();
  }

  static Topology exposuresPreservedSourceIp() {
    return exposed().resolve(Settings.builder().loadBalancerPreservesSourceIp(true).build());
  }

  /**
   * Everything at once, across namespaces: waypoints in front of some callees, mesh and non-mesh
   * callers, UDP, wildcards, peer traffic, egress of every kind, exposures, custom selectors.
   */
  static Topology kitchenSink() {
    return ServiceGraph.builder()
        .namespace("shop")
        .add(
            service("web")
                .selector("app", "web")
                .selector("tier", "front")
                .port("http", 80, 8080)
                .permissive()
                .exposedTo(world())
                .dependsOn("api")
                .outbound()
                .dependsOn("cart")
                .outbound()
                .dependsOn("data/db")
                .outbound()
                .dependsOn("ops/metrics")
                .outbound()
                .egressTo(fqdn("cdn.example.com").port(443)))
        .add(
            service("api")
                .serviceAccount("api-sa")
                .port("http", 80, 8080)
                .permissive()
                .port("grpc", 9090)
                .port("events", 9999)
                .udp()
                .dependsOn("web")
                .ports("http")
                .http(GET, "/api/*")
                .inbound()
                .dependsOn("ops/cron")
                .ports("http", "events")
                .both()
                .dependsOn("data/db")
                .outbound()
                .dependsOn("data/cache")
                .outbound()
                .egressTo(fqdn("api.stripe.com").port(443), fqdn("*.s3.amazonaws.com").port(443)))
        .add(
            service("cart")
                .port("http", 8080)
                .dependsOn("web")
                .inbound()
                .dependsOn("data/db")
                .outbound()
                .allowPeerTraffic())
        .add(
            service("db")
                .inNamespace("data")
                .port("pg", 5432)
                .permissive()
                .dependsOn("*")
                .inbound())
        .add(
            service("cache")
                .inNamespace("data")
                .notInMesh()
                .port("redis", 6379)
                .port("gossip", 7946)
                .udp()
                .dependsOn("shop/api")
                .inbound()
                .allowPeerTraffic())
        .add(
            service("cron")
                .inNamespace("ops")
                .notInMesh()
                .port("http", 8080)
                .dependsOn("shop/api")
                .both()
                .dependsOn("data/db")
                .outbound()
                .egressTo(cidr("10.0.0.0/8").port(5432), entity("kube-apiserver").port(443)))
        .add(
            service("metrics")
                .inNamespace("ops")
                .port("statsd", 8125)
                .udp()
                .port("prom", 9090)
                .port("hook", 8443)
                .permissive()
                .exposedTo(kubeApiserver(), clients("10.1.0.0/16"))
                .dependsOn("*")
                .inbound()
                .egressTo(entity("world").port(443)))
        .build()
        .resolve();
  }
}
