package dev.lattice.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.diagnostics.DiagnosticCode;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The YAML reader under the spec readers: scalar types, aliases' places, what stops it. */
class YamlReaderTest {

  @ParameterizedTest(name = "{0} is {1} {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "8080               | INTEGER | 8080",
        "+8080              | INTEGER | 8080",
        "-17                | INTEGER | -17",
        "1_000              | INTEGER | 1000",
        "0x1F90             | INTEGER | 8080",
        "-0x10              | INTEGER | -16",
        "0755               | INTEGER | 493",
        "0b1010             | INTEGER | 10",
        "99999999999999999999 | INTEGER | 99999999999999999999",
        "!!int \"80\"       | INTEGER | 80",
        "1:30               | STRING  | 1:30",
        "!!int \"+\"          | STRING  | +",
        "!!int abc          | STRING  | abc",
        "\"8080\"           | STRING  | 8080",
        "!!str 80           | STRING  | 80",
        "08                 | STRING  | 08",
        "1.5                | FLOAT   | 1.5",
        ".inf               | FLOAT   | .inf",
        "yes                | BOOLEAN | true",
        "Off                | BOOLEAN | false",
        "TRUE               | BOOLEAN | true",
        "!!bool y           | BOOLEAN | true",
        "y                  | STRING  | y",
        "~                  | NULL    | ''",
        "null               | NULL    | ''",
        "\"\"               | STRING  | ''",
        "2001-12-14         | STRING  | 2001-12-14",
      })
  void typesScalarsAsYaml11Does(String written, Node.Kind kind, String value) {
    Node.Scalar s = scalar("port: " + written + "\n");

    assertThat(s.kind()).isEqualTo(kind);
    switch (kind) {
      case INTEGER -> assertThat(s.integer()).isEqualTo(new BigInteger(value));
      case BOOLEAN -> assertThat(s.truth()).isEqualTo(Boolean.parseBoolean(value));
      default -> assertThat(s.text()).isEqualTo(value);
    }
  }

  @Test
  void readsOnPastAnIntTagOnALoneSign() {
    YamlReader.Result r = YamlReader.read("a.yaml", "a: !!int \"-\"\n---\nb: 1\n");

    assertThat(r.diagnostics()).isEmpty();
    assertThat(r.documents()).hasSize(2);
  }

  @Test
  void placesAnAliasWhereItIsWritten() {
    Node.Mapping m =
        (Node.Mapping) YamlReader.read("a.yaml", "a: &p [80]\nb: *p\n").documents().get(0);

    assertThat(m.entries().get("a").value().at()).hasToString("a.yaml:1:4");
    assertThat(m.entries().get("b").value().at()).hasToString("a.yaml:2:4");
    assertThat(((Node.Sequence) m.entries().get("b").value()).items().get(0).at())
        .hasToString("a.yaml:1:8");
  }

  @Test
  void refusesAnAliasAsAKey() {
    Diagnostic d = only(YamlReader.read("a.yaml", "a: &k x\n*k : y\n"));

    assertThat(d.code()).isEqualTo(DiagnosticCode.YAML_SYNTAX);
    assertThat(d.location()).hasValueSatisfying(l -> assertThat(l).hasToString("a.yaml:2:3"));
    assertThat(d.message()).contains("a mapping key must be plain text");
  }

  @Test
  void reportsAnOverlongNumberInAnyBaseWhereItIsWritten() {
    Diagnostic d = only(YamlReader.read("a.yaml", "port: 0x" + "f".repeat(101) + "\n"));

    assertThat(d.code()).isEqualTo(DiagnosticCode.YAML_TOO_LARGE);
    assertThat(d.location()).hasValueSatisfying(l -> assertThat(l).hasToString("a.yaml:1:7"));
    assertThat(d.message()).startsWith("Number value length (101) exceeds the maximum allowed");
  }

  @Test
  void reportsADigitSnakeYamlCannotParse() {
    // U+1D7CF MATHEMATICAL BOLD DIGIT ONE: a digit to Character.isDigit, not to Integer.parseInt
    Diagnostic d = only(YamlReader.read("a.yaml", "%YAML 1.\uD835\uDFCF\n---\na: 1\n"));

    assertThat(d.code()).isEqualTo(DiagnosticCode.YAML_SYNTAX);
    assertThat(d.message())
        .as("%s", d)
        .startsWith("malformed YAML: a number could not be read")
        .endsWith("write its digits as 0-9")
        .doesNotContain("java.");
  }

  private static Node.Scalar scalar(String yaml) {
    YamlReader.Result r = YamlReader.read("a.yaml", yaml);
    assertThat(r.diagnostics()).isEmpty();
    return (Node.Scalar) ((Node.Mapping) r.documents().get(0)).entries().get("port").value();
  }

  private static Diagnostic only(YamlReader.Result r) {
    assertThat(r.diagnostics()).hasSize(1);
    return r.diagnostics().get(0);
  }
}
