package dev.lattice.verify.cilium;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.model.Protocol;
import dev.lattice.verify.Docs;
import dev.lattice.verify.Fixtures;
import dev.lattice.verify.world.Peer;
import dev.lattice.verify.world.World;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SEMANTICS C5–C10: identities, selector syntax, namespace scoping, clusterwide policies, entities,
 * CIDRs.
 */
class CiliumSelectorTest {
  private final World world =
      World.builder(Fixtures.shop())
          .namespaceLabel("data", "team", "storage")
          .podLabel("shop/legacy", "version", "v1")
          .build();
  private final Peer web = pod("shop/web");
  private final Peer api = pod("shop/api");
  private final Peer legacy = pod("shop/legacy");
  private final Peer db = pod("data/db");

  private Peer pod(String id) {
    return world.service(id).orElseThrow().pod();
  }

  private boolean allowed(String yaml, Peer from, Peer to, int port) {
    return verdict(yaml, from, to, port).allowed();
  }

  private CiliumVerdict verdict(String yaml, Peer from, Peer to, int port) {
    return CiliumEvaluator.of(Docs.yaml(yaml), world)
        .evaluate(CiliumHop.of(from, to, port, Protocol.TCP));
  }

  /**
   * A CNP in {@code ns} selecting {@code subject} with one ingress element {@code from} on all
   * ports.
   */
  private static String ingress(String ns, String subject, String from) {
    return "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: p, namespace: "
        + ns
        + "}\nspec:\n  endpointSelector: "
        + subject
        + "\n  ingress:\n  - "
        + from
        + "\n";
  }

  // ---------------------------------------------------------------- C5

  @Test
  void podTemplateHashIsNotPartOfTheIdentityAndSelectsNothing() {
    String hash = web.labels().get("pod-template-hash");
    assertThat(web.identity()).doesNotContainKey("k8s:pod-template-hash");
    String yaml =
        ingress(
            "shop",
            "{matchLabels: {app.kubernetes.io/name: api}}",
            "fromEndpoints: [{matchLabels: {pod-template-hash: " + hash + "}}]");
    assertThat(allowed(yaml, web, api, 8080)).isFalse();
    String byName =
        ingress(
            "shop",
            "{matchLabels: {app.kubernetes.io/name: api}}",
            "fromEndpoints: [{matchLabels: {app.kubernetes.io/name: web}}]");
    assertThat(allowed(byName, web, api, 8080)).isTrue();
  }

  @Test
  void namespaceLabelsAndServiceAccountAreSelectableIdentityLabels() {
    assertThat(db.identity())
        .containsEntry("k8s:io.cilium.k8s.namespace.labels.team", "storage")
        .containsEntry("k8s:io.cilium.k8s.policy.serviceaccount", "db")
        .containsEntry("k8s:io.kubernetes.pod.namespace", "data");
    String bySa =
        ingress(
            "shop",
            "{matchLabels: {app.kubernetes.io/name: api}}",
            "fromEndpoints: [{matchLabels: {io.cilium.k8s.policy.serviceaccount: web}}]");
    assertThat(allowed(bySa, web, api, 8080)).isTrue();
    assertThat(allowed(bySa, legacy, api, 8080)).isFalse();
  }

  @Test
  void kubernetesIoLabelsAreNotPartOfTheIdentity() {
    World w =
        World.builder(Fixtures.shop())
            .podLabel("shop/web", "statefulset.kubernetes.io/pod-name", "web-0")
            .podLabel("shop/web", "controller-revision-hash", "abc")
            .build();
    Peer p = w.service("shop/web").orElseThrow().pod();
    assertThat(p.labels()).containsKey("statefulset.kubernetes.io/pod-name");
    assertThat(p.identity())
        .doesNotContainKeys(
            "k8s:statefulset.kubernetes.io/pod-name", "k8s:controller-revision-hash");
    assertThat(p.identity()).containsKey("k8s:app.kubernetes.io/name");
  }

  // ---------------------------------------------------------------- C6

  @Test
  void k8sPrefixMatchesKubernetesLabelsOnlyAndReservedMatchesReservedOnly() {
    String k8s =
        ingress(
            "shop",
            "{matchLabels: {app.kubernetes.io/name: api}}",
            "fromEndpoints: [{matchLabels: {k8s:app.kubernetes.io/name: web}}]");
    assertThat(allowed(k8s, web, api, 8080)).isTrue();
    String reserved =
        ingress(
            "shop",
            "{matchLabels: {app.kubernetes.io/name: api}}",
            "fromEndpoints: [{matchLabels: {reserved:app.kubernetes.io/name: web}}]");
    assertThat(allowed(reserved, web, api, 8080)).isFalse();
    String host =
        ingress(
            "shop",
            "{matchLabels: {app.kubernetes.io/name: api}}",
            "fromEndpoints: [{matchLabels: {reserved:remote-node: \"\"}}]");
    assertThat(allowed(host, world.remoteNode(), api, 8080)).isTrue();
    assertThat(allowed(host, web, api, 8080)).isFalse();
  }

  @Test
  void unprefixedAndAnyKeysMatchAnySource() {
    String any =
        ingress(
            "shop",
            "{matchLabels: {app.kubernetes.io/name: api}}",
            "fromEndpoints: [{matchLabels: {any:app.kubernetes.io/name: web}}]");
    assertThat(allowed(any, web, api, 8080)).isTrue();
    assertThat(allowed(any, legacy, api, 8080)).isFalse();
  }

  @ParameterizedTest(name = "{0} {1} {2}: web={3} legacy={4}")
  @CsvSource(
      delimiter = '|',
      value = {
        "app.kubernetes.io/name|In|[web]|true|false",
        "app.kubernetes.io/name|NotIn|[web]|false|true",
        "version|Exists||false|true",
        "version|DoesNotExist||true|false",
        "version|NotIn|[v1]|true|false",
      })
  void matchExpressionsOperators(
      String key, String op, String values, boolean webAllowed, boolean legacyAllowed) {
    String expr =
        "{key: " + key + ", operator: " + op + (values == null ? "" : ", values: " + values) + "}";
    String yaml =
        ingress(
            "shop",
            "{matchLabels: {app.kubernetes.io/name: api}}",
            "fromEndpoints: [{matchExpressions: [" + expr + "]}]");
    assertThat(allowed(yaml, web, api, 8080)).isEqualTo(webAllowed);
    assertThat(allowed(yaml, legacy, api, 8080)).isEqualTo(legacyAllowed);
  }

  @Test
  void invalidOperatorRejectsThePolicy() {
    String yaml =
        ingress(
            "shop",
            "{matchLabels: {app.kubernetes.io/name: api}}",
            "fromEndpoints: [{matchExpressions: [{key: app, operator: Near, values: [x]}]}]");
    assertThat(CiliumEvaluator.of(Docs.yaml(yaml), world).rejectedPolicies()).hasSize(1);
  }

  // ---------------------------------------------------------------- C7

  @Test
  void cnpSubjectSelectorIsScopedToThePolicyNamespace() {
    // selects app.kubernetes.io/name=db, but only in shop, where there is none
    String yaml =
        ingress(
            "shop",
            "{matchLabels: {app.kubernetes.io/name: db}}",
            "fromEndpoints: [{matchLabels: {app.kubernetes.io/name: nobody}}]");
    assertThat(allowed(yaml, web, db, 5432)).isTrue();
    String inData =
        ingress(
            "data",
            "{matchLabels: {app.kubernetes.io/name: db}}",
            "fromEndpoints: [{matchLabels: {app.kubernetes.io/name: nobody}}]");
    assertThat(allowed(inData, web, db, 5432)).isFalse();
  }

  @Test
  void cnpPeerSelectorWithoutNamespaceKeyIsScopedToPolicyNamespace() {
    // in data: fromEndpoints app=web means web pods of data, of which there are none
    String yaml =
        ingress(
            "data",
            "{matchLabels: {app.kubernetes.io/name: db}}",
            "fromEndpoints: [{matchLabels: {app.kubernetes.io/name: web}}]");
    CiliumVerdict v = verdict(yaml, web, db, 5432);
    assertThat(v.allowed()).isFalse();
    assertThat(v.ingress().reason()).contains("no ingress rule");
  }

  @Test
  void cnpPeerSelectorNamingTheNamespaceReachesAnotherNamespace() {
    String k8s =
        ingress(
            "data",
            "{matchLabels: {app.kubernetes.io/name: db}}",
            "fromEndpoints: [{matchLabels: {app.kubernetes.io/name: web,"
                + " k8s:io.kubernetes.pod.namespace: shop}}]");
    assertThat(allowed(k8s, web, db, 5432)).isTrue();
    String unprefixed =
        ingress(
            "data",
            "{matchLabels: {app.kubernetes.io/name: db}}",
            "fromEndpoints: [{matchLabels: {app.kubernetes.io/name: web,"
                + " io.kubernetes.pod.namespace: shop}}]");
    assertThat(allowed(unprefixed, web, db, 5432)).isTrue();
    assertThat(allowed(unprefixed, legacy, db, 5432)).isFalse();
  }

  @Test
  void cnpPeerSelectorWithNamespaceExistsMatchesEveryNamespace() {
    String yaml =
        ingress(
            "data",
            "{matchLabels: {app.kubernetes.io/name: db}}",
            "fromEndpoints: [{matchExpressions: [{key: io.kubernetes.pod.namespace, operator: Exists}]}]");
    assertThat(allowed(yaml, web, db, 5432)).isTrue();
    assertThat(allowed(yaml, world.kubeDns(), db, 5432)).isTrue();
    assertThat(allowed(yaml, world.internet(), db, 5432)).isFalse();
  }

  @Test
  void cnpPeerSelectorOnNamespaceLabelsIsNotScoped() {
    String yaml =
        ingress(
            "shop",
            "{matchLabels: {app.kubernetes.io/name: api}}",
            "fromEndpoints: [{matchLabels: {io.cilium.k8s.namespace.labels.team: storage}}]");
    assertThat(allowed(yaml, db, api, 8080)).isTrue();
    assertThat(allowed(yaml, web, api, 8080)).isFalse();
  }

  @Test
  void cnpEmptyPeerSelectorMeansEveryPodOfThePolicyNamespace() {
    String yaml =
        ingress("shop", "{matchLabels: {app.kubernetes.io/name: api}}", "fromEndpoints: [{}]");
    assertThat(allowed(yaml, legacy, api, 8080)).isTrue();
    assertThat(allowed(yaml, db, api, 8080)).isFalse();
    assertThat(allowed(yaml, world.internet(), api, 8080)).isFalse();
  }

  @Test
  void cnpSubjectWithANamespaceTermOfAnotherSourceMatchesNothing() {
    String yaml =
        ingress(
            "shop",
            "{matchLabels: {app.kubernetes.io/name: api, io.kubernetes.pod.namespace: data}}",
            "fromEndpoints: [{matchLabels: {app.kubernetes.io/name: nobody}}]");
    // the subject matches nothing, so api stays open
    assertThat(allowed(yaml, web, api, 8080)).isTrue();
  }

  @Test
  void cnpSubjectK8sNamespaceMatchLabelIsReplacedByThePolicyNamespace() {
    String yaml =
        ingress(
            "shop",
            "{matchLabels: {app.kubernetes.io/name: api, k8s:io.kubernetes.pod.namespace: data}}",
            "fromEndpoints: [{matchLabels: {app.kubernetes.io/name: nobody}}]");
    // "illegal namespace match ... removing": the subject still selects shop's api
    assertThat(allowed(yaml, web, api, 8080)).isFalse();
  }

  @Test
  void reservedPeerSelectorIsNeverScoped() {
    String yaml =
        ingress(
            "shop",
            "{matchLabels: {app.kubernetes.io/name: api}}",
            "fromEndpoints: [{matchLabels: {reserved:world: \"\"}}]");
    assertThat(allowed(yaml, world.internet(), api, 8080)).isTrue();
    assertThat(allowed(yaml, web, api, 8080)).isFalse();
  }

  // ---------------------------------------------------------------- C8

  @Test
  void ccnpSubjectIsUsedAsWrittenAcrossNamespaces() {
    String yaml =
        """
        apiVersion: cilium.io/v2
        kind: CiliumClusterwideNetworkPolicy
        metadata: {name: dbs}
        spec:
          endpointSelector: {matchLabels: {app.kubernetes.io/name: db}}
          ingress: [{fromEndpoints: [{matchLabels: {app.kubernetes.io/name: web}}]}]
        """;
    assertThat(allowed(yaml, web, db, 5432)).isTrue();
    assertThat(allowed(yaml, legacy, db, 5432)).isFalse();
  }

  @Test
  void ccnpPeerSelectorMatchesPodsOfAnyNamespaceButNeverReservedIdentities() {
    String yaml =
        """
        apiVersion: cilium.io/v2
        kind: CiliumClusterwideNetworkPolicy
        metadata: {name: all-pods}
        spec:
          endpointSelector: {matchLabels: {app.kubernetes.io/name: api}}
          ingress: [{fromEndpoints: [{}]}]
        """;
    assertThat(allowed(yaml, db, api, 8080)).isTrue();
    assertThat(allowed(yaml, world.internet(), api, 8080)).isFalse();
    assertThat(allowed(yaml, world.host(), api, 8080)).isTrue(); // C15, not the selector
    assertThat(allowed(yaml, world.remoteNode(), api, 8080)).isFalse();
  }

  // ---------------------------------------------------------------- C9

  private String fromEntities(String entities) {
    return ingress(
        "shop", "{matchLabels: {app.kubernetes.io/name: api}}", "fromEntities: " + entities);
  }

  @Test
  void worldEntityMatchesOutsideAddressesButNotPodsOrNodes() {
    String yaml = fromEntities("[world]");
    assertThat(allowed(yaml, world.internet(), api, 8080)).isTrue();
    assertThat(allowed(yaml, world.probeSource(), api, 8080)).isTrue();
    assertThat(allowed(yaml, web, api, 8080)).isFalse();
    assertThat(allowed(yaml, world.remoteNode(), api, 8080)).isFalse();
  }

  @Test
  void clusterEntityMatchesPodsNodesAndTheApiserverButNotTheInternet() {
    String yaml = fromEntities("[cluster]");
    assertThat(allowed(yaml, db, api, 8080)).isTrue();
    assertThat(allowed(yaml, world.remoteNode(), api, 8080)).isTrue();
    assertThat(allowed(yaml, world.kubeApiserver(), api, 8080)).isTrue();
    assertThat(allowed(yaml, world.internet(), api, 8080)).isFalse();
  }

  @Test
  void allEntityMatchesEverythingAndNoneNothing() {
    assertThat(allowed(fromEntities("[all]"), world.internet(), api, 8080)).isTrue();
    assertThat(allowed(fromEntities("[all]"), db, api, 8080)).isTrue();
    assertThat(allowed(fromEntities("[none]"), db, api, 8080)).isFalse();
  }

  @Test
  void remoteNodeAndKubeApiserverEntitiesSelectOnlyThemselves() {
    assertThat(allowed(fromEntities("[remote-node]"), world.remoteNode(), api, 8080)).isTrue();
    assertThat(allowed(fromEntities("[remote-node]"), world.internet(), api, 8080)).isFalse();
    assertThat(allowed(fromEntities("[kube-apiserver]"), world.kubeApiserver(), api, 8080))
        .isTrue();
    assertThat(allowed(fromEntities("[kube-apiserver]"), world.remoteNode(), api, 8080)).isFalse();
  }

  @Test
  void unknownEntityRejectsThePolicy() {
    assertThat(CiliumEvaluator.of(Docs.yaml(fromEntities("[internet]")), world).rejectedPolicies())
        .singleElement()
        .asString()
        .contains("unsupported entity: internet");
  }

  // ---------------------------------------------------------------- C10

  @Test
  void cidrRuleSelectsOutsideAddressesButNeverPodsOrNodes() {
    String yaml =
        ingress("shop", "{matchLabels: {app.kubernetes.io/name: api}}", "fromCIDR: [10.0.0.0/8]");
    assertThat(allowed(yaml, world.peerAt("10.20.1.1"), api, 8080)).isTrue();
    assertThat(allowed(yaml, web, api, 8080)).isFalse(); // web's IP 10.244.x is in range
    assertThat(allowed(yaml, world.remoteNode(), api, 8080)).isFalse();
    assertThat(allowed(yaml, world.internet(), api, 8080)).isFalse();
  }

  @Test
  void cidrSetExceptCarvesOutAddresses() {
    String yaml =
        ingress(
            "shop",
            "{matchLabels: {app.kubernetes.io/name: api}}",
            "fromCIDRSet: [{cidr: 10.20.0.0/16, except: [10.20.5.0/24]}]");
    assertThat(allowed(yaml, world.peerAt("10.20.1.1"), api, 8080)).isTrue();
    assertThat(allowed(yaml, world.peerAt("10.20.5.1"), api, 8080)).isFalse();
  }

  @Test
  void probeSourceHasWorldIdentityNotHost() {
    String cidr =
        ingress(
            "shop", "{matchLabels: {app.kubernetes.io/name: api}}", "fromCIDR: [169.254.7.127/32]");
    assertThat(allowed(cidr, world.probeSource(), api, 8080)).isTrue();
    assertThat(allowed(fromEntities("[host]"), world.probeSource(), api, 8080)).isFalse();
  }

  @Test
  void externalKubeApiserverIsSelectedByACidrCoveringItsAddress() {
    String yaml =
        ingress(
            "shop",
            "{matchLabels: {app.kubernetes.io/name: api}}",
            "fromCIDR: [" + world.kubeApiserver().ip() + "/32]");
    assertThat(allowed(yaml, world.kubeApiserver(), api, 8080)).isTrue();
    World onNode = World.builder(Fixtures.shop()).kubeApiserverOnNode(true).build();
    Peer a = onNode.service("shop/api").orElseThrow().pod();
    String nodeCidr =
        ingress(
            "shop",
            "{matchLabels: {app.kubernetes.io/name: api}}",
            "fromCIDR: [" + onNode.kubeApiserver().ip() + "/32]");
    assertThat(
            CiliumEvaluator.of(Docs.yaml(nodeCidr), onNode)
                .evaluate(CiliumHop.of(onNode.kubeApiserver(), a, 8080, Protocol.TCP))
                .allowed())
        .isFalse();
  }
}
