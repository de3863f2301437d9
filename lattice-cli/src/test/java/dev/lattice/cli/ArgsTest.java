package dev.lattice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link Args}: options with and without values, paths, and the mistakes it names. */
class ArgsTest {
  private static final Set<String> VALUED = Set.of("--layer", "-o");
  private static final Set<String> FLAGS = Set.of("--strict");

  private static Args parse(String... args) throws UsageException {
    return Args.parse(List.of(args), VALUED, FLAGS, "render");
  }

  @Test
  void readsValuesGivenEitherWayAndKeepsPathsInOrder() throws UsageException {
    Args a = parse("b.yaml", "--layer=istio", "-o", "out", "--strict", "a.yaml");
    assertThat(a.get("--layer")).isEqualTo("istio");
    assertThat(a.get("-o")).isEqualTo("out");
    assertThat(a.has("--strict")).isTrue();
    assertThat(a.paths).containsExactly("b.yaml", "a.yaml");
  }

  @Test
  void takesEverythingAfterDoubleDashAsPaths() throws UsageException {
    Args a = parse("--", "--layer", "-o");
    assertThat(a.options).isEmpty();
    assertThat(a.paths).containsExactly("--layer", "-o");
  }

  @Test
  void takesALoneDashAsAPath() throws UsageException {
    assertThat(parse("-").paths).containsExactly("-");
  }

  @Test
  void takesAValueThatLooksLikeAnOption() throws UsageException {
    assertThat(parse("-o", "--strict").get("-o")).isEqualTo("--strict");
  }

  @Test
  void namesTheMistake() {
    assertThatThrownBy(() -> parse("--layr", "x"))
        .isInstanceOf(UsageException.class)
        .hasMessage("unknown option --layr for 'lattice render' (see lattice help render)");
    assertThatThrownBy(() -> parse("--layer"))
        .isInstanceOf(UsageException.class)
        .hasMessage("--layer needs a value");
    assertThatThrownBy(() -> parse("--strict=true"))
        .isInstanceOf(UsageException.class)
        .hasMessage("--strict takes no value");
    assertThatThrownBy(() -> parse("--strict", "--strict"))
        .isInstanceOf(UsageException.class)
        .hasMessage("--strict is given twice");
  }
}
