package dev.lattice.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one golden-file comparer of every module: a golden file holds the whole expected text and is
 * compared byte for byte (as UTF-8). The renderers' cases live in {@link Corpus}.
 *
 * <p>Update mode: {@code -Dgolden.update=true} (or the older spelling {@code
 * -Dlattice.golden.update=true}) rewrites every golden file a test reaches instead of comparing;
 * review the resulting {@code git diff} by hand before committing.
 */
public final class Golden {
  /** Whether this run rewrites golden files instead of comparing them. */
  public static final boolean UPDATE =
      Boolean.getBoolean("golden.update") || Boolean.getBoolean("lattice.golden.update");

  private Golden() {}

  /** Asserts that {@code file} holds exactly {@code actual}, or rewrites it in update mode. */
  public static void assertMatches(Path file, String actual) {
    try {
      if (UPDATE) {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.writeString(file, actual, StandardCharsets.UTF_8);
        return;
      }
      assertThat(file)
          .as("golden file %s is missing; create it with -Dgolden.update=true", file)
          .exists();
      assertThat(actual)
          .as(
              "%s differs; if the change is intended, run with -Dgolden.update=true and review"
                  + " the diff",
              file)
          .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
