package dev.lattice.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.lattice.crd.testing.UpstreamCrds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.Condition;

/**
 * Test support: the upstream CRDs ({@link UpstreamCrds}: loaded once, or the tests are skipped and
 * reported), YAML documents, assertions.
 */
final class Documents {
  private static final YAMLMapper YAML = new YAMLMapper();

  private Documents() {}

  /** The checker over the upstream CRDs; skips the calling test (loudly) without them. */
  static CrdConformance upstream() {
    return UpstreamCrds.conformance();
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
