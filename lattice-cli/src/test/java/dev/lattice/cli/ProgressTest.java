package dev.lattice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@link Progress}: one line redrawn in place and erased before anything else is printed; nothing
 * at all when stderr is not a terminal. Drawn by explicit ticks here, so no test depends on time.
 */
class ProgressTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String printed() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void redrawsOneLineAndErasesIt() {
    Progress p = Progress.manual(err);
    p.tick(); // nothing to say yet
    assertThat(printed()).isEmpty();
    p.phase("resolving 50000 services");
    p.tick();
    p.tick();
    assertThat(printed())
        .matches("(\r\u001b\\[Klattice: resolving 50000 services\\.\\.\\. \\d+s){2}")
        .doesNotContain("\n");
    p.clear();
    assertThat(printed()).endsWith(Progress.ERASE);
    int length = printed().length();
    p.clear(); // erased once only
    p.tick(); // no phase after a clear: nothing
    assertThat(printed()).hasSize(length);
  }

  @Test
  void printsNothingWhenStderrIsNotATerminal() {
    Progress p = Progress.of(new Io(err, err, false));
    p.phase("rendering");
    p.tick();
    p.stop();
    assertThat(printed()).isEmpty();
  }

  @Test
  void theOffDisplayPrintsNothing() {
    Progress p = Progress.off();
    p.phase("x");
    p.tick();
    assertThat(printed()).isEmpty();
  }

  @Test
  void theSystemPropertyDecidesWhenSet() {
    String before = System.getProperty("lattice.progress");
    try {
      System.setProperty("lattice.progress", "false");
      assertThat(Progress.stderrIsTerminal()).isFalse();
      System.setProperty("lattice.progress", "true");
      assertThat(Progress.stderrIsTerminal()).isTrue();
    } finally {
      if (before == null) {
        System.clearProperty("lattice.progress");
      } else {
        System.setProperty("lattice.progress", before);
      }
    }
  }
}
