package dev.lattice.crd;

import static dev.lattice.crd.Documents.assertRejected;
import static dev.lattice.crd.Documents.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keywords and CEL features that the upstream CRDs use rarely or not at all, checked against a
 * small CRD written for this test ({@code src/test/resources/crd/synthetic}); runs without the
 * upstream directory.
 */
class SchemaKeywordsTest {
  private static final CrdConformance WIDGETS =
      CrdConformance.load(Documents.resource("synthetic"));
  private static final String HEAD =
      "apiVersion: test.lattice.dev/v1\nkind: Widget\nmetadata: {name: w, namespace: ns}\nspec:\n";

  private static List<Violation> validate(String spec) {
    return WIDGETS.validate(yaml(HEAD + spec));
  }

  @Test
  void acceptsAFullValidWidget() {
    assertThat(
            validate(
                "  size: 3\n  ratio: 1.5\n  mirror: ab\n  note: null\n  port: http\n"
                    + "  address: 10.0.0.1\n  address6: \"fd00::1\"\n  since: 2026-01-01T00:00:00Z\n"
                    + "  tags: [a, b]\n  numbers: [1, 2]\n  labels: {a.b: x}\n  anything: {x: {y: [1]}}\n"
                    + "  open: {whatever: 1}\n  shape: {kind: circle, radius: 2}\n"))
        .isEmpty();
  }

  @Test
  void rejectsUnservedVersionThatIsDefined() {
    List<Violation> v = WIDGETS.validate(yaml(HEAD.replace("/v1", "/v2") + "  size: 1\n"));
    assertRejected(v, "apiVersion", "unserved-version", "defined but not served");
  }

  @Test
  void checksNumericBoundsAndFormats() {
    List<Violation> v = validate("  size: 1\n  limit: 100\n  ratio: 0.7\n");
    assertRejected(v, "spec.size", "exclusiveMinimum", "> 1");
    assertRejected(v, "spec.limit", "exclusiveMaximum", "< 100");
    assertRejected(v, "spec.ratio", "multipleOf", "0.5");
    v = validate("  size: 3000000000\n  limit: 3000000000\n");
    assertRejected(v, "spec.size", "format", "int32");
    v = validate("  size: 2\n  address: \"fd00::1\"\n  address6: 10.0.0.1\n  since: yesterday\n");
    assertRejected(v, "spec.address", "format", "IPv4");
    assertRejected(v, "spec.address6", "format", "IPv6");
    assertRejected(v, "spec.since", "format", "date-time");
  }

  @Test
  void appliesDefaultsAndRunsMessageExpressionWithFieldPath() {
    // limit defaults to 10, so size 11 breaks "size <= limit"; the message comes from the
    // messageExpression and the path from fieldPath.
    List<Violation> v = validate("  size: 11\n");
    assertRejected(v, "spec.size", "x-kubernetes-validations", "size 11 exceeds limit 10");
    assertThat(v).hasSize(1);
  }

  @Test
  void skipsTransitionRulesOnCreate() {
    assertThat(WIDGETS.transitionRuleCount()).isEqualTo(1);
    assertThat(validate("  size: 2\n")).isEmpty();
  }

  @Test
  void usesKubernetesStringLibrary() {
    List<Violation> v = validate("  size: 2\n  mirror: Ab\n  labels: {a.b.c: x}\n");
    assertRejected(v, "spec", "x-kubernetes-validations", "mirror must be lower case");
    assertRejected(v, "spec.labels", "x-kubernetes-validations", "at most one dot");
  }

  @Test
  void treatsIntOrStringAsEitherAndNothingElse() {
    assertThat(validate("  size: 2\n  port: 8080\n")).isEmpty();
    assertRejected(
        validate("  size: 2\n  port: 70000\n"),
        "spec.port",
        "x-kubernetes-validations",
        "out of range");
    assertRejected(
        validate("  size: 2\n  port: true\n"), "spec.port", "type", "integer or string", "boolean");
  }

  @Test
  void prunesNonNullableNullsAndKeepsNullableOnes() {
    // mirror is not nullable: a null is pruned (not an error); size is required: a null is missing.
    List<Violation> v = validate("  size: null\n  mirror: null\n  note: null\n");
    assertRejected(v, "spec.size", "required");
    // ... and, as in Kubernetes, a missing required field blocks every CEL rule.
    assertRejected(v, "", "x-kubernetes-validations", "some validation rules were not checked");
    assertThat(v).hasSize(2);
  }

  @Test
  void checksListsAndMaps() {
    List<Violation> v =
        validate("  size: 2\n  tags: [a, b, a, c]\n  numbers: [1, 1.0]\n  labels: {}\n");
    assertRejected(v, "spec.tags", "maxItems", "at most 3");
    assertRejected(v, "spec.tags[2]", "x-kubernetes-list-type", "\"a\"");
    assertRejected(v, "spec.numbers[1]", "uniqueItems");
    assertRejected(v, "spec.labels", "minProperties", "at least 1");
    v = validate("  size: 2\n  tags: []\n  labels: {a: x, b: y, c: z}\n");
    assertRejected(v, "spec.tags", "minItems");
    assertRejected(v, "spec.labels", "maxProperties");
    assertRejected(
        validate("  size: 2\n  labels: {a: 1}\n"), "spec.labels[a]", "type", "expected string");
  }

  @Test
  void checksJunctionsInGeneral() {
    List<Violation> v = validate("  size: 2\n  shape: {radius: 1}\n");
    assertRejected(v, "spec.shape", "allOf", "has kind");
    v = validate("  size: 2\n  shape: {kind: circle, radius: 1, side: 2}\n");
    assertRejected(v, "spec.shape", "not", "has radius and side");
    v = validate("  size: 2\n  shape: {kind: square, radius: 1}\n");
    assertRejected(
        v, "spec.shape", "anyOf", "has radius, kind is circle | has side, kind is square");
  }

  @Test
  void preservesUnknownFieldsOnlyWhereAllowed() {
    assertThat(validate("  size: 2\n  anything: {deep: {er: 1}}\n  open: {x: y}\n")).isEmpty();
    assertRejected(
        validate("  size: 2\n  shape: {kind: circle, radius: 1, colour: red}\n"),
        "spec.shape.colour",
        "unknown-field",
        "known fields: kind, radius, side");
  }
}
