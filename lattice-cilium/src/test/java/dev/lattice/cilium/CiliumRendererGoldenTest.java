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

import dev.lattice.graph.CidrExposureBug;
import dev.lattice.graph.ServiceGraph;
import dev.lattice.graph.Topology;
import dev.lattice.model.Settings;
import dev.lattice.model.WaypointScope;
import org.junit.jupiter.api.Test;

/**
 * Whole-output golden cases, one per method: the graph is built with the DSL here and the
 * rendered stream compared with {@code golden/<case>/cilium.yaml}.
 */
class CiliumRendererGoldenTest {

  static ServiceGraph shopWithWaypoint() {
    return ServiceGraph.builder()
        .namespace("shop")
        .add(service("web").port("http", 8080).dependsOn("api").outbound().dependsOn("cart").outbound())
        .add(service("admin").port("http", 8080).dependsOn("api").outbound())
        .add(
            service("api")
                .port("http", 80, 8080)
                .dependsOn("web").http(GET, "/api/*").inbound()
                .dependsOn("admin").inbound())
        .add(service("cart").port("http", 80, 8080).dependsOn("web").http(POST, "/cart").inbound())
        .build();
  }

  @Test
  void oneAgreementInOneNamespace() {
    check(
        "one-agreement",
        ServiceGraph.builder()
            .namespace("shop")
            .add(service("web").port("http", 8080).dependsOn("api").outbound())
            .add(service("api").port("http", 8080).dependsOn("web").inbound())
            .build()
            .resolve());
  }

  @Test
  void crossNamespace() {
    check(
        "cross-namespace",
        ServiceGraph.builder()
            .namespace("shop")
            .add(service("web").port("http", 8080).dependsOn("data/db").outbound())
            .add(service("db").inNamespace("data").port("pg", 5432).dependsOn("shop/web").inbound())
            .build()
            .resolve());
  }

  @Test
  void dnsNamesOfSameAndCrossNamespaceCallees() {
    check(
        "dns-names",
        ServiceGraph.builder()
            .namespace("shop")
            .add(service("web").dependsOn("api").outbound().dependsOn("data/db").outbound())
            .add(service("api").port("http", 8080).dependsOn("web").inbound())
            .add(service("db").inNamespace("data").port("pg", 5432).dependsOn("shop/web").inbound())
            .build()
            .resolve());
  }

  @Test
  void dnsNamesWithNodeSearchDomains() {
    check(
        "dns-node-search-domains",
        CiliumOptions.builder().nodeSearchDomain("ec2.internal").build(),
        ServiceGraph.builder()
            .namespace("shop")
            .add(
                service("web")
                    .notInMesh()
                    .dependsOn("api").outbound()
                    .egressTo(fqdn("api.stripe.com").port(443)))
            .add(service("api").port("http", 8080).permissive().dependsOn("web").inbound())
            .build()
            .resolve());
  }

  @Test
  void nonMeshCallerAndNonMeshCallee() {
    check(
        "non-mesh",
        ServiceGraph.builder()
            .namespace("shop")
            .add(service("legacy").notInMesh().dependsOn("api").outbound().dependsOn("store").outbound())
            .add(
                service("api")
                    .port("http", 80, 8080).permissive()
                    .dependsOn("legacy").inbound()
                    .dependsOn("store").outbound())
            .add(
                service("store")
                    .notInMesh()
                    .port("s3", 9000)
                    .dependsOn("api").inbound()
                    .dependsOn("legacy").inbound())
            .build()
            .resolve());
  }

  @Test
  void calleeBehindWaypointWithAmbientNonMeshAndUdpCallers() {
    check(
        "waypoint-callers",
        ServiceGraph.builder()
            .namespace("shop")
            .add(service("web").dependsOn("api").outbound())
            .add(service("admin").dependsOn("api").outbound())
            .add(service("legacy").notInMesh().dependsOn("api").outbound())
            .add(service("stats").dependsOn("api").outbound())
            .add(
                service("api")
                    .port("http", 80, 8080).permissive()
                    .port("statsd", 8125).udp()
                    .dependsOn("web").ports("http").http(GET, "/api/*").inbound()
                    .dependsOn("admin").ports("http").inbound()
                    .dependsOn("legacy").ports("http").inbound()
                    .dependsOn("stats").ports("statsd").inbound())
            .build()
            .resolve());
  }

  @Test
  void waypointScopeNamespace() {
    check("waypoint-scope-namespace", shopWithWaypoint().resolve());
  }

  @Test
  void waypointScopeService() {
    check(
        "waypoint-scope-service",
        shopWithWaypoint()
            .resolve(Settings.builder().waypointScope(WaypointScope.SERVICE).build()));
  }

  @Test
  void externalEgress() {
    check(
        "external-egress",
        ServiceGraph.builder()
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
            .resolve());
  }

  @Test
  void peerTraffic() {
    check(
        "peer-traffic",
        ServiceGraph.builder()
            .namespace("shop")
            .add(service("cache").port("redis", 6379).port("gossip", 7946).udp().allowPeerTraffic())
            .add(service("legacy").notInMesh().port("raft", 7000).allowPeerTraffic())
            .build()
            .resolve());
  }

  @Test
  void serviceWithoutAgreements() {
    check(
        "no-agreements",
        ServiceGraph.builder()
            .namespace("shop")
            .add(service("lonely").port("http", 8080))
            .add(service("old").notInMesh().port("http", 8080))
            .build()
            .resolve());
  }

  @Test
  void udpPort() {
    check(
        "udp-port",
        ServiceGraph.builder()
            .namespace("shop")
            .add(service("web").dependsOn("logs/syslog").outbound())
            .add(
                service("syslog")
                    .inNamespace("logs")
                    .port("syslog", 514).udp()
                    .port("sctp", 3868).sctp()
                    .dependsOn("shop/web").inbound())
            .build()
            .resolve());
  }

  @Test
  void servicePortDiffersFromTargetPort() {
    check(
        "target-port",
        ServiceGraph.builder()
            .namespace("shop")
            .add(service("web").dependsOn("api").outbound())
            .add(service("legacy").notInMesh().dependsOn("api").outbound())
            .add(
                service("api")
                    .port("http", 80, 8080).permissive()
                    .port("grpc", 9090, 19090)
                    .dependsOn("web").inbound()
                    .dependsOn("legacy").ports("http").inbound())
            .build()
            .resolve());
  }

  static ServiceGraph exposed() {
    return ServiceGraph.builder()
        .namespace("edge")
        .add(
            service("front")
                .port("http", 80, 8080).permissive().exposedTo(world())
                .port("quic", 443, 8443).udp().exposedTo(world())
                .port("admin", 9443).permissive()
                .exposedTo(clients("10.20.0.0/16"), clients("2001:db8:1::/48")))
        .add(service("hook").notInMesh().port("webhook", 443, 9443).exposedTo(kubeApiserver()))
        .build();
  }

  @Test
  void exposuresBehindSnat() {
    check("exposures", CidrExposureBug.ignore(exposed().resolve()));
  }

  @Test
  void exposuresWhenLoadBalancersPreserveSourceIp() {
    check(
        "exposures-preserved-source-ip",
        CidrExposureBug.ignore(
            exposed().resolve(Settings.builder().loadBalancerPreservesSourceIp(true).build())));
  }

  private static void check(String name, Topology topology) {
    check(name, CiliumOptions.defaults(), topology);
  }

  private static void check(String name, CiliumOptions options, Topology topology) {
    String yaml = CiliumRenderer.create(options).render(topology).toYaml();
    Golden.assertMatches(name, "cilium.yaml", yaml);
  }
}
