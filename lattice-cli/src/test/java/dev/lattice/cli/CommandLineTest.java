package dev.lattice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * How a command line is read: options with and without values, paths, and the mistakes it names in
 * the command's own words.
 */
class CommandLineTest {
  private static RenderCommand render(String... args) {
    CommandLine cl = Main.commandLine(new Io(System.out, System.err, false));
    ParseResult parsed = cl.parseArgs(concat("render", args));
    return (RenderCommand) parsed.subcommand().commandSpec().userObject();
  }

  /** The one line {@code lattice ARGS} prints for a parse error. */
  private static String mistake(String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      CommandLine cl = Main.commandLine(new Io(System.out, e, false));
      try {
        cl.parseArgs(args);
      } catch (ParameterException x) {
        return UsageErrors.message(x, List.of(args));
      }
    }
    throw new AssertionError("no parse error for " + List.of(args));
  }

  @Test
  void readsValuesGivenEitherWayAndKeepsPathsInOrder() {
    RenderCommand r = render("b.yaml", "--layer=istio", "-o", "out", "a.yaml");
    assertThat(r.layer).isEqualTo("istio");
    assertThat(r.output).isEqualTo("out");
    assertThat(r.paths).containsExactly("b.yaml", "a.yaml");
    assertThat(render("--output=elsewhere", "x").output).isEqualTo("elsewhere");
  }

  @Test
  void takesEverythingAfterDoubleDashAsPaths() {
    RenderCommand r = render("--", "--layer", "-o");
    assertThat(r.output).isNull();
    assertThat(r.layer).isEqualTo("all");
    assertThat(r.paths).containsExactly("--layer", "-o");
  }

  @Test
  void takesALoneDashAsAPath() {
    assertThat(render("-").paths).containsExactly("-");
  }

  @Test
  void takesAValueThatLooksLikeAnOption() {
    assertThat(render("-o", "--layer").output).isEqualTo("--layer");
  }

  @Test
  void neverReadsArgumentsFromAnAtFile() {
    assertThat(render("@specs").paths).containsExactly("@specs");
  }

  @Test
  void fillsTheDefaultsFromTheAnnotations() {
    RenderCommand r = render("x");
    assertThat(r.layer).isEqualTo("all");
    assertThat(r.format).isEqualTo("yaml");
  }

  @Test
  void namesTheMistake() {
    assertThat(mistake("render", "--layr", "x"))
        .isEqualTo("unknown option --layr for 'lattice render' (see lattice help render)");
    assertThat(mistake("render", "--layr=istio", "x"))
        .isEqualTo("unknown option --layr for 'lattice render' (see lattice help render)");
    assertThat(mistake("render", "--layer")).isEqualTo("--layer needs a value");
    assertThat(mistake("render", "x", "--output")).isEqualTo("--output needs a value");
    assertThat(mistake("check", "--strict=true", "x")).isEqualTo("--strict takes no value");
    assertThat(mistake("check", "--strict", "--strict", "x")).isEqualTo("--strict is given twice");
    assertThat(mistake("render", "-o", "a", "--output", "b", "x"))
        .isEqualTo("-o and --output are the same option; give one");
    assertThat(mistake("explain", "--to", "shop/api", "x"))
        .isEqualTo("explain needs --from and --to (see lattice help explain)");
    assertThat(mistake("frob")).startsWith("unknown command 'frob' (commands: render, check,");
  }

  private static String[] concat(String first, String... rest) {
    String[] out = new String[rest.length + 1];
    out[0] = first;
    System.arraycopy(rest, 0, out, 1, rest.length);
    return out;
  }
}
