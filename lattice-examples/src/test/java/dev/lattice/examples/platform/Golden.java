package dev.lattice.examples.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.lattice.verify.crd.CrdConformance;
import dev.lattice.verify.crd.Violation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Golden files, compared whole; {@code -Dlattice.golden.update=true} rewrites them instead (then
 * review the diff by hand). Also reads YAML streams and checks documents against the upstream CRDs.
 */
final class Golden {
  /** Whether to rewrite the golden files rather than compare. */
  static final boolean UPDATE = Boolean.getBoolean("lattice.golden.update");

  private static CrdConformance crds;

  private Golden() {}

  /** Asserts that {@code file} holds {@code actual}, or rewrites it in update mode. */
  static void assertMatches(Path file, String actual) {
    try {
      if (UPDATE) {
        Files.createDirectories(file.getParent());
        Files.writeString(file, actual, StandardCharsets.UTF_8);
        return;
      }
      assertThat(file)
          .as("golden file %s is missing; create it with -Dlattice.golden.update=true", file)
          .exists();
      assertThat(actual)
          .as(
              "%s differs; if the change is intended, run with -Dlattice.golden.update=true and"
                  + " review the diff",
              file)
          .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

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

  /**
   * The upstream CRDs ({@link CrdConformance#defaultDirectory()}); aborts the calling test, saying
   * so on stderr, when the directory is missing.
   */
  static synchronized CrdConformance crds() {
    if (crds == null) {
      Path dir = CrdConformance.defaultDirectory();
      if (!Files.isDirectory(dir)) {
        String why =
            "SKIPPED: CRD directory "
                + dir
                + " is missing; set -Dlattice.crds=DIR (or the"
                + " LATTICE_CRDS environment variable) to check documents against the CRDs";
        System.err.println(why);
        Assumptions.abort(why);
      }
      crds = CrdConformance.load(dir);
    }
    return crds;
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
