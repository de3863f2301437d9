package dev.lattice.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.model.ServiceId;
import dev.lattice.output.Manifest;
import dev.lattice.output.RequiredLabel;
import dev.lattice.output.Resource;
import dev.lattice.verify.world.World;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The public API: queries and their ports, verdicts and explanations, the matrix, the assertions.
 */
class VerifierTest {
  private final Verifier verifier = PathTest.verifier(true);

  private static Manifest manifest(String resource, List<RequiredLabel> labels) {
    List<Resource> rs = new ArrayList<>();
    for (JsonNode d : Docs.resource(resource)) {
      rs.add(Resource.of((ObjectNode) d));
    }
    return Manifest.of(rs, labels);
  }

  @Test
  void queryPortIsTheServicePortMappedToTheTargetPort() {
    Verdict v = verifier.check("shop/legacy", "shop/api", 80);
    assertThat(v.cilium().steps())
        .extracting(Step::description)
        .contains("shop/legacy-0 -> shop/api-0 TCP 8080");
    assertThatThrownBy(() -> verifier.check("shop/legacy", "shop/api", 8080))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Service shop/api has no port 8080")
        .hasMessageContaining("http 80->8080/TCP");
  }

  @Test
  void unknownServiceIsRejectedWithTheKnownOnes() {
    assertThatThrownBy(() -> verifier.check("shop/nope", "shop/api", 80))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the source shop/nope is not a service of the world")
        .hasMessageContaining("shop/web");
  }

  @Test
  void selfQueryIsPeerTrafficBetweenTwoPodsOfTheService() {
    Verdict v = verifier.check(Query.from("shop/web").to("shop/web", 8080).withoutDnsLookup());
    assertThat(v.cilium().steps())
        .extracting(Step::description)
        .containsExactly("shop/web-0 -> shop/web-1 TCP 15008");
    assertThat(v.allowed()).isFalse();
  }

  @Test
  void verifierFromTopologyAndManifestsAppliesTheRequiredLabels() {
    RequiredLabel label =
        RequiredLabel.of(
            "Service", "shop", "api", World.USE_WAYPOINT, "waypoint", "api has HTTP rules");
    Verifier v =
        Verifier.of(
            Fixtures.shop(),
            manifest("shop-cilium.yaml", List.of()),
            manifest("shop-istio.yaml", List.of(label)));
    assertThat(v.world().service("shop/api").orElseThrow().labels())
        .containsEntry(World.USE_WAYPOINT, "waypoint");
    assertThat(
            v.check(Query.from("shop/web").to("shop/api", 80).request("GET", "/api/v1")).allowed())
        .isTrue();
  }

  @Test
  void explanationNamesThePathThePoliciesTheRulesAndTheDefaultDeny() {
    String text =
        verifier.explain(Query.from("shop/metrics").to("shop/api", 80).request("GET", "/api/x"));
    assertThat(text)
        .startsWith("shop/metrics -> shop/api:80 GET /api/x: DENIED\n")
        .contains("path: ambient client, TCP, waypoint on the path")
        .contains(
            "L4 Cilium: DENY - shop/metrics-0 -> shop/waypoint-0 TCP 15008: no egress rule of"
                + " CiliumClusterwideNetworkPolicy lattice-default-deny admits shop/waypoint-0")
        .contains(
            "is in egress default deny by CiliumClusterwideNetworkPolicy lattice-default-deny")
        .contains("L7 Istio: DENY - waypoint shop/waypoint")
        .contains("no rule of the attached ALLOW policies")
        .contains("1. [ALLOW] note: DNS for api.shop.svc.cluster.local");
  }

  @Test
  void verdictCarriesTheFindingsOfTheEvaluators() {
    String broken =
        """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: api, namespace: shop}
        spec:
          endpointSelector: {matchLabels: {app.kubernetes.io/name: api}}
          ingress: [{fromEndpoints: [{}], fromEntities: [world]}]
        """;
    Verifier v = Verifier.of(World.of(Fixtures.shop()), Docs.yaml(broken), List.of());
    assertThat(v.findings()).anyMatch(f -> f.contains("rejected by the Cilium agent"));
    assertThat(v.check("shop/web", "shop/api", 80).explain())
        .contains("findings:")
        .contains("combining fromEndpoints and fromEntities");
  }

  @Test
  void matrixCoversEveryOrderedPairAndEveryPortOfTheCallee() {
    ConnectivityMatrix m = verifier.matrix();
    int ports = verifier.world().services().stream().mapToInt(s -> s.ports().size()).sum();
    assertThat(m.entries()).hasSize(verifier.world().services().size() * ports);
    assertThat(m.entry("shop/legacy", "shop/api", 80))
        .get()
        .satisfies(
            e -> {
              assertThat(e.cilium()).isEqualTo(Decision.ALLOW);
              assertThat(e.istio()).isEqualTo(Decision.ALLOW);
            });
    assertThat(m.entry("shop/web", "shop/metrics", 8125))
        .get()
        .satisfies(e -> assertThat(e.istio()).isEqualTo(Decision.N_A));
    assertThat(m.allowed())
        .extracting(e -> e.from() + "->" + e.to() + ":" + e.port())
        .containsExactlyInAnyOrder(
            "shop/legacy->shop/api:80", "shop/web->shop/api:80", "shop/web->shop/metrics:8125");
    assertThat(m.render()).contains("shop/metrics:8125/UDP  ALLOW   N_A    allowed");
  }

  @Test
  void matrixIsDeterministic() {
    assertThat(PathTest.verifier(true).matrix().render()).isEqualTo(verifier.matrix().render());
  }

  @Test
  void assertionsPassSilentlyAndFailWithBothLayersReasons() {
    LatticeAssertions.assertThat(verifier)
        .allows("shop/web", "shop/api", 80, "GET", "/api/x")
        .allows("shop/legacy", "shop/api", 80)
        .denies("shop/web", "shop/api", 80, "POST", "/api/x")
        .deniesAtEachLayer("shop/metrics", "shop/api", 80)
        .decides(Layer.ISTIO, Decision.N_A, Query.from("shop/web").to("shop/metrics", 8125));
    assertThatThrownBy(
            () ->
                LatticeAssertions.assertThat(verifier)
                    .allows("shop/web", "shop/api", 80, "DELETE", "/api/x"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("expected shop/web -> shop/api:80 DELETE /api/x to be allowed")
        .hasMessageContaining("L4 Cilium: ALLOW")
        .hasMessageContaining("L7 Istio: DENY");
    assertThatThrownBy(
            () ->
                LatticeAssertions.assertThat(verifier)
                    .deniesAtEachLayer(Query.from(Source.world()).to("shop/api", 80)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("cilium says DENY and istio ALLOW");
  }

  @Test
  void queriesAreValuesAndPrintReadably() {
    Query a = Query.from("shop/web").to("shop/api", 80).request("GET", "/x");
    Query b =
        Query.of(Source.service(ServiceId.of("shop", "web")), Destination.service("shop/api", 80))
            .request("GET", "/x");
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).hasToString("shop/web -> shop/api:80 GET /x");
    assertThat(Query.from(Source.address("10.20.0.5")).to("shop/api", 80))
        .hasToString("10.20.0.5 -> shop/api:80");
    assertThatThrownBy(() -> Destination.entity("internet", 443))
        .hasMessageContaining("unknown entity");
  }
}
