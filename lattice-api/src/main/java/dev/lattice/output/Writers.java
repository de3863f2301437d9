package dev.lattice.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes Jackson trees as YAML and JSON in one canonical form: mapping keys sorted, lists in
 * their order, two-space indentation, strings plain only when YAML 1.1 and 1.2 parsers both read
 * them back as the same string. The same tree always gives the same bytes.
 */
final class Writers {
  private static final String[] INDENTS = new String[64];

  static {
    for (int i = 0; i < INDENTS.length; i++) {
      INDENTS[i] = " ".repeat(i * 2);
    }
  }

  private Writers() {}

  static void yamlDocument(JsonNode document, Appendable out) {
    try {
      out.append("---\n");
      if (document.isObject() && document.size() > 0) {
        yamlMapping(document, 0, out);
      } else {
        yamlInline(document, out);
        out.append('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A non-empty mapping, each key on its own line at {@code level}. */
  private static void yamlMapping(JsonNode node, int level, Appendable out) throws IOException {
    for (Map.Entry<String, JsonNode> e : sortedFields(node)) {
      out.append(indent(level));
      scalar(e.getKey(), out);
      JsonNode v = e.getValue();
      if (v.isObject() && v.size() > 0) {
        out.append(":\n");
        yamlMapping(v, level + 1, out);
      } else if (v.isArray() && v.size() > 0) {
        out.append(":\n");
        yamlSequence(v, level + 1, out);
      } else {
        out.append(": ");
        yamlInline(v, out);
        out.append('\n');
      }
    }
  }

  private static void yamlSequence(JsonNode node, int level, Appendable out) throws IOException {
    for (JsonNode item : node) {
      out.append(indent(level)).append("- ");
      if (item.isObject() && item.size() > 0) {
        // the first key shares the dash's line; the rest align under it
        boolean first = true;
        for (Map.Entry<String, JsonNode> e : sortedFields(item)) {
          if (!first) {
            out.append(indent(level + 1));
          }
          first = false;
          scalar(e.getKey(), out);
          JsonNode v = e.getValue();
          if (v.isObject() && v.size() > 0) {
            out.append(":\n");
            yamlMapping(v, level + 2, out);
          } else if (v.isArray() && v.size() > 0) {
            out.append(":\n");
            yamlSequence(v, level + 2, out);
          } else {
            out.append(": ");
            yamlInline(v, out);
            out.append('\n');
          }
        }
      } else if (item.isArray() && item.size() > 0) {
        out.append('\n');
        yamlSequence(item, level + 1, out);
      } else {
        yamlInline(item, out);
        out.append('\n');
      }
    }
  }

  /** A scalar, or an empty mapping or list. */
  private static void yamlInline(JsonNode v, Appendable out) throws IOException {
    if (v.isObject()) {
      out.append("{}");
    } else if (v.isArray()) {
      out.append("[]");
    } else if (v.isTextual()) {
      scalar(v.textValue(), out);
    } else if (v.isNull() || v.isMissingNode()) {
      out.append("null");
    } else {
      out.append(v.asText());
    }
  }

  private static String indent(int level) {
    return level < INDENTS.length ? INDENTS[level] : " ".repeat(level * 2);
  }

  /** Writes {@code s} plain when that is unambiguous, otherwise double-quoted. */
  static void scalar(String s, Appendable out) throws IOException {
    if (isPlainSafe(s)) {
      out.append(s);
    } else {
      quoted(s, out);
    }
  }

  static boolean isPlainSafe(String s) {
    int n = s.length();
    if (n == 0) {
      return false;
    }
    char first = s.charAt(0);
    if (!(isAsciiLetter(first) || first == '_' || first == '/')) {
      return false;
    }
    for (int i = 1; i < n; i++) {
      char c = s.charAt(i);
      boolean ok =
          isAsciiLetter(c)
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_'
              || c == '.'
              || c == '/'
              || (c == ':' && i < n - 1);
      if (!ok) {
        return false;
      }
    }
    return !isReserved(s);
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /** Words YAML 1.1 reads as booleans or null. */
  private static boolean isReserved(String s) {
    switch (s.toLowerCase(java.util.Locale.ROOT)) {
      case "y":
      case "n":
      case "yes":
      case "no":
      case "on":
      case "off":
      case "true":
      case "false":
      case "null":
        return true;
      default:
        return false;
    }
  }

  static void quoted(String s, Appendable out) throws IOException {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\t':
          out.append("\\t");
          break;
        case '\r':
          out.append("\\r");
          break;
        default:
          if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == 0x2028 || c == 0x2029
              || c == 0xfeff) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    out.append('"');
  }

  // ---------------------------------------------------------------- JSON

  static void json(JsonNode node, int level, Appendable out) {
    try {
      jsonValue(node, level, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void jsonValue(JsonNode v, int level, Appendable out) throws IOException {
    if (v.isObject()) {
      if (v.size() == 0) {
        out.append("{}");
        return;
      }
      out.append("{\n");
      boolean first = true;
      for (Map.Entry<String, JsonNode> e : sortedFields(v)) {
        if (!first) {
          out.append(",\n");
        }
        first = false;
        out.append(indent(level + 1));
        quoted(e.getKey(), out);
        out.append(": ");
        jsonValue(e.getValue(), level + 1, out);
      }
      out.append('\n').append(indent(level)).append('}');
    } else if (v.isArray()) {
      if (v.size() == 0) {
        out.append("[]");
        return;
      }
      out.append("[\n");
      boolean first = true;
      for (JsonNode item : v) {
        if (!first) {
          out.append(",\n");
        }
        first = false;
        out.append(indent(level + 1));
        jsonValue(item, level + 1, out);
      }
      out.append('\n').append(indent(level)).append(']');
    } else if (v.isTextual()) {
      quoted(v.textValue(), out);
    } else if (v.isNull() || v.isMissingNode()) {
      out.append("null");
    } else {
      out.append(v.asText());
    }
  }

  private static List<Map.Entry<String, JsonNode>> sortedFields(JsonNode node) {
    List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.size());
    boolean sorted = true;
    String previous = null;
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (previous != null && previous.compareTo(e.getKey()) > 0) {
        sorted = false;
      }
      previous = e.getKey();
      fields.add(e);
    }
    if (!sorted) {
      fields.sort(Map.Entry.comparingByKey());
    }
    return fields;
  }
}
