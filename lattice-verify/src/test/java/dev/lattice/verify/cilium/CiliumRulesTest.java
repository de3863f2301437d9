package dev.lattice.verify.cilium;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.model.Protocol;
import dev.lattice.verify.Docs;
import dev.lattice.verify.Fixtures;
import dev.lattice.verify.world.Peer;
import dev.lattice.verify.world.PolicyEnforcement;
import dev.lattice.verify.world.World;
import org.junit.jupiter.api.Test;

/** SEMANTICS C1–C4, C11, C12, C15–C17 and R1–R3, R7, R8, each with an allowed and a denied case. */
class CiliumRulesTest {
  private final World world = World.of(Fixtures.shop());
  private final Peer web = pod("shop/web");
  private final Peer api = pod("shop/api");
  private final Peer legacy = pod("shop/legacy");
  private final Peer metrics = pod("shop/metrics");
  private final Peer db = pod("data/db");

  private Peer pod(String id) {
    return world.service(id).orElseThrow().pod();
  }

  private static CiliumVerdict hop(World w, String yaml, Peer from, Peer to, int port, Protocol p) {
    return CiliumEvaluator.of(Docs.yaml(yaml), w).evaluate(CiliumHop.of(from, to, port, p));
  }

  private CiliumVerdict hop(String yaml, Peer from, Peer to, int port) {
    return hop(world, yaml, from, to, port, Protocol.TCP);
  }

  private static final String API_INGRESS_FROM_WEB_15008 =
      """
      apiVersion: cilium.io/v2
      kind: CiliumNetworkPolicy
      metadata: {name: api, namespace: shop}
      spec:
        endpointSelector: {matchLabels: {app.kubernetes.io/name: api}}
        ingress:
        - fromEndpoints: [{matchLabels: {app.kubernetes.io/name: web}}]
          toPorts: [{ports: [{port: "15008", protocol: TCP}]}]
      """;

  // ---------------------------------------------------------------- C1

  @Test
  void endpointWithNoSelectingRuleAllowsEverything() {
    CiliumVerdict v = hop("", web, api, 15008);
    assertThat(v.allowed()).isTrue();
    assertThat(v.ingress().reason()).contains("not in ingress default deny");
  }

  @Test
  void ruleWithIngressSectionPutsEndpointInIngressDefaultDeny() {
    assertThat(hop(API_INGRESS_FROM_WEB_15008, web, api, 15008).allowed()).isTrue();
    CiliumVerdict v = hop(API_INGRESS_FROM_WEB_15008, legacy, api, 15008);
    assertThat(v.allowed()).isFalse();
    assertThat(v.ingress().reason())
        .contains("no ingress rule of CiliumNetworkPolicy shop/api admits shop/legacy-0")
        .contains("in ingress default deny by CiliumNetworkPolicy shop/api");
  }

  @Test
  void ingressDefaultDenyLeavesEgressOpen() {
    // api has only an ingress section: its egress stays open
    CiliumVerdict v = hop(API_INGRESS_FROM_WEB_15008, api, db, 5432);
    assertThat(v.egress().outcome()).isEqualTo(CiliumVerdict.Outcome.ALLOWED);
    assertThat(v.egress().reason()).contains("not in egress default deny");
  }

  @Test
  void emptyIngressListHasNoEffect() {
    String yaml =
        """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: api, namespace: shop}
        spec:
          endpointSelector: {matchLabels: {app.kubernetes.io/name: api}}
          ingress: []
          egress:
          - toEntities: [world]
        """;
    assertThat(hop(yaml, legacy, api, 8080).allowed()).isTrue();
    assertThat(hop(yaml, api, legacy, 8081).allowed()).isFalse();
  }

  // ---------------------------------------------------------------- C2

  @Test
  void enforcementAlwaysDeniesEndpointsNoRuleSelects() {
    World always =
        World.builder(Fixtures.shop()).policyEnforcement(PolicyEnforcement.ALWAYS).build();
    Peer w = always.service("shop/web").orElseThrow().pod();
    Peer a = always.service("shop/api").orElseThrow().pod();
    CiliumVerdict v = hop(always, "", w, a, 15008, Protocol.TCP);
    assertThat(v.allowed()).isFalse();
    assertThat(v.egress().reason()).contains("policy enforcement is 'always'");
    assertThat(
            hop(
                    always,
                    API_INGRESS_FROM_WEB_15008
                        + "---\n"
                        + """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: web, namespace: shop}
        spec:
          endpointSelector: {matchLabels: {app.kubernetes.io/name: web}}
          egress: [{toEndpoints: [{matchLabels: {app.kubernetes.io/name: api}}]}]
        """,
                    w,
                    a,
                    15008,
                    Protocol.TCP)
                .allowed())
        .isTrue();
  }

  @Test
  void enforcementNeverAllowsEvenWhatPoliciesDeny() {
    World never = World.builder(Fixtures.shop()).policyEnforcement(PolicyEnforcement.NEVER).build();
    Peer l = never.service("shop/legacy").orElseThrow().pod();
    Peer a = never.service("shop/api").orElseThrow().pod();
    CiliumVerdict v = hop(never, Fixtures.DEFAULT_DENY, l, a, 8080, Protocol.TCP);
    assertThat(v.allowed()).isTrue();
    assertThat(v.ingress().reason()).contains("'never'");
    assertThat(hop(Fixtures.DEFAULT_DENY, legacy, api, 8080).allowed()).isFalse();
  }

  // ---------------------------------------------------------------- C3, R8

  @Test
  void hopNeedsSendersEgressAndReceiversIngress() {
    String webEgress =
        """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: web, namespace: shop}
        spec:
          endpointSelector: {matchLabels: {app.kubernetes.io/name: web}}
          egress:
          - toEndpoints: [{matchLabels: {app.kubernetes.io/name: api}}]
            toPorts: [{ports: [{port: "15008", protocol: TCP}]}]
        """;
    CiliumVerdict egressOnly = hop(Fixtures.DEFAULT_DENY + "---\n" + webEgress, web, api, 15008);
    assertThat(egressOnly.egress().passes()).isTrue();
    assertThat(egressOnly.ingress().passes()).isFalse();
    assertThat(egressOnly.allowed()).isFalse();
    CiliumVerdict both =
        hop(
            Fixtures.DEFAULT_DENY + "---\n" + webEgress + "---\n" + API_INGRESS_FROM_WEB_15008,
            web,
            api,
            15008);
    assertThat(both.allowed()).isTrue();
  }

  @Test
  void peerOutsideCiliumHasNoPolicyOnlyTheManagedSideCounts() {
    String yaml =
        """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: web, namespace: shop}
        spec:
          endpointSelector: {matchLabels: {app.kubernetes.io/name: web}}
          egress: [{toEntities: [world], toPorts: [{ports: [{port: "443"}]}]}]
        """;
    CiliumVerdict v = hop(yaml, web, world.internet(), 443);
    assertThat(v.allowed()).isTrue();
    assertThat(v.ingress().outcome()).isEqualTo(CiliumVerdict.Outcome.NOT_ENFORCED);
    assertThat(hop(yaml, web, world.internet(), 80).allowed()).isFalse();
  }

  @Test
  void repliesNeedNoRuleOnlyTheInitiatingDirectionIsJudged() {
    // api's egress is in default deny, yet web -> api is allowed: the reply is not a new connection
    String yaml =
        Fixtures.DEFAULT_DENY
            + "---\n"
            + API_INGRESS_FROM_WEB_15008
            + "---\n"
            + """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: web, namespace: shop}
        spec:
          endpointSelector: {matchLabels: {app.kubernetes.io/name: web}}
          egress: [{toEndpoints: [{matchLabels: {app.kubernetes.io/name: api}}]}]
        """;
    assertThat(hop(yaml, web, api, 15008).allowed()).isTrue();
    assertThat(hop(yaml, api, web, 15008).allowed()).isFalse();
  }

  // ---------------------------------------------------------------- C4

  @Test
  void allowedSetIsTheUnionOfEveryPolicySelectingTheEndpoint() {
    String yaml =
        API_INGRESS_FROM_WEB_15008
            + "---\n"
            + """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: api-grpc, namespace: shop}
        spec:
          endpointSelector: {matchLabels: {app.kubernetes.io/name: api}}
          ingress:
          - fromEndpoints: [{matchLabels: {app.kubernetes.io/name: legacy}}]
            toPorts: [{ports: [{port: "9090", protocol: TCP}]}]
        """;
    assertThat(hop(yaml, web, api, 15008).allowed()).isTrue();
    CiliumVerdict v = hop(yaml, legacy, api, 9090);
    assertThat(v.allowed()).isTrue();
    assertThat(v.ingress().reason()).contains("CiliumNetworkPolicy shop/api-grpc ingress[0]");
    assertThat(hop(yaml, legacy, api, 15008).allowed()).isFalse();
  }

  @Test
  void denyRuleOfAnotherPolicyKindWinsOverAllow() {
    String yaml =
        API_INGRESS_FROM_WEB_15008
            + "---\n"
            + """
        apiVersion: cilium.io/v2
        kind: CiliumClusterwideNetworkPolicy
        metadata: {name: no-web}
        spec:
          endpointSelector: {}
          ingressDeny:
          - fromEndpoints: [{matchLabels: {app.kubernetes.io/name: web}}]
            toPorts: [{ports: [{port: "15008", protocol: TCP}]}]
        """;
    CiliumVerdict v = hop(yaml, web, api, 15008);
    assertThat(v.allowed()).isFalse();
    assertThat(v.ingress().reason())
        .contains("CiliumClusterwideNetworkPolicy no-web ingressDeny[0]")
        .contains("deny rules take precedence (C4)");
    assertThat(hop(yaml, web, api, 9090).ingress().reason()).doesNotContain("ingressDeny");
  }

  @Test
  void denyRuleAlonePutsTheEndpointInDefaultDeny() {
    String yaml =
        """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: api, namespace: shop}
        spec:
          endpointSelector: {matchLabels: {app.kubernetes.io/name: api}}
          ingressDeny: [{fromEntities: [world]}]
        """;
    CiliumVerdict v = hop(yaml, web, api, 15008);
    assertThat(v.allowed()).isFalse();
    assertThat(v.ingress().reason()).contains("default deny by CiliumNetworkPolicy shop/api");
  }

  // ---------------------------------------------------------------- C11

  @Test
  void portRangeCoversEndPortInclusive() {
    String yaml =
        """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: api, namespace: shop}
        spec:
          endpointSelector: {matchLabels: {app.kubernetes.io/name: api}}
          ingress: [{toPorts: [{ports: [{port: "9000", endPort: 9090, protocol: TCP}]}]}]
        """;
    assertThat(hop(yaml, web, api, 9090).allowed()).isTrue();
    assertThat(hop(yaml, web, api, 9091).allowed()).isFalse();
    assertThat(hop(yaml, web, api, 8999).allowed()).isFalse();
  }

  @Test
  void protocolAnyOrEmptyCoversTcpUdpAndSctp() {
    String yaml =
        """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: metrics, namespace: shop}
        spec:
          endpointSelector: {matchLabels: {app.kubernetes.io/name: metrics}}
          ingress:
          - toPorts: [{ports: [{port: "8125"}]}]
          - toPorts: [{ports: [{port: "9000", protocol: UDP}]}]
        """;
    assertThat(hop(world, yaml, web, metrics, 8125, Protocol.UDP).allowed()).isTrue();
    assertThat(hop(world, yaml, web, metrics, 8125, Protocol.SCTP).allowed()).isTrue();
    assertThat(hop(world, yaml, web, metrics, 9000, Protocol.TCP).allowed()).isFalse();
    assertThat(hop(world, yaml, web, metrics, 9000, Protocol.UDP).allowed()).isTrue();
  }

  @Test
  void portZeroMeansEveryPort() {
    String yaml =
        """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: api, namespace: shop}
        spec:
          endpointSelector: {matchLabels: {app.kubernetes.io/name: api}}
          ingress:
          - fromEndpoints: [{matchLabels: {app.kubernetes.io/name: web}}]
            toPorts: [{ports: [{port: "0", protocol: TCP}]}]
        """;
    assertThat(hop(yaml, web, api, 12345).allowed()).isTrue();
    assertThat(hop(world, yaml, web, api, 12345, Protocol.UDP).allowed()).isFalse();
  }

  @Test
  void namedPortResolvesAgainstTheDestinationPodsContainerPorts() {
    String yaml =
        """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: api, namespace: shop}
        spec:
          endpointSelector: {matchLabels: {app.kubernetes.io/name: api}}
          ingress: [{toPorts: [{ports: [{port: HTTP, protocol: TCP}]}]}]
        """;
    // the api pod's container port named "http" is its target port 8080 (not the Service's 80)
    assertThat(hop(yaml, web, api, 8080).allowed()).isTrue();
    assertThat(hop(yaml, web, api, 80).allowed()).isFalse();
    assertThat(hop(yaml, web, api, 15008).allowed()).isFalse();
  }

  @Test
  void missingPortRejectsTheWholePolicy() {
    String yaml =
        """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: api, namespace: shop}
        spec:
          endpointSelector: {matchLabels: {app.kubernetes.io/name: api}}
          ingress:
          - fromEndpoints: [{matchLabels: {app.kubernetes.io/name: web}}]
            toPorts: [{ports: [{protocol: TCP}]}]
          - fromEndpoints: [{matchLabels: {app.kubernetes.io/name: web}}]
        """;
    CiliumEvaluator e = CiliumEvaluator.of(Docs.yaml(yaml), world);
    assertThat(e.rejectedPolicies())
        .singleElement()
        .asString()
        .contains("CiliumNetworkPolicy shop/api")
        .contains("Port must be specified");
    // rejected: api is selected by nothing, so not in default deny at all
    assertThat(e.evaluate(CiliumHop.of(legacy, api, 8080, Protocol.TCP)).allowed()).isTrue();
    assertThat(e.evaluate(CiliumHop.of(legacy, api, 8080, Protocol.TCP)).ingress().reason())
        .contains("would select shop/api-0 but the agent rejects it");
  }

  @Test
  void portOutOfRangeRejectsThePolicy() {
    String yaml =
        """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: api, namespace: shop}
        spec:
          endpointSelector: {matchLabels: {app.kubernetes.io/name: api}}
          ingress: [{toPorts: [{ports: [{port: "70000", protocol: TCP}]}]}]
        """;
    assertThat(CiliumEvaluator.of(Docs.yaml(yaml), world).rejectedPolicies()).hasSize(1);
  }

  // ---------------------------------------------------------------- C12

  @Test
  void emptyRuleAllowsNothingYetTriggersDefaultDeny() {
    CiliumVerdict v = hop(Fixtures.DEFAULT_DENY, web, api, 15008);
    assertThat(v.allowed()).isFalse();
    assertThat(v.egress().reason())
        .contains(
            "egress default deny by" + " CiliumClusterwideNetworkPolicy lattice-default-deny");
    // kube-system is left out of the default deny: kube-dns is open
    assertThat(hop(Fixtures.DEFAULT_DENY, world.kubeDns(), world.istiod(), 15012).allowed())
        .isTrue();
  }

  @Test
  void toPortsWithoutL3AppliesToEveryPeerWorldIncluded() {
    String yaml =
        """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: api, namespace: shop}
        spec:
          endpointSelector: {matchLabels: {app.kubernetes.io/name: api}}
          ingress: [{toPorts: [{ports: [{port: "8080", protocol: TCP}]}]}]
        """;
    assertThat(hop(yaml, world.internet(), api, 8080).allowed()).isTrue();
    assertThat(hop(yaml, db, api, 8080).allowed()).isTrue();
    assertThat(hop(yaml, db, api, 9090).allowed()).isFalse();
  }

  @Test
  void l3WithoutToPortsAllowsEveryPortAndL3AndL4AreAnded() {
    String yaml =
        """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: api, namespace: shop}
        spec:
          endpointSelector: {matchLabels: {app.kubernetes.io/name: api}}
          ingress:
          - fromEndpoints: [{matchLabels: {app.kubernetes.io/name: web}}]
          - fromEndpoints: [{matchLabels: {app.kubernetes.io/name: legacy}}]
            toPorts: [{ports: [{port: "8080", protocol: TCP}]}]
        """;
    assertThat(hop(yaml, web, api, 4242).allowed()).isTrue();
    assertThat(hop(yaml, legacy, api, 8080).allowed()).isTrue();
    assertThat(hop(yaml, legacy, api, 9090).allowed()).isFalse();
    assertThat(hop(yaml, metrics, api, 8080).allowed()).isFalse();
  }

  @Test
  void explicitlyEmptyPeerListSelectsNoPeer() {
    String yaml =
        """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: api, namespace: shop}
        spec:
          endpointSelector: {matchLabels: {app.kubernetes.io/name: api}}
          ingress: [{fromEndpoints: [], toPorts: [{ports: [{port: "8080", protocol: TCP}]}]}]
        """;
    assertThat(hop(yaml, web, api, 8080).allowed()).isFalse();
  }

  // ---------------------------------------------------------------- C15

  @Test
  void localHostReachesALocalPodDespiteDefaultDeny() {
    CiliumVerdict v = hop(Fixtures.DEFAULT_DENY, world.host(), legacy, 8081);
    assertThat(v.allowed()).isTrue();
    assertThat(v.ingress().reason()).contains("C15");
    assertThat(hop(Fixtures.DEFAULT_DENY, world.remoteNode(), legacy, 8081).allowed()).isFalse();
  }

  // ---------------------------------------------------------------- C16

  @Test
  void kubernetesNetworkPolicyIsReportedAsNotModelled() {
    String yaml =
        """
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: deny-all, namespace: shop}
        spec: {podSelector: {}, policyTypes: [Ingress]}
        """;
    CiliumEvaluator e = CiliumEvaluator.of(Docs.yaml(yaml), world);
    assertThat(e.findings())
        .anyMatch(f -> f.contains("NetworkPolicy shop/deny-all is not evaluated"));
    // not modelled: the judge does not apply it
    assertThat(e.evaluate(CiliumHop.of(web, api, 15008, Protocol.TCP)).allowed()).isTrue();
  }

  // ---------------------------------------------------------------- C17

  @Test
  void fromRequiresAddsAConditionToEveryFromEndpointsSelector() {
    String yaml =
        """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: api, namespace: shop}
        spec:
          endpointSelector: {matchLabels: {app.kubernetes.io/name: api}}
          ingress:
          - fromRequires: [{matchLabels: {io.cilium.k8s.policy.serviceaccount: web}}]
          - fromEndpoints: [{matchExpressions: [{key: app.kubernetes.io/name, operator: In, values: [web, legacy]}]}]
          - fromEntities: [world]
        """;
    CiliumEvaluator e = CiliumEvaluator.of(Docs.yaml(yaml), world);
    assertThat(e.evaluate(CiliumHop.of(web, api, 8080, Protocol.TCP)).allowed()).isTrue();
    assertThat(e.evaluate(CiliumHop.of(legacy, api, 8080, Protocol.TCP)).allowed()).isFalse();
    // entity peers are not affected by requirements
    assertThat(e.evaluate(CiliumHop.of(world.internet(), api, 8080, Protocol.TCP)).allowed())
        .isTrue();
    assertThat(e.findings()).anyMatch(f -> f.contains("removed in 1.19"));
  }

  @Test
  void fromRequiresAloneGrantsNothing() {
    String yaml =
        """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: api, namespace: shop}
        spec:
          endpointSelector: {matchLabels: {app.kubernetes.io/name: api}}
          ingress: [{fromRequires: [{matchLabels: {app.kubernetes.io/name: web}}]}]
        """;
    assertThat(hop(yaml, web, api, 8080).allowed()).isFalse();
  }

  // ---------------------------------------------------------------- R1

  @Test
  void elementMixingTwoPeerKindsRejectsTheWholePolicy() {
    String yaml =
        Fixtures.DEFAULT_DENY
            + "---\n"
            + """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: api, namespace: shop}
        spec:
          endpointSelector: {matchLabels: {app.kubernetes.io/name: api}}
          ingress:
          - fromEndpoints: [{matchLabels: {app.kubernetes.io/name: web}}]
            toPorts: [{ports: [{port: "15008", protocol: TCP}]}]
          - fromEndpoints: [{matchLabels: {app.kubernetes.io/name: legacy}}]
            fromCIDRSet: [{cidr: 10.20.0.0/16}]
            toPorts: [{ports: [{port: "8080", protocol: TCP}]}]
        """;
    CiliumEvaluator e = CiliumEvaluator.of(Docs.yaml(yaml), world);
    assertThat(e.rejectedPolicies())
        .singleElement()
        .asString()
        .contains("spec.ingress[1]")
        .contains("combining fromEndpoints and fromCIDRSet")
        .contains("R1");
    // even the valid first element is gone with it
    CiliumVerdict v = e.evaluate(CiliumHop.of(web, api, 15008, Protocol.TCP));
    assertThat(v.allowed()).isFalse();
    assertThat(v.ingress().reason()).contains("CiliumNetworkPolicy shop/api would select");
  }

  @Test
  void peerKindsInSeparateElementsAreAccepted() {
    String yaml =
        """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: api, namespace: shop}
        spec:
          endpointSelector: {matchLabels: {app.kubernetes.io/name: api}}
          ingress:
          - fromEndpoints: [{matchLabels: {app.kubernetes.io/name: legacy}}]
            toPorts: [{ports: [{port: "8080", protocol: TCP}]}]
          - fromCIDRSet: [{cidr: 10.20.0.0/16}]
            toPorts: [{ports: [{port: "8080", protocol: TCP}]}]
        """;
    CiliumEvaluator e = CiliumEvaluator.of(Docs.yaml(yaml), world);
    assertThat(e.rejectedPolicies()).isEmpty();
    assertThat(e.evaluate(CiliumHop.of(legacy, api, 8080, Protocol.TCP)).allowed()).isTrue();
    assertThat(
            e.evaluate(CiliumHop.of(world.peerAt("10.20.1.1"), api, 8080, Protocol.TCP)).allowed())
        .isTrue();
  }

  // ---------------------------------------------------------------- R2, C14

  @Test
  void httpRulesOnHboneTrafficBreakTheConnection() {
    String yaml =
        """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: api, namespace: shop}
        spec:
          endpointSelector: {matchLabels: {app.kubernetes.io/name: api}}
          ingress:
          - fromEndpoints: [{matchLabels: {app.kubernetes.io/name: web}}]
            toPorts: [{ports: [{port: "15008", protocol: TCP}], rules: {http: [{method: GET}]}}]
        """;
    CiliumVerdict v = hop(yaml, web, api, 15008);
    assertThat(v.allowed()).isFalse();
    assertThat(v.ingress().reason()).contains("(R2)");
  }

  @Test
  void httpRulesFilterPlaintextRequestsUnlessAPlainRuleCoversTheSamePort() {
    String http =
        """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: api, namespace: shop}
        spec:
          endpointSelector: {matchLabels: {app.kubernetes.io/name: api}}
          ingress:
          - fromEndpoints: [{matchLabels: {app.kubernetes.io/name: legacy}}]
            toPorts: [{ports: [{port: "8080", protocol: TCP}], rules: {http: [{method: GET, path: "/api/.*"}]}}]
        """;
    CiliumEvaluator e = CiliumEvaluator.of(Docs.yaml(http), world);
    CiliumHop get =
        CiliumHop.of(legacy, api, 8080, Protocol.TCP).withRequest("GET", "/api/x", null);
    CiliumHop post =
        CiliumHop.of(legacy, api, 8080, Protocol.TCP).withRequest("POST", "/api/x", null);
    assertThat(e.evaluate(get).allowed()).isTrue();
    assertThat(e.evaluate(post).allowed()).isFalse();
    assertThat(e.evaluate(post).ingress().reason()).contains("403 (C14)");
    String plain =
        http
            + "---\n"
            + """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: api-plain, namespace: shop}
        spec:
          endpointSelector: {matchLabels: {app.kubernetes.io/name: api}}
          ingress:
          - fromEndpoints: [{matchLabels: {app.kubernetes.io/name: legacy}}]
            toPorts: [{ports: [{port: "8080", protocol: TCP}]}]
        """;
    assertThat(CiliumEvaluator.of(Docs.yaml(plain), world).evaluate(post).allowed()).isTrue();
  }

  @Test
  void l7RulesOnUdpRejectThePolicy() {
    String yaml =
        """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: api, namespace: shop}
        spec:
          endpointSelector: {matchLabels: {app.kubernetes.io/name: api}}
          ingress: [{toPorts: [{ports: [{port: "80", protocol: UDP}], rules: {http: [{}]}}]}]
        """;
    assertThat(CiliumEvaluator.of(Docs.yaml(yaml), world).rejectedPolicies())
        .singleElement()
        .asString()
        .contains("L7 rules can only apply to TCP");
  }

  // ---------------------------------------------------------------- R3

  @Test
  void enableDefaultDenyFalseOnlyAddsAndNeverPutsInDefaultDeny() {
    String probes =
        """
        apiVersion: cilium.io/v2
        kind: CiliumClusterwideNetworkPolicy
        metadata: {name: lattice-ambient-probes}
        spec:
          endpointSelector: {}
          enableDefaultDeny: {ingress: false, egress: false}
          ingress: [{fromCIDR: [169.254.7.127/32]}]
        """;
    // alone, it leaves every endpoint open
    CiliumVerdict open = hop(probes, legacy, api, 8080);
    assertThat(open.allowed()).isTrue();
    assertThat(open.ingress().reason()).contains("only add, R3");
    // with the default deny, it adds the probe source and nothing else
    String both = Fixtures.DEFAULT_DENY + "---\n" + probes;
    assertThat(hop(both, world.probeSource(), api, 8080).allowed()).isTrue();
    assertThat(hop(both, legacy, api, 8080).allowed()).isFalse();
  }

  // ---------------------------------------------------------------- R7

  @Test
  void icmpOnlyRuleAllowsNoTcp() {
    String yaml =
        """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: api, namespace: shop}
        spec:
          endpointSelector: {matchLabels: {app.kubernetes.io/name: api}}
          ingress:
          - fromEndpoints: [{matchLabels: {app.kubernetes.io/name: web}}]
            icmps: [{fields: [{type: 8, family: IPv4}]}]
          - fromEndpoints: [{matchLabels: {app.kubernetes.io/name: legacy}}]
        """;
    assertThat(hop(yaml, web, api, 8080).allowed()).isFalse();
    assertThat(hop(yaml, legacy, api, 8080).allowed()).isTrue();
  }

  // ---------------------------------------------------------------- source over SEMANTICS

  @Test
  void denyElementMixingPeerKindsIsAcceptedAsTheirUnion() {
    String yaml =
        API_INGRESS_FROM_WEB_15008
            + "---\n"
            + """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: api-deny, namespace: shop}
        spec:
          endpointSelector: {matchLabels: {app.kubernetes.io/name: api}}
          ingressDeny:
          - fromEndpoints: [{matchLabels: {app.kubernetes.io/name: web}}]
            fromEntities: [world]
        """;
    CiliumEvaluator e = CiliumEvaluator.of(Docs.yaml(yaml), world);
    assertThat(e.rejectedPolicies()).isEmpty();
    assertThat(e.evaluate(CiliumHop.of(web, api, 15008, Protocol.TCP)).allowed()).isFalse();
    assertThat(
            e.evaluate(CiliumHop.of(world.internet(), api, 15008, Protocol.TCP)).ingress().reason())
        .contains("CiliumNetworkPolicy shop/api-deny ingressDeny[0] (fromEntities world)");
  }

  @Test
  void fromNodesRejectsThePolicyWithDefaultAgentFlags() {
    String yaml =
        """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: api, namespace: shop}
        spec:
          endpointSelector: {matchLabels: {app.kubernetes.io/name: api}}
          ingress: [{fromNodes: [{matchLabels: {kubernetes.io/os: linux}}]}]
        """;
    assertThat(CiliumEvaluator.of(Docs.yaml(yaml), world).rejectedPolicies())
        .singleElement()
        .asString()
        .contains("enable-node-selector-labels");
  }
}
