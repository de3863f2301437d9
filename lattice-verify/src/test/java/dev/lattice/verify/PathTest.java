package dev.lattice.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.model.Protocol;
import dev.lattice.output.RequiredLabel;
import dev.lattice.verify.world.World;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SEMANTICS M1–M4 and R5: the path a connection takes and what each layer sees of it. */
class PathTest {
  private static final List<JsonNode> CILIUM = Docs.resource("shop-cilium.yaml");
  private static final List<JsonNode> ISTIO = Docs.resource("shop-istio.yaml");
  private static final RequiredLabel USE_WAYPOINT =
      RequiredLabel.of(
          "Service", "shop", "api", World.USE_WAYPOINT, "waypoint", "api has inbound HTTP rules");

  static Verifier verifier(boolean applyLabels) {
    List<JsonNode> all = new ArrayList<>(CILIUM);
    all.addAll(ISTIO);
    World world =
        World.builder(Fixtures.shop())
            .documents(all)
            .requiredLabels(List.of(USE_WAYPOINT))
            .applyRequiredLabels(applyLabels)
            .build();
    return Verifier.of(world, CILIUM, ISTIO);
  }

  private final Verifier verifier = verifier(true);

  private static List<String> descriptions(LayerVerdict v) {
    return v.steps().stream().map(s -> s.kind() + " " + s.description()).toList();
  }

  // ---------------------------------------------------------------- M1, R5

  @Test
  void ambientPairWithoutWaypointIsOneHboneHopAndTheWaypointOnlyPolicyFailsClosed() {
    Verdict v =
        verifier(false).check(Query.from("shop/web").to("shop/api", 80).request("GET", "/api/x"));
    assertThat(v.path()).contains("(M1)").contains("no istio.io/use-waypoint label");
    assertThat(descriptions(v.cilium())).contains("HOP shop/web-0 -> shop/api-0 TCP 15008");
    assertThat(v.cilium().decision()).isEqualTo(Decision.DENY);
    assertThat(v.istio().decision()).isEqualTo(Decision.DENY);
    assertThat(v.istio().reason())
        .contains("ztunnel of shop/api-0")
        .contains("AuthorizationPolicy shop/api");
    assertThat(v.deniedByEachLayer()).isTrue();
  }

  @Test
  void hboneHidesTheTargetPortFromCilium() {
    String allowHbone =
        """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: db, namespace: data}
        spec:
          endpointSelector: {matchLabels: {app.kubernetes.io/name: db}}
          ingress:
          - fromEndpoints: [{matchLabels: {k8s:io.kubernetes.pod.namespace: shop, app.kubernetes.io/name: api}}]
            toPorts: [{ports: [{port: "15008", protocol: TCP}]}]
        """;
    Verifier v = Verifier.of(World.of(Fixtures.shop()), Docs.yaml(allowHbone), List.of());
    Verdict pg = v.check("shop/api", "data/db", 5432);
    assertThat(pg.cilium().decision()).isEqualTo(Decision.ALLOW);
    assertThat(pg.cilium().steps())
        .extracting(Step::description)
        .contains("shop/api-0 -> data/db-0 TCP 15008");
    assertThat(v.check("shop/legacy", "data/db", 5432).cilium().decision())
        .isEqualTo(Decision.DENY);
  }

  // ---------------------------------------------------------------- M2

  @Test
  void serviceLabelledWithAWaypointIsReachedThroughItInTwoHbobeHops() {
    Verdict v = verifier.check(Query.from("shop/web").to("shop/api", 80).request("GET", "/api/x"));
    assertThat(v.path()).contains("(M2)").contains("istio.io/use-waypoint=waypoint");
    assertThat(descriptions(v.cilium()))
        .containsExactly(
            "NOTE DNS for api.shop.svc.cluster.local",
            "HOP shop/web-0 -> shop/waypoint-0 TCP 15008",
            "DNS lookup of istiod.istio-system.svc by shop/waypoint-0",
            "PRECONDITION the waypoint needs istiod (xDS): shop/waypoint-0 -> istio-system/istiod-0 TCP 15012",
            "HOP shop/waypoint-0 -> shop/api-0 TCP 15008");
    assertThat(descriptions(v.istio()))
        .containsExactly("WAYPOINT waypoint shop/waypoint", "ZTUNNEL ztunnel of shop/api-0");
    assertThat(v.allowed()).isTrue();
    assertThat(v.istio().reason())
        .contains("allowed by AuthorizationPolicy shop/api-waypoint")
        .contains("allowed by AuthorizationPolicy shop/api rules[0]");
  }

  @Test
  void waypointDecidesOnTheRequestAndTheClientIdentity() {
    Verdict delete =
        verifier.check(Query.from("shop/web").to("shop/api", 80).request("DELETE", "/api/x"));
    assertThat(delete.cilium().decision()).isEqualTo(Decision.ALLOW);
    assertThat(delete.istio().decision()).isEqualTo(Decision.DENY);
    assertThat(delete.istio().reason()).startsWith("waypoint shop/waypoint");
    // a caller without an agreement is stopped by both layers
    Verdict other = verifier.check(Query.from("shop/metrics").to("shop/api", 80));
    assertThat(other.cilium().decision()).isEqualTo(Decision.DENY);
    assertThat(other.istio().decision()).isEqualTo(Decision.DENY);
  }

  @Test
  void namespaceLabelBindsTheWaypointAndServiceLabelNoneOptsOut() {
    List<JsonNode> all = new ArrayList<>(CILIUM);
    all.addAll(ISTIO);
    World nsLabelled =
        World.builder(Fixtures.shop())
            .documents(all)
            .namespaceLabel("shop", World.USE_WAYPOINT, "waypoint")
            .build();
    Verdict v = Verifier.of(nsLabelled, CILIUM, ISTIO).check("shop/web", "shop/api", 80);
    assertThat(v.path()).contains("namespace shop has istio.io/use-waypoint=waypoint");
    World optOut =
        World.builder(Fixtures.shop())
            .documents(all)
            .namespaceLabel("shop", World.USE_WAYPOINT, "waypoint")
            .serviceLabel("shop/api", World.USE_WAYPOINT, "none")
            .build();
    assertThat(Verifier.of(optOut, CILIUM, ISTIO).check("shop/web", "shop/api", 80).path())
        .contains("opts out")
        .contains("(M1)");
  }

  @Test
  void waypointForWorkloadTrafficOnlyIsNotOnTheServicePath() {
    List<JsonNode> istio = new ArrayList<>();
    for (JsonNode d : ISTIO) {
      String s = d.toString();
      istio.add(
          d.path("kind").asText().equals("Gateway")
              ? Docs.yaml(s.replace("\"service\"", "\"workload\"")).get(0)
              : d);
    }
    World w =
        World.builder(Fixtures.shop())
            .documents(istio)
            .requiredLabels(List.of(USE_WAYPOINT))
            .build();
    Verdict v = Verifier.of(w, CILIUM, istio).check("shop/web", "shop/api", 80);
    assertThat(v.path()).contains("waypoint-for=workload traffic only").contains("(M1)");
  }

  // ---------------------------------------------------------------- M3

  @Test
  void udpGoesStraightToTheTargetPortAndIstioDoesNotApply() {
    Verdict v = verifier.check("shop/web", "shop/metrics", 8125);
    assertThat(v.path()).contains("UDP is never captured").contains("(M3)");
    assertThat(descriptions(v.cilium())).contains("HOP shop/web-0 -> shop/metrics-0 UDP 8125");
    assertThat(v.cilium().decision()).isEqualTo(Decision.ALLOW);
    assertThat(v.istio().decision()).isEqualTo(Decision.N_A);
    assertThat(verifier.check("shop/api", "shop/metrics", 8125).cilium().decision())
        .isEqualTo(Decision.DENY);
  }

  @Test
  void clientOutsideTheMeshReachesTheTargetPortInPlaintext() {
    Verdict v = verifier.check("shop/legacy", "shop/api", 80);
    assertThat(v.path()).contains("not in the mesh").contains("TCP 8080 in plaintext (M3)");
    assertThat(descriptions(v.cilium()))
        .contains("HOP shop/legacy-0 -> shop/api-0 TCP 8080")
        .contains(
            "DNS lookup of api.shop.svc.cluster.local by shop/legacy-0",
            "DNS lookup of api by shop/legacy-0");
    assertThat(v.cilium().decision()).isEqualTo(Decision.ALLOW);
    assertThat(v.istio().decision()).isEqualTo(Decision.ALLOW);
    assertThat(v.istio().steps()).extracting(Step::reason).anyMatch(r -> r.contains("(A4, R5)"));
    // grpc 9090 is STRICT: plaintext is rejected by ztunnel, and Cilium has no rule either
    Verdict grpc = verifier.check("shop/legacy", "shop/api", 9090);
    assertThat(grpc.istio().decision()).isEqualTo(Decision.DENY);
    assertThat(grpc.istio().reason()).contains("rejects plaintext");
  }

  @Test
  void destinationOutsideTheMeshHasNoIstioEnforcement() {
    Verdict v = verifier.check("shop/web", "shop/legacy", 8081);
    assertThat(v.path()).contains("not HBONE-capable").contains("(M3)");
    assertThat(v.istio().decision()).isEqualTo(Decision.N_A);
    assertThat(v.cilium().decision()).isEqualTo(Decision.DENY);
  }

  // ---------------------------------------------------------------- M4

  @Test
  void exactFqdnEgressWithAServiceEntryIsRoutedThroughTheNamespaceWaypoint() {
    Verdict v = verifier.check(Query.from("shop/web").toHost("api.stripe.com", 443));
    assertThat(v.path()).contains("routed through waypoint shop/waypoint");
    assertThat(descriptions(v.cilium()))
        .containsExactly(
            "NOTE DNS for api.stripe.com",
            "HOP shop/web-0 -> shop/waypoint-0 TCP 15008",
            "DNS lookup of istiod.istio-system.svc by shop/waypoint-0",
            "PRECONDITION the waypoint needs istiod (xDS): shop/waypoint-0 -> istio-system/istiod-0 TCP 15012",
            "DNS lookup of api.stripe.com by shop/waypoint-0",
            "HOP shop/waypoint-0 -> api.stripe.com ("
                + verifier.world().dns().resolve("api.stripe.com").orElseThrow()
                + ") TCP 443");
    assertThat(v.allowed()).isTrue();
    assertThat(v.istio().reason()).contains("allowed by AuthorizationPolicy shop/api-stripe-com");
  }

  @Test
  void serviceEntryHostWithoutAWaypointIsAnsweredInPodAndCiliumLearnsNothing() {
    List<JsonNode> istio = new ArrayList<>();
    for (JsonNode d : ISTIO) {
      istio.add(
          d.path("kind").asText().equals("ServiceEntry")
              ? Docs.yaml(
                      d.toString()
                          .replace(",\"labels\":{\"istio.io/use-waypoint\":\"waypoint\"}", ""))
                  .get(0)
              : d);
    }
    World w = World.builder(Fixtures.shop()).documents(istio).build();
    Verdict v =
        Verifier.of(w, CILIUM, istio).check(Query.from("shop/web").toHost("api.stripe.com", 443));
    assertThat(v.path()).contains("without a waypoint").contains("(M4)");
    assertThat(v.cilium().decision()).isEqualTo(Decision.DENY);
    assertThat(v.istio().decision()).isEqualTo(Decision.N_A);
  }

  @Test
  void hostUnknownToTheMeshIsLookedUpThroughCiliumsDnsProxy() {
    World w = World.builder(Fixtures.shop()).build();
    Verdict v =
        Verifier.of(w, CILIUM, List.of())
            .check(Query.from("shop/web").toHost("api.stripe.com", 443));
    assertThat(descriptions(v.cilium())).contains("DNS lookup of api.stripe.com by shop/web-0");
    assertThat(v.cilium().steps())
        .filteredOn(s -> s.kind() == Step.Kind.DNS)
        .singleElement()
        .extracting(Step::reason)
        .asString()
        .contains("forwards the query upstream")
        .contains("via Cilium's DNS proxy");
    assertThat(v.cilium().decision()).isEqualTo(Decision.ALLOW);
    assertThat(v.istio().decision()).isEqualTo(Decision.N_A);
    assertThat(
            Verifier.of(w, CILIUM, List.of())
                .check(Query.from("shop/web").toHost("evil.example.com", 443))
                .cilium()
                .decision())
        .isEqualTo(Decision.DENY);
  }

  // ---------------------------------------------------------------- outside sources

  @Test
  void kubeletProbesOfAmbientPodsComeFromTheProbeAddressAndBypassZtunnel() {
    Verdict v = verifier.check(Query.from(Source.probe()).to("shop/api", 80));
    assertThat(descriptions(v.cilium()))
        .contains("HOP ambient probe source 169.254.7.127 -> shop/api-0 TCP 8080");
    assertThat(v.cilium().decision()).isEqualTo(Decision.ALLOW);
    assertThat(v.istio().decision()).isEqualTo(Decision.N_A);
    Verdict legacy = verifier.check(Query.from(Source.probe()).to("shop/legacy", 8081));
    assertThat(legacy.cilium().reason()).contains("C15");
  }

  @Test
  void internetClientWithoutAnExposureIsDeniedByCiliumAndAllowedPlaintextByZtunnel() {
    Verdict v = verifier.check(Query.from(Source.world()).to("shop/api", 80));
    assertThat(v.cilium().decision()).isEqualTo(Decision.DENY);
    // 8080 is PERMISSIVE with a plaintext rule: L7 admits any plaintext source (DESIGN §9.3)
    assertThat(v.istio().decision()).isEqualTo(Decision.ALLOW);
  }

  @Test
  void egressToEntitiesAndAddressesIsOneDirectHopOnly() {
    Verdict v = verifier.check(Query.from("shop/web").toEntity("kube-apiserver", 443));
    assertThat(v.cilium().steps()).hasSize(1);
    assertThat(v.istio().decision()).isEqualTo(Decision.N_A);
    assertThat(v.cilium().decision()).isEqualTo(Decision.DENY);
    Verdict cidr =
        verifier.check(Query.from("shop/web").toCidr("10.20.0.0/16", 5432).protocol(Protocol.TCP));
    assertThat(cidr.cilium().steps().get(0).description()).contains("address 10.20.0.1");
  }
}
