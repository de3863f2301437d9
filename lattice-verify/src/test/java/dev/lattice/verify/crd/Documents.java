package dev.lattice.verify.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.Condition;
import org.junit.jupiter.api.Assumptions;

/**
 * Test support: the upstream CRDs (loaded once, or the tests are skipped LOUDLY), YAML documents,
 * assertions.
 */
final class Documents {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static CrdConformance upstream;
  private static boolean warned;

  private Documents() {}

  /**
   * The conformance checker over the upstream CRDs named by system property {@code lattice.crds}.
   * When the directory is missing the calling test is skipped through an assumption, after saying
   * so on stderr: acceptable only because {@code .ci/run} fails by itself when it is missing.
   */
  static synchronized CrdConformance upstream() {
    Path dir = CrdConformance.defaultDirectory();
    if (!Files.isDirectory(dir)) {
      String message =
          "UPSTREAM CRD DIRECTORY MISSING: "
              + dir
              + " (system property lattice.crds = "
              + System.getProperty("lattice.crds")
              + "); the CRD conformance tests are SKIPPED. "
              + "Point -Dlattice.crds at shared/crds.";
      if (!warned) {
        warned = true;
        System.err.println("\n!!!!!!!! " + message + " !!!!!!!!\n");
      }
      Assumptions.abort(message);
    }
    if (upstream == null) {
      upstream = CrdConformance.load(dir);
    }
    return upstream;
  }

  static ObjectNode yaml(String text) {
    try {
      return (ObjectNode) YAML.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<JsonNode> yamlDocuments(Path file) {
    try {
      return YAML.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile()).readAll();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path resource(String name) {
    return Path.of("src/test/resources/crd", name);
  }

  static ObjectNode object(JsonNode node, String field) {
    return (ObjectNode) node.get(field);
  }

  static ArrayNode array(JsonNode node, String field) {
    return (ArrayNode) node.get(field);
  }

  static Condition<Violation> at(String path, String rule) {
    return new Condition<>(
        v -> v.path().equals(path) && v.rule().equals(rule),
        "a violation at %s with rule %s",
        path,
        rule);
  }

  /** Asserts a violation with this path and rule, whose message names every {@code words}. */
  static Violation assertRejected(
      List<Violation> violations, String path, String rule, String... words) {
    assertThat(violations).as("violations: %s", violations).haveAtLeastOne(at(path, rule));
    Violation v =
        violations.stream()
            .filter(x -> x.path().equals(path) && x.rule().equals(rule))
            .findFirst()
            .orElseThrow();
    if (words.length > 0) {
      assertThat(v.message()).contains(words);
    }
    return v;
  }
}
