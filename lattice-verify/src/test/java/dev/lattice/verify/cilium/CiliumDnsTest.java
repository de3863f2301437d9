package dev.lattice.verify.cilium;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.model.Protocol;
import dev.lattice.verify.Docs;
import dev.lattice.verify.Fixtures;
import dev.lattice.verify.world.Peer;
import dev.lattice.verify.world.World;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SEMANTICS C13 (toFQDNs, matchName/matchPattern, the DNS proxy) and C14 (L7 DNS rules, plain L4
 * lifting them).
 */
class CiliumDnsTest {
  private final World world = World.of(Fixtures.shop());
  private final Peer legacy = world.service("shop/legacy").orElseThrow().pod();
  private final Peer api = world.service("shop/api").orElseThrow().pod();
  private final Peer stripe = world.externalHost("api.stripe.com");

  /** legacy's egress: DNS to kube-dns with {@code dnsRules}, plus {@code more} elements. */
  private static String legacyEgress(String dnsRules, String more) {
    return Fixtures.DEFAULT_DENY
        + "---\n"
        + """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: legacy, namespace: shop}
        spec:
          endpointSelector: {matchLabels: {app.kubernetes.io/name: legacy}}
          egress:
          - toEndpoints: [{matchLabels: {k8s:io.kubernetes.pod.namespace: kube-system, k8s-app: kube-dns}}]
            toPorts:
            - ports: [{port: "53", protocol: UDP}, {port: "53", protocol: TCP}]
        """
        + (dnsRules == null ? "" : "      rules: {dns: " + dnsRules + "}\n")
        + more;
  }

  private static final String TO_STRIPE =
      """
        - toFQDNs: [{matchName: api.stripe.com}]
          toPorts: [{ports: [{port: "443", protocol: TCP}]}]
      """;

  private CiliumEvaluator eval(String yaml) {
    return CiliumEvaluator.of(Docs.yaml(yaml), world);
  }

  @Test
  void toFqdnsAllowsAnAddressOnlyAfterAnAllowedLookupThroughTheProxy() {
    CiliumEvaluator e = eval(legacyEgress("[{matchPattern: \"*\"}]", TO_STRIPE));
    DnsResolution r = e.resolve(legacy, "api.stripe.com");
    assertThat(r.resolved()).isTrue();
    assertThat(r.observedByProxy()).isTrue();
    assertThat(r.address()).contains(stripe.ip());
    CiliumVerdict learned =
        e.evaluate(
            CiliumHop.of(legacy, stripe, 443, Protocol.TCP)
                .withLearnedNames(Set.of(r.answeredName().orElseThrow())));
    assertThat(learned.allowed()).isTrue();
    assertThat(learned.egress().reason()).contains("toFQDNs matchName api.stripe.com");
    // without the lookup, the address is unknown to the policy
    assertThat(e.evaluate(CiliumHop.of(legacy, stripe, 443, Protocol.TCP)).allowed()).isFalse();
    assertThat(
            e.evaluate(
                    CiliumHop.of(legacy, stripe, 80, Protocol.TCP)
                        .withLearnedNames(Set.of("api.stripe.com")))
                .allowed())
        .isFalse();
  }

  @Test
  void toFqdnsLearnsNothingWhenNoDnsRuleMakesTheProxyIntercept() {
    CiliumEvaluator e = eval(legacyEgress(null, TO_STRIPE));
    DnsResolution r = e.resolve(legacy, "api.stripe.com");
    assertThat(r.resolved()).isTrue();
    assertThat(r.observedByProxy()).isFalse();
  }

  @Test
  void toFqdnsNeverMatchesInClusterAddresses() {
    CiliumEvaluator e =
        eval(
            legacyEgress(
                "[{matchPattern: \"*\"}]",
                """
        - toFQDNs: [{matchPattern: "*"}]
      """));
    CiliumVerdict v =
        e.evaluate(
            CiliumHop.of(legacy, api, 8080, Protocol.TCP)
                .withLearnedNames(Set.of("api.shop.svc.cluster.local")));
    assertThat(v.allowed()).isFalse();
  }

  @Test
  void dnsRuleRefusesNamesItDoesNotAllow() {
    CiliumEvaluator e = eval(legacyEgress("[{matchName: api.stripe.com}]", ""));
    CiliumEvaluator.DnsQuery ok = e.query(legacy, "api.stripe.com");
    assertThat(ok.nameAllowed()).isTrue();
    assertThat(ok.proxied()).isTrue();
    CiliumEvaluator.DnsQuery no = e.query(legacy, "evil.example.com");
    assertThat(no.reachesKubeDns()).isTrue();
    assertThat(no.nameAllowed()).isFalse();
    assertThat(no.reason()).contains("REFUSED");
  }

  @Test
  void refusedSearchExpansionEndsTheWalkForMuslResolvers() {
    String yaml = legacyEgress("[{matchName: api.stripe.com}]", TO_STRIPE);
    DnsResolution musl = eval(yaml).resolve(legacy, "api.stripe.com");
    assertThat(musl.resolved()).isFalse();
    assertThat(musl.failure())
        .get()
        .asString()
        .contains("REFUSED for api.stripe.com.shop.svc.cluster.local ends the search-list walk");
    World glibc = World.builder(Fixtures.shop()).resolverStopsAtRefused(false).build();
    DnsResolution g =
        CiliumEvaluator.of(Docs.yaml(yaml), glibc)
            .resolve(glibc.service("shop/legacy").orElseThrow().pod(), "api.stripe.com");
    assertThat(g.resolved()).isTrue();
    assertThat(g.answeredName()).contains("api.stripe.com");
  }

  @Test
  void searchExpansionsAllowedByTheDnsRulesLetTheLookupThrough() {
    String rules =
        "[{matchName: api.stripe.com},"
            + " {matchName: api.stripe.com.shop.svc.cluster.local},"
            + " {matchName: api.stripe.com.svc.cluster.local},"
            + " {matchName: api.stripe.com.cluster.local}]";
    DnsResolution r = eval(legacyEgress(rules, TO_STRIPE)).resolve(legacy, "api.stripe.com");
    assertThat(r.resolved()).isTrue();
    assertThat(r.steps()).hasSize(4);
    assertThat(r.steps().get(0)).contains("NXDOMAIN");
  }

  @Test
  void plainPort53RuleToTheSamePeerLiftsTheNameFilter() {
    String plain =
        """
        - toEndpoints: [{matchLabels: {k8s:io.kubernetes.pod.namespace: kube-system, k8s-app: kube-dns}}]
          toPorts: [{ports: [{port: "53", protocol: UDP}]}]
      """;
    CiliumEvaluator e = eval(legacyEgress("[{matchName: api.stripe.com}]", plain));
    CiliumEvaluator.DnsQuery q = e.query(legacy, "evil.example.com");
    assertThat(q.nameAllowed()).isTrue();
    assertThat(q.proxied()).isTrue();
    assertThat(q.reason()).contains("the DNS name filter is lifted, C14");
  }

  @Test
  void lookupWithoutAnyEgressTo53IsDropped() {
    CiliumEvaluator e = eval(Fixtures.DEFAULT_DENY);
    DnsResolution r = e.resolve(legacy, "api.stripe.com");
    assertThat(r.resolved()).isFalse();
    assertThat(r.failure()).get().asString().contains("is dropped");
  }

  @Test
  void dnsRulesOnIngressRejectThePolicy() {
    String yaml =
        """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: api, namespace: shop}
        spec:
          endpointSelector: {matchLabels: {app.kubernetes.io/name: api}}
          ingress: [{toPorts: [{ports: [{port: "53", protocol: UDP}], rules: {dns: [{matchName: x.com}]}}]}]
        """;
    assertThat(eval(yaml).rejectedPolicies())
        .singleElement()
        .asString()
        .contains("DNS rules are not allowed on ingress");
  }

  @Test
  void toFqdnsCombinedWithToEndpointsInOneElementRejectsThePolicy() {
    String yaml =
        legacyEgress(
            "[{matchPattern: \"*\"}]",
            """
        - toFQDNs: [{matchName: api.stripe.com}]
          toEndpoints: [{}]
      """);
    assertThat(eval(yaml).rejectedPolicies())
        .singleElement()
        .asString()
        .contains("combining toEndpoints and toFQDNs");
  }

  // ---------------------------------------------------------------- matchName / matchPattern

  private static FqdnPattern pattern(String key, String value) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put(key, value);
    return FqdnPattern.parse(n);
  }

  @ParameterizedTest(name = "{0} {1} ~ {2}: {3}")
  @CsvSource({
    "matchName, api.stripe.com, api.stripe.com, true",
    "matchName, api.stripe.com, API.Stripe.com., true",
    "matchName, api.stripe.com, www.stripe.com, false",
    "matchPattern, *.stripe.com, api.stripe.com, true",
    "matchPattern, *.stripe.com, stripe.com, false",
    "matchPattern, *.stripe.com, a.b.stripe.com, false",
    "matchPattern, **.stripe.com, a.b.stripe.com, false",
    "matchPattern, **.stripe.com, api.stripe.com, true",
    "matchPattern, api*.stripe.com, api-v2.stripe.com, true",
    "matchPattern, api*.stripe.com, web.stripe.com, false",
    "matchPattern, *, anything.example.org, true",
    "matchPattern, *.S3.amazonaws.com, bucket.s3.AMAZONAWS.com, true",
  })
  void fqdnSelectorsMatchAsCilium118Does(String key, String value, String name, boolean matches) {
    assertThat(pattern(key, value).matches(name)).isEqualTo(matches);
  }
}
