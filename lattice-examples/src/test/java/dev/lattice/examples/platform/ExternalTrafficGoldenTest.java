package dev.lattice.examples.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.cilium.CiliumRenderer;
import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.diagnostics.Severity;
import dev.lattice.graph.Topology;
import dev.lattice.istio.IstioRenderer;
import dev.lattice.model.Settings;
import dev.lattice.output.Labels;
import dev.lattice.output.Manifest;
import dev.lattice.output.Resource;
import dev.lattice.testkit.Corpus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Traffic from outside the graph (DESIGN §3 exposures, §6, §7): four cases of the golden corpus
 * ({@link Corpus}, {@code golden/<case>/} at the repository root), whose files lattice-cilium's and
 * lattice-istio's golden tests compare. Here every document passes its CRD, the evaluators agree
 * that exactly the declared sources get in, and each case's defining rules are asserted by name
 * below, so a reviewer of a golden diff knows what must not change.
 */
class ExternalTrafficGoldenTest {
  static Stream<String> cases() {
    return Stream.of("load-balancer", "cidr-exposure", "webhook", "ingress-gateway");
  }

  private static Topology topology(String name, Settings settings) {
    return Corpus.graph(name).resolve(settings).orThrow();
  }

  private static Topology topology(String name) {
    return topology(name, Settings.defaults());
  }

  private static Manifest cilium(Topology t) {
    return CiliumRenderer.create().render(t);
  }

  private static Manifest istio(Topology t) {
    return IstioRenderer.create().render(t);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyDocumentPassesItsCrd(String name) {
    Topology t = topology(name);
    List<JsonNode> docs = documents(cilium(t).plus(istio(t)));
    assertThat(Documents.violations(name, docs)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void exactlyTheDeclaredSourcesGetIn(String name) {
    for (Settings settings :
        List.of(
            Settings.defaults(), Settings.builder().loadBalancerPreservesSourceIp(true).build())) {
      Topology t = topology(name, settings);
      Manifest m = cilium(t).plus(istio(t));
      Judge judge =
          new Judge(t, documents(m), m.requiredLabels()).serviceToService().outsideSources();
      assertThat(judge.verifier.findings()).isEmpty();
      assertThat(judge.problems()).as("%s with %s", name, settings).isEmpty();
    }
  }

  // ---------------------------------------------------------------- what each case is about

  @Test
  void aLoadBalancerServiceIsOpenToTheInternetAndTheNodesOnEveryPort() {
    Topology t = topology("load-balancer");
    assertThat(t.diagnostics())
        .extracting(Diagnostic::severity, d -> d.code().id())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Severity.INFO, "load-balancer-exposed"));
    JsonNode frontend = only(cilium(t), "CiliumNetworkPolicy", "shop", "frontend");
    assertThat(frontend.at("/spec/ingress/0/fromEntities").toString())
        .isEqualTo("[\"host\",\"remote-node\",\"world\"]");
    assertThat(ports(frontend.at("/spec/ingress/0/toPorts/0/ports")))
        .containsExactly("8080", "8443");
    // the platform makes the ports PERMISSIVE, with a plaintext rule on both
    assertThat(
            only(istio(t), "PeerAuthentication", "shop", "frontend-mtls")
                .at("/spec/portLevelMtls")
                .toString())
        .isEqualTo("{\"8080\":{\"mode\":\"PERMISSIVE\"},\"8443\":{\"mode\":\"PERMISSIVE\"}}");
    assertThat(only(istio(t), "AuthorizationPolicy", "shop", "frontend-ztunnel").toString())
        .contains("\"notPrincipals\":[\"*\"]");
    // the backend behind it is not exposed
    assertThat(documentsOf(cilium(t).plus(istio(t)), "backend").toString())
        .doesNotContain("notPrincipals")
        .doesNotContain("world")
        .doesNotContain("PERMISSIVE");

    // when load balancers keep client addresses, the nodes are not admitted
    Topology preserved =
        topology("load-balancer", Settings.builder().loadBalancerPreservesSourceIp(true).build());
    assertThat(
            only(cilium(preserved), "CiliumNetworkPolicy", "shop", "frontend")
                .at("/spec/ingress/0/fromEntities")
                .toString())
        .isEqualTo("[\"world\"]");
  }

  @Test
  void aCidrExposureAdmitsTheRangeOnTheExposedPortOnly() {
    Topology t = topology("cidr-exposure");
    JsonNode admin = only(cilium(t), "CiliumNetworkPolicy", "ops", "admin");
    List<JsonNode> cidrRules = new ArrayList<>();
    admin
        .path("spec")
        .path("ingress")
        .forEach(
            r -> {
              if (r.has("fromCIDRSet")) {
                cidrRules.add(r);
              }
            });
    assertThat(cidrRules)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.path("fromCIDRSet").toString())
                  .isEqualTo("[{\"cidr\":\"10.20.0.0/16\"}]");
              assertThat(ports(r.at("/toPorts/0/ports"))).containsExactly("8080");
              // one peer kind per element (SEMANTICS R1)
              assertThat(r.has("fromEndpoints") || r.has("fromEntities")).isFalse();
            });
    JsonNode ztunnel = only(istio(t), "AuthorizationPolicy", "ops", "admin-ztunnel");
    assertThat(ztunnel.toString())
        .contains(
            "{\"from\":[{\"source\":{\"notPrincipals\":[\"*\"]}}],\"to\":[{\"operation\":{\"ports\":[\"8080\"]}}]}");
    assertThat(t.diagnostics()).isEmpty();
  }

  @Test
  void aWebhookPortAdmitsTheApiServerOnly() {
    Topology t = topology("webhook");
    JsonNode webhook = only(cilium(t), "CiliumNetworkPolicy", "platform", "policy-webhook");
    assertThat(webhook.path("spec").path("ingress"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.path("fromEntities").toString()).isEqualTo("[\"kube-apiserver\"]");
              assertThat(ports(r.at("/toPorts/0/ports"))).containsExactly("9443");
            });
    assertThat(
            only(istio(t), "AuthorizationPolicy", "platform", "policy-webhook-ztunnel").toString())
        .contains("\"notPrincipals\":[\"*\"]")
        .contains("\"9443\"");
  }

  @Test
  void anIngressGatewayIsAdmittedByIdentityWithNoPlaintextRuleBehindIt() {
    Topology t = topology("ingress-gateway");
    Manifest istio = istio(t);
    // the shop: its gateway is an ordinary caller, so mTLS stays STRICT and no rule admits
    // identity-less sources
    List<JsonNode> shop = documentsOf(cilium(t).plus(istio), "shop");
    assertThat(shop).isNotEmpty();
    assertThat(shop.toString())
        .doesNotContain("notPrincipals")
        .doesNotContain("PERMISSIVE")
        .doesNotContain("world");
    assertThat(istio.resources())
        .noneMatch(
            r -> r.kind().equals("PeerAuthentication") && r.namespace().equals("storefront"));
    JsonNode ztunnel = only(istio, "AuthorizationPolicy", "storefront", "shop-ztunnel");
    assertThat(ztunnel.at("/spec/rules/0/from/0/source/principals").toString())
        .isEqualTo("[\"cluster.local/ns/istio-ingress/sa/istio-ingressgateway\"]");
    assertThat(ztunnel.at("/spec/rules/0/to/0/operation/ports").toString()).isEqualTo("[\"3000\"]");
    // at L4 the shop admits the gateway's pods (HBONE), and the gateway may leave for the shop
    assertThat(
            only(cilium(t), "CiliumNetworkPolicy", "storefront", "shop")
                .at("/spec/ingress/0")
                .toString())
        .contains("\"istio\":\"ingressgateway\"")
        .contains("\"k8s:io.kubernetes.pod.namespace\":\"istio-ingress\"")
        .contains("\"15008\"");
    // the gateway itself is what the internet reaches
    assertThat(
            only(istio, "AuthorizationPolicy", "istio-ingress", "ingress-gateway-ztunnel")
                .toString())
        .contains("\"notPrincipals\":[\"*\"]");
  }

  // ---------------------------------------------------------------- helpers

  private static List<JsonNode> documents(Manifest m) {
    List<JsonNode> out = new ArrayList<>();
    m.resources().forEach(r -> out.add(r.document()));
    return out;
  }

  /** The documents labelled as belonging to the service {@code name}. */
  private static List<JsonNode> documentsOf(Manifest m, String name) {
    List<JsonNode> out = new ArrayList<>();
    for (Resource r : m.resources()) {
      if (name.equals(
          r.document().path("metadata").path("labels").path(Labels.SERVICE).asText(null))) {
        out.add(r.document());
      }
    }
    return out;
  }

  private static JsonNode only(Manifest m, String kind, String namespace, String name) {
    Optional<Resource> r =
        m.resources().stream()
            .filter(
                x ->
                    x.kind().equals(kind)
                        && x.namespace().equals(namespace)
                        && x.name().equals(name))
            .findFirst();
    assertThat(r).as("%s %s/%s in %s", kind, namespace, name, m.resources()).isPresent();
    return r.get().document();
  }

  private static List<String> ports(JsonNode ports) {
    List<String> out = new ArrayList<>();
    ports.forEach(p -> out.add(p.path("port").asText()));
    return out;
  }
}
