package dev.lattice.verify.crd;

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

  void add(FieldPath path, String rule, String message) {
    violations.add(Violation.of(path.toString(), rule, message));
  }

  int size() {
    return violations.size();
  }

  boolean isEmpty() {
    return violations.isEmpty();
  }

  List<Violation> list() {
    return violations;
  }
}
