package dev.lattice.istio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.diagnostics.Severity;
import dev.lattice.graph.ServiceView;
import dev.lattice.graph.Topology;
import dev.lattice.output.Labels;
import dev.lattice.output.Manifest;
import dev.lattice.output.RequiredLabel;
import dev.lattice.output.Resource;
import dev.lattice.testkit.Corpus;
import dev.lattice.testkit.Golden;
import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each case of the golden corpus ({@link Corpus}, {@code golden/<case>/} at the repository root):
 * its {@code input.yaml}, rendered, equals its {@code istio.yaml}, keeps every structural
 * invariant, and is the union of the shared resources and each service's own.
 */
class IstioGoldenTest {
  private static final IstioRenderer RENDERER = IstioRenderer.create();

  static Stream<String> cases() {
    return Corpus.cases().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void rendersTheGoldenFile(String name) throws IOException {
    Topology topology = Corpus.topology(name);
    Manifest manifest = RENDERER.render(topology);
    Structure.check(topology, manifest);
    Golden.assertMatches(Corpus.file(name, Corpus.ISTIO), text(manifest));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void buildsEachCaseWithoutWarnings(String name) {
    // a one-sided or mistyped declaration would silently drop the edge the case is about; the one
    // warning a case may have is the shared service account port-sets is about
    assertThat(Corpus.topology(name).diagnostics())
        .filteredOn(d -> d.severity() != Severity.INFO)
        .extracting(d -> d.code().id() + " " + d.path())
        .containsExactlyElementsOf(
            name.equals("port-sets")
                ? List.of("shared-service-account shop/a.serviceAccount")
                : List.of());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void rendersEachServiceAsTheResourcesLabelledWithIt(String name) {
    Topology topology = Corpus.topology(name);
    Manifest manifest = RENDERER.render(topology);
    for (ServiceView view : topology.views()) {
      List<Resource> labelled =
          manifest.resources().stream()
              .filter(r -> r.namespace().equals(view.id().namespace()))
              .filter(
                  r ->
                      view.id()
                          .name()
                          .equals(
                              r.document()
                                  .path("metadata")
                                  .path("labels")
                                  .path(Labels.SERVICE)
                                  .asText(null)))
              .toList();
      assertThat(RENDERER.renderService(topology, view.id()))
          .as("renderService(%s)", view.id())
          .containsExactlyElementsOf(labelled);
    }
  }

  /**
   * The text of a rendered layer: the required labels as comments, then the YAML stream. The
   * comments keep labels in the golden file without changing what a YAML parser reads.
   */
  static String text(Manifest manifest) {
    StringBuilder sb = new StringBuilder();
    for (RequiredLabel l : manifest.requiredLabels()) {
      sb.append("# ").append(l).append('\n');
    }
    return sb.append(manifest.toYaml()).toString();
  }
}
