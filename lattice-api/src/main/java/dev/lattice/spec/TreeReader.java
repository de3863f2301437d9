package dev.lattice.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.diagnostics.DiagnosticCode;
import dev.lattice.model.SourceLocation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a Jackson tree — a custom resource as a cluster returns it — into the {@link Node}s the
 * spec readers take. The tree has no text, so every node is located at the object it came from
 * ({@link SourceLocation#of(String)}); the model paths of the diagnostics say where inside it.
 */
final class TreeReader {
  private TreeReader() {}

  /** Thrown past {@link YamlReader#MAX_DEPTH}; the tree is refused whole. */
  private static final class TooDeep extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TooDeep() {
      super(null, null, false, false);
    }
  }

  /** The tree as nodes located at {@code origin}; empty (with an error) when it nests too deep. */
  static Optional<Node> read(String origin, JsonNode tree, Problems problems) {
    SourceLocation at = SourceLocation.of(origin);
    try {
      return Optional.of(node(tree, at, 0));
    } catch (TooDeep e) {
      problems.report(
          DiagnosticCode.YAML_TOO_LARGE,
          origin,
          at,
          "mappings and lists nest deeper than "
              + YamlReader.MAX_DEPTH
              + " levels in "
              + origin
              + "; a spec needs about ten");
      return Optional.empty();
    }
  }

  private static Node node(JsonNode n, SourceLocation at, int depth) {
    if (n.isObject() || n.isArray()) {
      if (depth >= YamlReader.MAX_DEPTH) {
        throw new TooDeep();
      }
      long size = 1;
      if (n.isArray()) {
        List<Node> items = new ArrayList<>(n.size());
        for (JsonNode item : n) {
          Node child = node(item, at, depth + 1);
          size += child.size();
          items.add(child);
        }
        return new Node.Sequence(List.copyOf(items), at, size);
      }
      Map<String, Node.Entry> entries = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        Node child = node(e.getValue(), at, depth + 1);
        size += child.size();
        entries.put(e.getKey(), new Node.Entry(e.getKey(), at, child));
      }
      return new Node.Mapping(Collections.unmodifiableMap(entries), at, size);
    }
    if (n.isIntegralNumber()) {
      return new Node.Scalar(Node.Kind.INTEGER, n.asText(), n.bigIntegerValue(), false, at);
    }
    if (n.isNumber()) {
      return new Node.Scalar(Node.Kind.FLOAT, n.asText(), null, false, at);
    }
    if (n.isBoolean()) {
      return new Node.Scalar(Node.Kind.BOOLEAN, n.asText(), null, n.booleanValue(), at);
    }
    if (n.isNull() || n.isMissingNode()) {
      return new Node.Scalar(Node.Kind.NULL, "", null, false, at);
    }
    // text, and the odd binary or POJO node: their text is what counts, as for YAML
    return new Node.Scalar(Node.Kind.STRING, n.asText(), null, false, at);
  }
}
