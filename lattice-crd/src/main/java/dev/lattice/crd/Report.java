package dev.lattice.crd;

import java.util.ArrayList;
import java.util.List;

/** Collects the violations of one {@code validate} call, in the order they are found. */
final class Report {
  static final String TYPE = "type";
  static final String REQUIRED = "required";
  static final String UNKNOWN_FIELD = "unknown-field";
  static final String ENUM = "enum";
  static final String PATTERN = "pattern";
  static final String FORMAT = "format";
  static final String CEL = "x-kubernetes-validations";
  static final String LIST_TYPE = "x-kubernetes-list-type";
  static final String CONTROLLER = "controller-check";
  static final String METADATA = "metadata";
  static final String FORBIDDEN = "forbidden";
  static final String UNKNOWN_KIND = "unknown-kind";
  static final String UNSERVED_VERSION = "unserved-version";

  private final List<Violation> violations = new ArrayList<>();
  private final boolean quiet;
  private int count;
  private final List<Pending> pendingRules = new ArrayList<>();
  private boolean celBlocked;

  private Report(boolean quiet) {
    this.quiet = quiet;
  }

  /** A report that keeps every violation. */
  static Report collecting() {
    return new Report(false);
  }

  /**
   * A report that only counts: for probing whether a sub-schema of {@code anyOf}/{@code oneOf}/
   * {@code not} holds, where messages would be built only to be thrown away.
   */
  static Report counting() {
    return new Report(true);
  }

  /** True for a counting report: callers may skip building costly message parts. */
  boolean quiet() {
    return quiet;
  }

  void add(FieldPath path, String rule, String message) {
    count++;
    if (!quiet) {
      violations.add(Violation.of(path.toString(), rule, message));
    }
  }

  int size() {
    return count;
  }

  boolean isEmpty() {
    return count == 0;
  }

  /** Remembers a schema node with CEL rules, to evaluate once the schema walk is done. */
  void deferRules(Schema s, com.fasterxml.jackson.databind.JsonNode v, FieldPath p) {
    pendingRules.add(new Pending(s, v, p));
  }

  List<Pending> pendingRules() {
    return pendingRules;
  }

  /**
   * A blocking schema error (type, required, enum, too long, too many): no CEL rule is then
   * evaluated.
   */
  void blockCel() {
    celBlocked = true;
  }

  boolean celBlocked() {
    return celBlocked;
  }

  List<Violation> list() {
    return violations;
  }

  /** A value whose schema node carries CEL rules. */
  static final class Pending {
    final Schema schema;
    final com.fasterxml.jackson.databind.JsonNode value;
    final FieldPath path;

    Pending(Schema schema, com.fasterxml.jackson.databind.JsonNode value, FieldPath path) {
      this.schema = schema;
      this.value = value;
      this.path = path;
    }
  }
}
