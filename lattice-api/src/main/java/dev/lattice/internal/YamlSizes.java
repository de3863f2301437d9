package dev.lattice.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The renderers' estimate of a node's size in the canonical YAML, which decides where a policy that
 * would outgrow the API server is split into parts. It is an estimate for splitting, not a measure,
 * but the parts depend on it, so it must never change: 2 bytes per node, plus, for each field of an
 * object, 12 and the key's length, for each item of a list, 12, and for a scalar, the length of its
 * text ({@link JsonNode#asText()}).
 *
 * <p>Objects and lists of {@link CompactNodeFactory} are read in place and an {@code int}'s digits
 * are counted, so estimating allocates nothing. Iterating them through Jackson's API allocated an
 * iterator and an entry per field and a string per number: about 100 MB at 50,000 services (JFR).
 */
public final class YamlSizes {
  private YamlSizes() {}

  /** About how many bytes {@code node} takes in the canonical YAML. */
  public static int estimate(JsonNode node) {
    if (node instanceof CompactNodeFactory.CompactObject) {
      SmallMap m = ((CompactNodeFactory.CompactObject) node).smallMap();
      if (m.isLinear()) {
        Object[] s = m.pairs();
        int total = 2;
        for (int i = 0, n = m.size() * 2; i < n; i += 2) {
          total += ((String) s[i]).length() + 12 + estimate((JsonNode) s[i + 1]);
        }
        return total;
      }
    } else if (node instanceof CompactNodeFactory.CompactArray) {
      NodeList items = ((CompactNodeFactory.CompactArray) node).items();
      int total = 2;
      for (int i = 0, n = items.size(); i < n; i++) {
        total += 12 + estimate(items.at(i));
      }
      return total;
    }
    if (node.isObject()) {
      int total = 2;
      for (Map.Entry<String, JsonNode> f : node.properties()) {
        total += f.getKey().length() + 12 + estimate(f.getValue());
      }
      return total;
    }
    if (node.isArray()) {
      int total = 2;
      for (JsonNode item : node) {
        total += 12 + estimate(item);
      }
      return total;
    }
    if (node.isTextual()) {
      return node.textValue().length() + 2;
    }
    if (node.isInt()) {
      return digits(node.intValue()) + 2;
    }
    return node.asText().length() + 2;
  }

  /** The length of {@code Integer.toString(v)}. */
  static int digits(int v) {
    if (v == Integer.MIN_VALUE) {
      return 11;
    }
    int n = v < 0 ? 2 : 1;
    for (int x = Math.abs(v); x >= 10; x /= 10) {
      n++;
    }
    return n;
  }
}
