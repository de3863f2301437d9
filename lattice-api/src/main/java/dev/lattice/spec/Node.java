package dev.lattice.spec;

import dev.lattice.model.SourceLocation;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * A YAML node as the loader sees it: a mapping, a sequence or a scalar, each with the 1-based line
 * and column where it was written. Aliases are already expanded (an alias shares the anchored
 * subtree; it is never copied).
 */
sealed interface Node permits Node.Mapping, Node.Sequence, Node.Scalar {

  /** Where the node starts. */
  SourceLocation at();

  /** How many nodes the subtree holds with its aliases expanded; bounded by the reader's budget. */
  long size();

  /** What the node is, for messages: {@code a mapping}, {@code the text "eighty"}, ... */
  String describe();

  /** The same node, as if written at {@code location} (used for alias sites). */
  Node relocate(SourceLocation location);

  /** One key of a mapping, where the key was written, and its value. */
  record Entry(String key, SourceLocation keyAt, Node value) {}

  /** A mapping; keys keep their written order. */
  record Mapping(Map<String, Entry> entries, SourceLocation at, long size) implements Node {
    @Override
    public String describe() {
      return "a mapping";
    }

    @Override
    public Node relocate(SourceLocation location) {
      return new Mapping(entries, location, size);
    }
  }

  /** A sequence (a YAML list). */
  record Sequence(List<Node> items, SourceLocation at, long size) implements Node {
    @Override
    public String describe() {
      return "a list";
    }

    @Override
    public Node relocate(SourceLocation location) {
      return new Sequence(items, location, size);
    }
  }

  /** The resolved type of a scalar, as YAML's core schema reads a plain one. */
  enum Kind {
    STRING,
    INTEGER,
    FLOAT,
    BOOLEAN,
    NULL
  }

  /**
   * A scalar: its kind, the text as written (quotes removed), the value of an integer, and the
   * truth of a boolean.
   */
  record Scalar(Kind kind, String text, BigInteger integer, boolean truth, SourceLocation at)
      implements Node {
    @Override
    public long size() {
      return 1;
    }

    @Override
    public String describe() {
      switch (kind) {
        case STRING:
          return "the text \"" + Texts.abbreviate(text) + "\"";
        case INTEGER:
        case FLOAT:
          return "the number " + Texts.abbreviate(text);
        case BOOLEAN:
          return "the boolean " + text;
        default:
          return "null";
      }
    }

    @Override
    public Node relocate(SourceLocation location) {
      return new Scalar(kind, text, integer, truth, location);
    }

    /** Whether this is YAML's null (written {@code null}, {@code ~} or nothing at all). */
    boolean isNull() {
      return kind == Kind.NULL;
    }
  }
}
