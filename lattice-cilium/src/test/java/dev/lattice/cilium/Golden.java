package dev.lattice.cilium;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files under {@code src/test/resources/golden/<case>/}: the whole output is compared;
 * {@code -Dlattice.golden.update=true} rewrites them instead (then review the diff by hand).
 */
final class Golden {
  private static final Path ROOT = Path.of("src", "test", "resources", "golden");
  private static final boolean UPDATE = Boolean.getBoolean("lattice.golden.update");

  private Golden() {}

  static void assertMatches(String caseName, String file, String actual) {
    Path path = ROOT.resolve(caseName).resolve(file);
    try {
      if (UPDATE) {
        Files.createDirectories(path.getParent());
        Files.writeString(path, actual, StandardCharsets.UTF_8);
        return;
      }
      assertThat(path)
          .as("golden file %s is missing; run with -Dlattice.golden.update=true", path)
          .exists();
      String expected = Files.readString(path, StandardCharsets.UTF_8);
      assertThat(actual)
          .as(
              "%s differs; if the change is intended, run with -Dlattice.golden.update=true and"
                  + " review the diff",
              path)
          .isEqualTo(expected);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
