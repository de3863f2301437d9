package dev.lattice.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.diagnostics.DiagnosticCode;
import dev.lattice.graph.Agreement;
import dev.lattice.graph.ServiceGraph;
import dev.lattice.graph.Topology;
import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import dev.lattice.model.Settings;
import org.junit.jupiter.api.Test;

/**
 * The spec fields of the real-cluster shapes: {@code gateway: true} on a mesh member, {@code podIp:
 * true} on a declaration (a service resource's {@code params}, a member's caller or dependency),
 * and the platform's {@code observability.metrics.port}.
 */
class RealClusterSpecsTest {
  private static final String GATEWAY =
      """
      apiVersion: lattice.dev/v1alpha1
      kind: LatticeMeshMember
      metadata: {name: ingress-gateway, namespace: istio-ingress}
      spec:
        target: {selector: {istio: ingressgateway}}
        serviceAccount: istio-ingressgateway
        gateway: true
        ports: [{name: http, port: 8080, servicePort: 80, peerAuth: PERMISSIVE, exposedTo: [world]}]
        dependencies: [{name: shop, namespace: storefront}]
      """;

  private static Service service(ServiceGraph g, String id) {
    return g.services().stream()
        .filter(s -> s.id().equals(ServiceId.parse(id, "default")))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void readsAGatewayMember() {
    ServiceGraph g = Diags.graph(Specs.parse("gateway.yaml", GATEWAY));
    Service gw = service(g, "istio-ingress/ingress-gateway");
    assertThat(gw.isGateway()).isTrue();
    assertThat(gw.isAmbient()).isTrue();
  }

  @Test
  void aMemberIsNoGatewayUnlessItSaysSo() {
    ServiceGraph g =
        Diags.graph(Specs.parse("gateway.yaml", GATEWAY.replace("  gateway: true\n", "")));
    assertThat(service(g, "istio-ingress/ingress-gateway").isGateway()).isFalse();
  }

  @Test
  void readsPodIpOnAServiceResourceAndOnMemberReferences() {
    ServiceGraph g =
        Diags.graph(
            Specs.parse(
                "scrape.yaml",
                """
                apiVersion: lattice.dev/v1alpha1
                kind: LatticeService
                metadata: {name: prometheus, namespace: monitoring}
                spec:
                  workload:
                    service: {ports: {http: {port: 9090}}}
                    resources:
                      everything: {id: "*", params: {ports: [metrics], podIp: true}}
                      grafana: {direction: inbound}
                ---
                apiVersion: lattice.dev/v1alpha1
                kind: LatticeMeshMember
                metadata: {name: vmagent, namespace: monitoring}
                spec:
                  target: {selector: {app.kubernetes.io/name: vmagent}}
                  dependencies: [{name: "*", podIp: true}]
                  allowedCallers: [{name: grafana}]
                """));
    assertThat(service(g, "monitoring/prometheus").declarations())
        .extracting(Object::toString)
        .containsExactly("outbound * ports [metrics] by pod IP", "inbound grafana");
    assertThat(service(g, "monitoring/vmagent").declarations())
        .extracting(Object::toString)
        .containsExactly("inbound grafana", "outbound * by pod IP");
  }

  @Test
  void flagsATypoOfPodIpWithItsLocation() {
    SpecResult r =
        Specs.parse(
            "typo.yaml",
            """
            apiVersion: lattice.dev/v1alpha1
            kind: LatticeService
            metadata: {name: prometheus, namespace: monitoring}
            spec:
              workload:
                resources:
                  everything: {id: "*", params: {podIP: true}}
            """);
    Diagnostic d = Diags.single(r, DiagnosticCode.SPEC_UNKNOWN_FIELD);
    assertThat(Diags.at(d)).isEqualTo("typo.yaml:7:38");
    assertThat(d.message()).contains("did you mean podIp?");
  }

  @Test
  void readsThePlatformsMetricsPortOverride() {
    String yaml =
        """
        apiVersion: lattice.dev/v1alpha1
        kind: LatticeService
        metadata: {name: db, namespace: data}
        spec:
          observability:
            metrics:
              port: prom
              mappings: {connections: "sum(pg_stat_activity_count{$SELECTORS})"}
          workload:
            service: {ports: {pg: {port: 5432}, prom: {port: 9187}}}
        ---
        apiVersion: lattice.dev/v1alpha1
        kind: LatticeMeshMember
        metadata: {name: vmagent, namespace: monitoring}
        spec:
          target: {selector: {app.kubernetes.io/name: vmagent}}
          serviceAccount: vmagent-lattice-metrics
          dependencies: [{name: "*", podIp: true}]
        """;
    ServiceGraph g = Diags.graph(Specs.parse("db.yaml", yaml));
    assertThat(service(g, "data/db").metricsPort()).contains("prom");
    Topology t =
        g.resolve(Settings.builder().metricsScraper(Settings.PLATFORM_METRICS_SCRAPER).build());
    assertThat(t.diagnostics()).isEmpty();
    assertThat(t.agreements())
        .extracting(Agreement::toString)
        .containsExactly("monitoring/vmagent -> data/db [prom 9187/TCP] by pod IP");
  }
}
