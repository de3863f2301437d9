package dev.lattice.crd;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Map;

/** Small helpers over Jackson trees: JSON type names, value equality, short descriptions. */
final class Json {
  private static final int MAX_SHOWN = 80;

  private Json() {}

  /**
   * The JSON Schema type name of a value: object, array, string, integer, number, boolean, null.
   */
  static String typeName(JsonNode v) {
    if (v == null || v.isMissingNode()) {
      return "nothing";
    }
    if (v.isObject()) {
      return "object";
    }
    if (v.isArray()) {
      return "array";
    }
    if (v.isTextual()) {
      return "string";
    }
    if (v.isIntegralNumber()) {
      return "integer";
    }
    if (v.isNumber()) {
      return "number";
    }
    if (v.isBoolean()) {
      return "boolean";
    }
    if (v.isNull()) {
      return "null";
    }
    return v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }

  /** {@code string "abc"}, {@code integer 80}, {@code object {...}}: for messages. */
  static String describe(JsonNode v) {
    String type = typeName(v);
    if (v == null || v.isMissingNode() || v.isNull()) {
      return type;
    }
    return type + " " + shortText(v);
  }

  /** The value as compact JSON, shortened for messages. */
  static String shortText(JsonNode v) {
    String text = v.toString();
    if (text.length() > MAX_SHOWN) {
      text = text.substring(0, MAX_SHOWN - 3) + "...";
    }
    return text;
  }

  /** A number as an exact decimal (integers and doubles alike). */
  static BigDecimal decimal(JsonNode v) {
    if (v.isIntegralNumber()) {
      return new BigDecimal(v.bigIntegerValue());
    }
    return v.decimalValue();
  }

  /** True for a JSON number with no fractional part (1 and 1.0 both). */
  static boolean isWholeNumber(JsonNode v) {
    if (v.isIntegralNumber()) {
      return true;
    }
    if (!v.isNumber()) {
      return false;
    }
    double d = v.doubleValue();
    return !Double.isInfinite(d) && !Double.isNaN(d) && d == Math.rint(d);
  }

  /**
   * Deep JSON equality where numbers compare by value ({@code 1 == 1.0}), unlike {@link
   * JsonNode#equals}, which also compares the node classes.
   */
  static boolean same(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return decimal(a).compareTo(decimal(b)) == 0;
    }
    if (a.getNodeType() != b.getNodeType()) {
      return false;
    }
    if (a.isArray()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!same(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (a.isObject()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (Map.Entry<String, JsonNode> e : a.properties()) {
        JsonNode other = b.get(e.getKey());
        if (other == null || !same(e.getValue(), other)) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }

  /** Length in Unicode code points, as Kubernetes (Go's rune count) measures strings. */
  static int length(String s) {
    return s.codePointCount(0, s.length());
  }

  /** Quotes a string for a message. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    int shown = Math.min(s.length(), MAX_SHOWN);
    for (int i = 0; i < shown; i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    if (shown < s.length()) {
      sb.append("...");
    }
    return sb.append('"').toString();
  }
}
