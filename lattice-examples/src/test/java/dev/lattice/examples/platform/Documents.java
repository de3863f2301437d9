package dev.lattice.examples.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.lattice.crd.CrdConformance;
import dev.lattice.crd.Violation;
import dev.lattice.crd.testing.UpstreamCrds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * YAML streams as trees, and their check against the upstream CRDs. Golden files are compared by
 * the test kit's {@link dev.lattice.testkit.Golden}.
 */
final class Documents {
  private Documents() {}

  /** The documents of a YAML stream, as trees. */
  static List<JsonNode> documents(String yaml) {
    try {
      List<JsonNode> out = new ArrayList<>();
      new YAMLMapper()
          .readerFor(JsonNode.class)
          .readValues(yaml)
          .forEachRemaining(d -> out.add((JsonNode) d));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The documents of the YAML file {@code file}. */
  static List<JsonNode> documents(Path file) {
    try {
      return documents(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The upstream CRDs ({@link UpstreamCrds}); skips the calling test, reported, without them. */
  static CrdConformance crds() {
    return UpstreamCrds.conformance();
  }

  /** Every CRD violation of {@code documents}, each prefixed by where the document came from. */
  static List<String> violations(String where, List<JsonNode> documents) {
    CrdConformance c = crds();
    List<String> out = new ArrayList<>();
    for (JsonNode d : documents) {
      for (Violation v : c.validate(d)) {
        out.add(
            where
                + ": "
                + d.path("kind").asText()
                + " "
                + d.path("metadata").path("namespace").asText("")
                + "/"
                + d.path("metadata").path("name").asText()
                + ": "
                + v);
      }
    }
    return out;
  }
}
