package dev.lattice.cilium;

import dev.lattice.graph.Topology;
import dev.lattice.testkit.Golden;
import org.junit.jupiter.api.Test;

/**
 * Whole-output golden cases, one per method: the graph is built with the DSL ({@link Cases}) and
 * the rendered stream compared with {@code golden/<case>/cilium.yaml}.
 */
class CiliumRendererGoldenTest {

  @Test
  void oneAgreementInOneNamespace() {
    check("one-agreement", Cases.oneAgreement());
  }

  @Test
  void crossNamespace() {
    check("cross-namespace", Cases.crossNamespace());
  }

  @Test
  void dnsNamesOfSameAndCrossNamespaceCallees() {
    check("dns-names", Cases.dnsNames());
  }

  @Test
  void dnsNamesWithNodeSearchDomains() {
    check("dns-node-search-domains", Cases.EC2, Cases.dnsNodeSearchDomains());
  }

  @Test
  void nonMeshCallerAndNonMeshCallee() {
    check("non-mesh", Cases.nonMesh());
  }

  @Test
  void calleeBehindWaypointWithAmbientNonMeshAndUdpCallers() {
    check("waypoint-callers", Cases.waypointCallers());
  }

  @Test
  void waypointScopeNamespace() {
    check("waypoint-scope-namespace", Cases.waypointScopeNamespace());
  }

  @Test
  void waypointScopeService() {
    check("waypoint-scope-service", Cases.waypointScopeService());
  }

  @Test
  void externalEgressToFqdnsCidrsAndEntities() {
    check("external-egress", Cases.externalEgress());
  }

  @Test
  void peerTraffic() {
    check("peer-traffic", Cases.peerTraffic());
  }

  @Test
  void serviceWithoutAgreementsGetsNoPolicy() {
    check("no-agreements", Cases.noAgreements());
  }

  @Test
  void udpAndSctpPorts() {
    check("udp-port", Cases.udpPort());
  }

  @Test
  void servicePortDiffersFromTargetPort() {
    check("target-port", Cases.targetPort());
  }

  @Test
  void exposuresBehindSnat() {
    check("exposures", Cases.exposures());
  }

  @Test
  void exposuresWhenLoadBalancersPreserveSourceIp() {
    check("exposures-preserved-source-ip", Cases.exposuresPreservedSourceIp());
  }

  @Test
  void everythingAcrossNamespaces() {
    check("kitchen-sink", Cases.kitchenSink());
  }

  @Test
  void gatewayAndPodIpScraperAroundAWaypoint() {
    check("gateway-and-scraper", Cases.gatewayAndScraper());
  }

  private static void check(String name, Topology topology) {
    check(name, CiliumOptions.defaults(), topology);
  }

  private static void check(String name, CiliumOptions options, Topology topology) {
    String yaml = CiliumRenderer.create(options).render(topology).toYaml();
    Golden.assertMatches(name, "cilium.yaml", yaml);
  }
}
