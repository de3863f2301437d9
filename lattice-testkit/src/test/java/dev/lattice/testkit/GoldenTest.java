package dev.lattice.testkit;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoldenTest {
  @TempDir Path dir;

  @Test
  void equalTextMatches() throws Exception {
    Assumptions.assumeFalse(Golden.UPDATE, "compare mode only");
    Path f = dir.resolve("a.yaml");
    Files.writeString(f, "kind: X\n", StandardCharsets.UTF_8);
    assertThatCode(() -> Golden.assertMatches(f, "kind: X\n")).doesNotThrowAnyException();
  }

  @Test
  void differentTextFailsEvenByOneTrailingNewline() throws Exception {
    Assumptions.assumeFalse(Golden.UPDATE, "compare mode only");
    Path f = dir.resolve("a.yaml");
    Files.writeString(f, "kind: X\n", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> Golden.assertMatches(f, "kind: X"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("golden.update");
  }

  @Test
  void missingFileFailsAndNamesTheUpdateFlag() {
    Assumptions.assumeFalse(Golden.UPDATE, "compare mode only");
    assertThatThrownBy(() -> Golden.assertMatches(dir.resolve("none/x.yaml"), "x"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("missing");
  }
}
