package dev.lattice.verify.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every golden document the renderers' own tests pin (lattice-cilium and lattice-istio, whose test
 * scope cannot reach this checker) passes its upstream CRD, its CEL rules and the controllers'
 * checks. Read from the repository tree, next to this module.
 */
class GoldenConformanceTest {
  private static final YAMLMapper YAML = new YAMLMapper();

  static Stream<Path> goldenFiles() throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent();
    List<Path> files = new ArrayList<>();
    for (String module : List.of("lattice-cilium", "lattice-istio")) {
      Path golden = root.resolve(module).resolve("src/test/resources/golden");
      try (Stream<Path> s = Files.walk(golden)) {
        s.filter(p -> p.getFileName().toString().matches("(cilium|istio)\\.yaml"))
            .sorted()
            .forEach(files::add);
      }
    }
    assertThat(files).as("golden files of both renderers").hasSizeGreaterThan(20);
    return files.stream();
  }

  @ParameterizedTest
  @MethodSource("goldenFiles")
  void everyGoldenDocumentPassesItsCrd(Path file) throws IOException {
    CrdConformance crds = Documents.upstream();
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
    assertThat(documents).as("documents in " + file).isPositive();
  }
}
