package dev.lattice.cilium;

import static dev.lattice.dsl.Lattice.service;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.diagnostics.DiagnosticCode;
import dev.lattice.dsl.ServiceBuilder;
import dev.lattice.graph.ServiceGraph;
import dev.lattice.graph.Topology;
import dev.lattice.model.Settings;
import dev.lattice.model.WaypointScope;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The policy-map estimate counts what the rendered Cilium policies give each endpoint the way the
 * agent does: identities times port/protocol, per direction, the DNS element and waypoints
 * included; and it warns exactly for the endpoints past the limit.
 */
class PolicyMapEstimateTest {
  private static Map<String, PolicyMapEstimate.Endpoint> estimate(Topology t) {
    return PolicyMapEstimate.of(t, CiliumRenderer.create().render(t)).endpoints().stream()
        .collect(Collectors.toMap(PolicyMapEstimate.Endpoint::name, Function.identity()));
  }

  @Test
  void countsIdentitiesTimesPortsPerDirection() {
    // outside the mesh, so every path is plain TCP/UDP on the target ports (M3)
    Topology t =
        ServiceGraph.builder()
            .namespace("shop")
            .add(service("web").notInMesh().dependsOn("api").outbound())
            .add(
                service("api")
                    .notInMesh()
                    .port("http", 80, 8080)
                    .port("grpc", 9090)
                    .port("stats", 8125)
                    .udp()
                    .dependsOn("web")
                    .inbound())
            .build()
            .resolve();
    Map<String, PolicyMapEstimate.Endpoint> e = estimate(t);

    // api admits web's identity on 8080/TCP, 9090/TCP and 8125/UDP
    assertThat(e.get("shop/api").ingress()).isEqualTo(3);
    assertThat(e.get("shop/api").egress()).isZero();
    // web calls api's identity on the same three, and kube-dns on 53/TCP and 53/UDP
    assertThat(e.get("shop/web").egress()).isEqualTo(5);
    assertThat(e.get("shop/web").ingress()).isZero();
    assertThat(PolicyMapEstimate.of(t, CiliumRenderer.create().render(t)).diagnostics()).isEmpty();
  }

  @Test
  void ambientPairsCountOnceOnHboneAndTheProbeSourcesToo() {
    Topology t =
        ServiceGraph.builder()
            .namespace("shop")
            .add(service("web").dependsOn("api").outbound())
            .add(
                service("api").port("http", 80, 8080).port("grpc", 9090).dependsOn("web").inbound())
            .build()
            .resolve();
    Map<String, PolicyMapEstimate.Endpoint> e = estimate(t);

    // web on 15008 (M1: both ports are one HBONE entry), plus the two probe source CIDRs
    assertThat(e.get("shop/api").ingress()).isEqualTo(1 + 2);
    // api on 15008, kube-dns on 53/TCP and 53/UDP
    assertThat(e.get("shop/web").egress()).isEqualTo(3);
  }

  @Test
  void aHubAdmittingEveryCallerPassesTheLimitAndIsNamed() {
    ServiceGraph.Builder g = ServiceGraph.builder().namespace("apps");
    g.add(service("collector").notInMesh().port("otlp", 4317).dependsOn("*").inbound());
    for (int i = 0; i < 300; i++) {
      g.add(service("svc-" + i).notInMesh().dependsOn("collector").outbound());
    }
    Topology t = g.build().resolve(Settings.builder().policyMapLimit(256).build());
    PolicyMapEstimate estimate = PolicyMapEstimate.of(t, CiliumRenderer.create().render(t));

    assertThat(estimate.largest().orElseThrow().name()).isEqualTo("apps/collector");
    assertThat(estimate.largest().orElseThrow().ingress()).isEqualTo(300);
    List<Diagnostic> d = estimate.diagnostics();
    assertThat(d).singleElement();
    assertThat(d.get(0).code()).isEqualTo(DiagnosticCode.POLICY_MAP_CAPACITY);
    assertThat(d.get(0).path()).isEqualTo("apps/collector");
    assertThat(d.get(0).message())
        .contains("about 300 Cilium policy-map entries")
        .contains("300 ingress")
        .contains("limit of 256")
        .contains("bpf-policy-map-max");
    // at the default limit the same hub fits
    Topology fits = g.build().resolve();
    assertThat(PolicyMapEstimate.of(fits, CiliumRenderer.create().render(fits)).diagnostics())
        .isEmpty();
  }

  @Test
  void servicesWithTheSamePodLabelsAreOneIdentity() {
    // two services selecting the same pods with the same account: Cilium sees one identity
    Function<String, ServiceBuilder> twin =
        name ->
            service(name)
                .notInMesh()
                .selector("app", "twin")
                .serviceAccount("twin")
                .dependsOn("db")
                .outbound();
    Topology t =
        ServiceGraph.builder()
            .namespace("shop")
            .add(twin.apply("a"))
            .add(twin.apply("b"))
            .add(
                service("db")
                    .notInMesh()
                    .port("pg", 5432)
                    .dependsOn("a")
                    .inbound()
                    .dependsOn("b")
                    .inbound())
            .build()
            .resolve();
    assertThat(estimate(t).get("shop/db").ingress()).isEqualTo(1);
  }

  @Test
  void waypointsAreEndpointsToo() {
    Topology t =
        ServiceGraph.builder()
            .namespace("shop")
            .add(service("web").dependsOn("api").outbound())
            .add(
                service("api")
                    .port("http", 80, 8080)
                    .dependsOn("web")
                    .http(dev.lattice.dsl.Lattice.GET, "/v1/*")
                    .inbound())
            .build()
            .resolve(Settings.builder().waypointScope(WaypointScope.NAMESPACE).build());
    PolicyMapEstimate.Endpoint w = estimate(t).get("shop/waypoint (waypoint)");
    // ingress: web on 15008; egress: api on 15008, istiod on 15012, kube-dns on 53 twice at most
    assertThat(w.ingress()).isEqualTo(1);
    assertThat(w.egress()).isBetween(2, 4);
  }
}
