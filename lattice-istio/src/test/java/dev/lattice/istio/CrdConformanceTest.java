package dev.lattice.istio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.lattice.crd.CrdConformance;
import dev.lattice.crd.testing.UpstreamCrds;
import dev.lattice.testkit.Corpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every document of every golden case (which the golden tests pin to the renderer's output) passes
 * its upstream CRD as the API server checks it: the structural schema, every CEL rule, ObjectMeta,
 * and the checks the Istio controller adds (lattice-crd). The CRDs are read from {@code
 * lattice.crds} ({@link UpstreamCrds}); without them the suite is skipped and reported.
 */
class CrdConformanceTest {
  private static final YAMLMapper YAML = new YAMLMapper();

  static Stream<Path> goldenFiles() throws IOException {
    try (Stream<Path> s = Files.walk(Corpus.ROOT)) {
      List<Path> files =
          s.filter(p -> p.getFileName().toString().equals("istio.yaml")).sorted().toList();
      assertThat(files).as("the golden files").hasSizeGreaterThan(5);
      return files.stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenFiles")
  void everyGoldenDocumentPassesItsCrd(Path file) throws IOException {
    CrdConformance crds = UpstreamCrds.conformance();
    int documents = 0;
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc == null || doc.isEmpty()) {
          continue;
        }
        documents++;
        assertThat(crds.validate(doc))
            .as(
                "%s: %s %s",
                file.getParent().getFileName(),
                doc.path("kind").asText(),
                doc.path("metadata").path("name").asText())
            .isEmpty();
      }
    }
    assertThat(documents).as("documents in %s", file).isPositive();
  }
}
