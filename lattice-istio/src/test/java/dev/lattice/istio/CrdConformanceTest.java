package dev.lattice.istio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lattice.graph.Topology;
import dev.lattice.output.Resource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every document of every golden case against its upstream CRD (read from {@code lattice.crds}, the
 * shared directory; the project holds no copy): the schema, and the CEL rules that touch what we
 * render, written out as Java.
 */
class CrdConformanceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final Map<String, String> FILES =
      Map.of(
          "AuthorizationPolicy", "authorizationpolicy.yaml",
          "PeerAuthentication", "peerauthentication.yaml",
          "ServiceEntry", "serviceentry.yaml",
          "Gateway", "gateway.yaml");

  static Stream<String> cases() {
    return GoldenCases.ALL.keySet().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyDocumentPassesItsCrd(String name) {
    Path dir = crds();
    Topology topology = GoldenCases.ALL.get(name).get();
    for (Resource r : IstioRenderer.create().render(topology).resources()) {
      assertThat(FILES).as("a CRD for %s", r.kind()).containsKey(r.kind());
      CrdSchema crd = CrdSchema.load(dir.resolve(FILES.get(r.kind())));
      assertThat(crd.problems(r.document())).as("%s against its CRD", r).isEmpty();
      assertThat(r.name())
          .as("%s name", r)
          .matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")
          .hasSizeLessThanOrEqualTo(253);
      celRules(r);
    }
  }

  @Test
  void theCheckerCatchesWhatTheApiServerWouldReject() throws Exception {
    Path dir = crds();
    CrdSchema policy = CrdSchema.load(dir.resolve(FILES.get("AuthorizationPolicy")));
    String good =
        "{\"apiVersion\":\"security.istio.io/v1\",\"kind\":\"AuthorizationPolicy\","
            + "\"metadata\":{\"name\":\"a\"},\"spec\":{\"action\":\"ALLOW\",\"rules\":"
            + "[{\"to\":[{\"operation\":{\"ports\":[\"80\"]}}]}]}}";
    assertThat(policy.problems(JSON.readTree(good))).isEmpty();
    assertThat(policy.problems(JSON.readTree(good.replace("[\"80\"]", "[80]"))))
        .anyMatch(p -> p.contains("expected a string"));
    assertThat(policy.problems(JSON.readTree(good.replace("\"ports\"", "\"port\""))))
        .anyMatch(p -> p.contains("unknown field"));
    assertThat(policy.problems(JSON.readTree(good.replace("ALLOW", "PERMIT"))))
        .anyMatch(p -> p.contains("is not one of"));
    CrdSchema gateway = CrdSchema.load(dir.resolve(FILES.get("Gateway")));
    String noClass =
        "{\"apiVersion\":\"gateway.networking.k8s.io/v1\",\"kind\":\"Gateway\","
            + "\"metadata\":{\"name\":\"w\"},\"spec\":{\"listeners\":[{\"name\":\"mesh\","
            + "\"port\":150080,\"protocol\":\"HBONE\"}]}}";
    assertThat(gateway.problems(JSON.readTree(noClass)))
        .anyMatch(p -> p.contains("missing required field gatewayClassName"))
        .anyMatch(p -> p.contains("> maximum"));
  }

  private static Path crds() {
    String dir = System.getProperty("lattice.crds", "");
    assumeTrue(
        !dir.isEmpty() && Files.isDirectory(Path.of(dir)),
        "the upstream CRDs are not at lattice.crds=" + dir + "; set LATTICE_CRDS to check them");
    return Path.of(dir);
  }

  /** The CEL rules of the four CRDs that apply to what we render. */
  private static void celRules(Resource r) {
    JsonNode spec = r.document().path("spec");
    JsonNode matchLabels = spec.path("selector").path("matchLabels");
    matchLabels
        .properties()
        .forEach(
            e -> {
              assertThat(e.getKey()).as("%s selector key", r).isNotEmpty().doesNotContain("*");
              assertThat(e.getValue().asText()).as("%s selector value", r).doesNotContain("*");
            });
    switch (r.kind()) {
      case "AuthorizationPolicy":
        // only one of targetRefs or selector; no cross-namespace reference
        int targets =
            (spec.has("selector") ? 1 : 0)
                + (spec.has("targetRef") ? 1 : 0)
                + (spec.has("targetRefs") ? 1 : 0);
        assertThat(targets).as("%s targets", r).isLessThanOrEqualTo(1);
        spec.path("targetRefs").forEach(t -> assertThat(t.has("namespace")).isFalse());
        break;
      case "PeerAuthentication":
        if (spec.has("portLevelMtls")) {
          assertThat(matchLabels.size()).as("%s portLevelMtls requires selector", r).isPositive();
          spec.get("portLevelMtls")
              .fieldNames()
              .forEachRemaining(p -> assertThat(Integer.parseInt(p)).isBetween(1, 65535));
        }
        break;
      case "ServiceEntry":
        spec.path("hosts").forEach(h -> assertThat(h.asText()).isNotEqualTo("*"));
        Set<Integer> numbers = new TreeSet<>();
        for (JsonNode p : spec.path("ports")) {
          assertThat(p.path("number").asInt()).isBetween(1, 65535);
          assertThat(numbers.add(p.path("number").asInt())).as("%s port number unique", r).isTrue();
        }
        assertThat(spec.has("endpoints") || spec.has("workloadSelector") || spec.has("addresses"))
            .as("%s resolves by DNS alone", r)
            .isFalse();
        break;
      case "Gateway":
        spec.path("listeners").forEach(l -> assertThat(l.has("tls")).isFalse());
        break;
      default:
        break;
    }
  }
}
