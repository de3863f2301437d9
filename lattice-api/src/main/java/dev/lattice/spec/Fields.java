package dev.lattice.spec;

import dev.lattice.diagnostics.DiagnosticCode;
import dev.lattice.model.SourceLocation;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Typed, located access to one mapping of a spec. Every accessor reports what is wrong (a wrong
 * type at the value's location, an unknown key at the key's) and returns empty instead of throwing;
 * a null value ({@code key:} or {@code key: null}) reads as absent.
 */
final class Fields {
  private static final BigInteger MAX_INT = BigInteger.valueOf(Integer.MAX_VALUE);
  private static final BigInteger MIN_INT = BigInteger.valueOf(Integer.MIN_VALUE);

  private final Node.Mapping mapping;
  private final String path;
  private final Problems problems;

  /** Whether the fields are a document's own (and its metadata's): their path is the file's. */
  private final boolean flat;

  private Fields(Node.Mapping mapping, String path, Problems problems, boolean flat) {
    this.mapping = mapping;
    this.path = path;
    this.problems = problems;
    this.flat = flat;
  }

  /**
   * A document's top-level mapping. Until a document names its service there is no model path, so
   * its own fields and its metadata's report the file name as their path.
   */
  static Optional<Fields> document(Node node, String file, Problems problems) {
    return of(node, file, "a spec document", problems)
        .map(f -> new Fields(f.mapping, file, problems, true));
  }

  /**
   * The mapping {@code node}, read at model path {@code path}; empty (with a SPEC_TYPE error) when
   * it is not a mapping, and empty without one when it is null.
   */
  static Optional<Fields> of(Node node, String path, String what, Problems problems) {
    if (node instanceof Node.Mapping) {
      return Optional.of(new Fields((Node.Mapping) node, path, problems, false));
    }
    if (!isNull(node)) {
      problems.report(
          DiagnosticCode.SPEC_TYPE,
          path,
          node.at(),
          what + " must be a mapping (key: value lines), got " + node.describe());
    }
    return Optional.empty();
  }

  /** Whether {@code node} is YAML's null. */
  static boolean isNull(Node node) {
    return node instanceof Node.Scalar && ((Node.Scalar) node).isNull();
  }

  /** Where this mapping's problems go. */
  Problems problems() {
    return problems;
  }

  /** The model path of this mapping. */
  String path() {
    return path;
  }

  /** The model path of {@code key} in this mapping. */
  String path(String key) {
    return flat ? path : path + "." + key;
  }

  /** Where the mapping starts. */
  SourceLocation at() {
    return mapping.at();
  }

  /** The entries, in written order. */
  Map<String, Node.Entry> entries() {
    return mapping.entries();
  }

  /**
   * Reports every key that is not in {@code known} as an unknown field (a network part of a spec,
   * where a typo would otherwise silently change what is allowed).
   */
  Fields only(String what, List<String> known) {
    for (Node.Entry e : mapping.entries().values()) {
      if (!known.contains(e.key())) {
        problems.report(
            DiagnosticCode.SPEC_UNKNOWN_FIELD,
            path(e.key()),
            e.keyAt(),
            "unknown field \""
                + Texts.abbreviate(e.key())
                + "\" in "
                + what
                + Texts.closest(e.key(), known)
                    .map(c -> "; did you mean " + c + "? Known fields: ")
                    .orElse("; known fields: ")
                + String.join(", ", known));
      }
    }
    return this;
  }

  /**
   * Reports keys that are near misses of {@code network} field names, in a mapping whose other
   * fields Lattice ignores: {@code allowPeerTrafic} must not silently mean "no peer traffic".
   */
  Fields nearMisses(String what, List<String> network) {
    for (Node.Entry e : mapping.entries().values()) {
      if (!network.contains(e.key())) {
        Texts.closest(e.key(), network)
            .ifPresent(
                c ->
                    problems.report(
                        DiagnosticCode.SPEC_UNKNOWN_FIELD,
                        path(e.key()),
                        e.keyAt(),
                        "unknown field \""
                            + e.key()
                            + "\" in "
                            + what
                            + "; did you mean "
                            + c
                            + "? (Lattice reads "
                            + String.join(", ", network)
                            + " here and"
                            + " ignores other fields)"));
      }
    }
    return this;
  }

  /** The value of {@code key}, absent when missing or null. */
  Optional<Node> get(String key) {
    Node.Entry e = mapping.entries().get(key);
    return e == null || isNull(e.value()) ? Optional.empty() : Optional.of(e.value());
  }

  /** Whether {@code key} is present with a non-null value. */
  boolean has(String key) {
    return get(key).isPresent();
  }

  /** Where {@code key} was written, or where the mapping starts. */
  SourceLocation keyAt(String key) {
    Node.Entry e = mapping.entries().get(key);
    return e == null ? mapping.at() : e.keyAt();
  }

  /** Where the value of {@code key} was written, or where the mapping starts. */
  SourceLocation valueAt(String key) {
    Node.Entry e = mapping.entries().get(key);
    return e == null ? mapping.at() : e.value().at();
  }

  /** Reports {@code key} as missing from this mapping. */
  void missing(String key, String why) {
    problems.report(
        DiagnosticCode.SPEC_MISSING_FIELD,
        path(key),
        mapping.at(),
        "missing field \"" + key + "\": " + why);
  }

  /** The text of {@code key}; numbers and booleans read as their written text. */
  Optional<String> text(String key) {
    return get(key).flatMap(n -> text(n, path(key), key, problems));
  }

  /**
   * The text of {@code key}, reported as missing with {@code why} when absent, and as empty (with
   * the same {@code why}) when it is {@code ""}.
   */
  Optional<String> requiredText(String key, String why) {
    if (!has(key)) {
      missing(key, why);
      return Optional.empty();
    }
    return nonEmptyText(key, why);
  }

  /** The integer of {@code key} (a port number; its range is checked by resolution). */
  Optional<Integer> integer(String key) {
    return get(key).flatMap(n -> integer(n, path(key), key, problems));
  }

  /** The boolean of {@code key}. */
  Optional<Boolean> bool(String key) {
    Optional<Node> node = get(key);
    if (node.isEmpty()) {
      return Optional.empty();
    }
    Node n = node.get();
    if (n instanceof Node.Scalar && ((Node.Scalar) n).kind() == Node.Kind.BOOLEAN) {
      return Optional.of(((Node.Scalar) n).truth());
    }
    problems.report(
        DiagnosticCode.SPEC_TYPE,
        path(key),
        n.at(),
        key
            + " must be true or false, got "
            + n.describe()
            + (n instanceof Node.Scalar ? "; write it without quotes" : ""));
    return Optional.empty();
  }

  /** The mapping of {@code key}. */
  Optional<Fields> mapping(String key) {
    return mapping(key, "key: value lines");
  }

  /** The mapping of {@code key}, whose {@code shape} a type error shows ("names to ports"). */
  Optional<Fields> mapping(String key, String shape) {
    Optional<Node> node = get(key);
    if (node.isPresent() && !(node.get() instanceof Node.Mapping)) {
      problems.report(
          DiagnosticCode.SPEC_TYPE,
          path(key),
          node.get().at(),
          key + " must be a mapping (" + shape + "), got " + node.get().describe());
      return Optional.empty();
    }
    return node.flatMap(n -> of(n, path(key), key, problems))
        .map(f -> flat ? new Fields(f.mapping, path, problems, true) : f);
  }

  /** The items of the list {@code key}. */
  Optional<List<Node>> list(String key) {
    Optional<Node> node = get(key);
    if (node.isEmpty()) {
      return Optional.empty();
    }
    if (node.get() instanceof Node.Sequence) {
      return Optional.of(((Node.Sequence) node.get()).items());
    }
    problems.report(
        DiagnosticCode.SPEC_TYPE,
        path(key),
        node.get().at(),
        key + " must be a list (\"- item\" lines or [a, b]), got " + node.get().describe());
    return Optional.empty();
  }

  /**
   * The items of the list {@code key}, or empty — with a SPEC_EMPTY_VALUE error saying {@code why}
   * — when the list is written but has no item: where leaving a list out means "all", an explicit
   * empty list must not silently mean the same.
   */
  Optional<List<Node>> nonEmptyList(String key, String why) {
    Optional<List<Node>> items = list(key);
    if (items.isPresent() && items.get().isEmpty()) {
      problems.report(
          DiagnosticCode.SPEC_EMPTY_VALUE, path(key), valueAt(key), key + " is empty; " + why);
      return Optional.empty();
    }
    return items;
  }

  /** The texts of the list {@code key}, which must not be empty; see {@link #nonEmptyList}. */
  Optional<List<String>> nonEmptyTexts(String key, String why) {
    return nonEmptyList(key, why).flatMap(items -> texts(key));
  }

  /**
   * The mapping of {@code key}, or empty — with a SPEC_EMPTY_VALUE error saying {@code why} — when
   * it is written as {@code {}}.
   */
  Optional<Fields> nonEmptyMapping(String key, String shape, String why) {
    Optional<Fields> m = mapping(key, shape);
    if (m.isPresent() && m.get().entries().isEmpty()) {
      problems.report(
          DiagnosticCode.SPEC_EMPTY_VALUE, path(key), valueAt(key), key + " is empty; " + why);
      return Optional.empty();
    }
    return m;
  }

  /**
   * The text of {@code key}, or empty — with a SPEC_EMPTY_VALUE error saying {@code why} — when it
   * is the empty text ({@code ""}) or only spaces.
   */
  Optional<String> nonEmptyText(String key, String why) {
    Optional<String> t = text(key);
    if (t.isPresent() && t.get().isBlank()) {
      problems.report(
          DiagnosticCode.SPEC_EMPTY_VALUE,
          path(key),
          valueAt(key),
          key + " is the empty text; " + why);
      return Optional.empty();
    }
    return t;
  }

  /** The texts of the list {@code key}; items that are not text are reported and left out. */
  Optional<List<String>> texts(String key) {
    return list(key)
        .map(
            items -> {
              List<String> out = new ArrayList<>();
              for (int i = 0; i < items.size(); i++) {
                text(items.get(i), path(key) + "[" + i + "]", "an item of " + key, problems)
                    .ifPresent(out::add);
              }
              return out;
            });
  }

  // ---------------------------------------------------------------- single nodes

  /** The text of a scalar node; a mapping, a list or null is a type error. */
  static Optional<String> text(Node n, String path, String what, Problems problems) {
    if (n instanceof Node.Scalar && !((Node.Scalar) n).isNull()) {
      return Optional.of(((Node.Scalar) n).text());
    }
    problems.report(
        DiagnosticCode.SPEC_TYPE, path, n.at(), what + " must be text, got " + n.describe());
    return Optional.empty();
  }

  /**
   * The integer of a node that must be a whole number, such as a port. Values outside 1..65535 pass
   * (resolution reports them where they were written); values no int can hold do not.
   */
  static Optional<Integer> integer(Node n, String path, String what, Problems problems) {
    if (n instanceof Node.Scalar) {
      Node.Scalar s = (Node.Scalar) n;
      if (s.kind() == Node.Kind.INTEGER) {
        if (s.integer().compareTo(MAX_INT) > 0 || s.integer().compareTo(MIN_INT) < 0) {
          problems.report(
              DiagnosticCode.SPEC_INVALID_VALUE,
              path,
              n.at(),
              what
                  + " "
                  + Texts.abbreviate(s.text())
                  + " is not a port number; ports are"
                  + " 1..65535");
          return Optional.empty();
        }
        return Optional.of(s.integer().intValue());
      }
      String fix =
          s.kind() == Node.Kind.STRING && s.text().matches("\\s*[0-9]+\\s*")
              ? "; write " + s.text().trim() + " without quotes"
              : s.kind() == Node.Kind.FLOAT ? "; ports are whole numbers" : "";
      problems.report(
          DiagnosticCode.SPEC_TYPE,
          path,
          n.at(),
          what + " must be an integer (a port number such as 8080), got " + n.describe() + fix);
      return Optional.empty();
    }
    problems.report(
        DiagnosticCode.SPEC_TYPE,
        path,
        n.at(),
        what + " must be an integer (a port number such as 8080), got " + n.describe());
    return Optional.empty();
  }
}
