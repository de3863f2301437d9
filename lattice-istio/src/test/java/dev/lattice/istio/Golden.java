package dev.lattice.istio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.output.Manifest;
import dev.lattice.output.RequiredLabel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files: {@code src/test/resources/golden/<case>/istio.yaml}, compared whole. Run with
 * {@code -Dlattice.golden.update=true} to rewrite them, then review the diff.
 */
final class Golden {
  private static final boolean UPDATE = Boolean.getBoolean("lattice.golden.update");

  /** Maven runs tests in the module's directory; the golden files are read from the sources. */
  private static final Path ROOT = Path.of("src", "test", "resources", "golden");

  private Golden() {}

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

  /** Asserts that {@code actual} is the golden file of {@code name}, or rewrites it. */
  static void assertMatches(String name, String actual) throws IOException {
    Path file = ROOT.resolve(name).resolve("istio.yaml");
    if (UPDATE) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, actual, StandardCharsets.UTF_8);
      return;
    }
    assertThat(file)
        .as("golden file of %s; create it with -Dlattice.golden.update=true", name)
        .exists();
    assertThat(actual)
        .as("rendering of %s against %s", name, file)
        .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }
}
