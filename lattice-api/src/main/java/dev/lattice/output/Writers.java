package dev.lattice.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes Jackson trees as YAML and JSON in one canonical form: mapping keys sorted, lists in their
 * order, two-space indentation, strings plain only when YAML 1.1 and 1.2 parsers both read them
 * back as the same string. The same tree always gives the same bytes.
 */
final class Writers {
  private static final String[] INDENTS = new String[64];

  static {
    for (int i = 0; i < INDENTS.length; i++) {
      INDENTS[i] = " ".repeat(i * 2);
    }
  }

  private Writers() {}

  /**
   * Writes one document to {@code out}. The text is built in a {@link StringBuilder} and handed
   * over once per document: a {@code BufferedWriter} takes a lock on every call, and the millions
   * of small appends of a large manifest through {@link Appendable} cost more than building the
   * text (measured: 10.6 s of 25.7 s at 50,000 services before; see BENCHMARKS.md).
   */
  static void yamlDocument(JsonNode document, Appendable out) {
    if (out instanceof StringBuilder) {
      yamlDocument(document, (StringBuilder) out);
      return;
    }
    StringBuilder sb = new StringBuilder(1024);
    yamlDocument(document, sb);
    append(sb, out);
  }

  /** Writes the documents of {@code resources} in order, in chunks of about 64 KiB. */
  static void yamlStream(List<Resource> resources, Appendable out) {
    if (out instanceof StringBuilder) {
      for (Resource r : resources) {
        yamlDocument(r.document(), (StringBuilder) out);
      }
      return;
    }
    StringBuilder sb = new StringBuilder(CHUNK * 2);
    char[] chunk = new char[CHUNK];
    for (Resource r : resources) {
      yamlDocument(r.document(), sb);
      if (sb.length() >= CHUNK) {
        append(sb, chunk, out);
        sb.setLength(0);
      }
    }
    append(sb, chunk, out);
  }

  private static final int CHUNK = 1 << 16;

  /** Hands {@code sb} to {@code out}: a {@link Writer} gets the chars without a String copy. */
  static void append(StringBuilder sb, Appendable out) {
    append(sb, new char[Math.min(sb.length(), CHUNK) + 1], out);
  }

  private static void append(StringBuilder sb, char[] chunk, Appendable out) {
    try {
      if (out instanceof Writer) {
        Writer w = (Writer) out;
        for (int from = 0; from < sb.length(); from += chunk.length) {
          int n = Math.min(chunk.length, sb.length() - from);
          sb.getChars(from, from + n, chunk, 0);
          w.write(chunk, 0, n);
        }
      } else {
        out.append(sb);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void yamlDocument(JsonNode document, StringBuilder out) {
    out.append("---\n");
    if (document.isObject() && document.size() > 0) {
      yamlMapping(document, 0, out);
    } else {
      yamlInline(document, out);
      out.append('\n');
    }
  }

  /** A non-empty mapping, each key on its own line at {@code level}. */
  private static void yamlMapping(JsonNode node, int level, StringBuilder out) {
    for (Map.Entry<String, JsonNode> e : sortedFields(node)) {
      out.append(indent(level));
      yamlEntry(e, level, out);
    }
  }

  /** {@code key: value} after the indentation; nested collections below it at {@code level + 1}. */
  private static void yamlEntry(Map.Entry<String, JsonNode> e, int level, StringBuilder out) {
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

  private static void yamlSequence(JsonNode node, int level, StringBuilder out) {
    for (int i = 0, n = node.size(); i < n; i++) {
      JsonNode item = node.get(i);
      out.append(indent(level)).append("- ");
      if (item.isObject() && item.size() > 0) {
        // the first key shares the dash's line; the rest align under it
        boolean first = true;
        for (Map.Entry<String, JsonNode> e : sortedFields(item)) {
          if (!first) {
            out.append(indent(level + 1));
          }
          first = false;
          yamlEntry(e, level + 1, out);
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
  private static void yamlInline(JsonNode v, StringBuilder out) {
    if (v.isTextual()) {
      scalar(v.textValue(), out);
    } else if (v.isObject()) {
      out.append("{}");
    } else if (v.isArray()) {
      out.append("[]");
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
  static void scalar(String s, StringBuilder out) {
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
  private static final String[] RESERVED = {
    "y", "n", "yes", "no", "on", "off", "true", "false", "null"
  };

  private static boolean isReserved(String s) {
    // every reserved word is short: skip the comparison (and any lower-casing) for the rest
    if (s.length() > 5) {
      return false;
    }
    for (String r : RESERVED) {
      if (r.equalsIgnoreCase(s)) {
        return true;
      }
    }
    return false;
  }

  static void quoted(String s, StringBuilder out) {
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
          if (c < 0x20
              || c == 0x7f
              || (c >= 0x80 && c <= 0x9f)
              || c == 0x2028
              || c == 0x2029
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
    if (out instanceof StringBuilder) {
      jsonValue(node, level, (StringBuilder) out);
      return;
    }
    StringBuilder sb = new StringBuilder(1024);
    jsonValue(node, level, sb);
    append(sb, out);
  }

  private static void jsonValue(JsonNode v, int level, StringBuilder out) {
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

  /**
   * The fields of {@code node} by key. Renderers mostly build keys in order already: then the
   * node's own field set is returned, with no list to fill and sort.
   */
  private static Iterable<Map.Entry<String, JsonNode>> sortedFields(JsonNode node) {
    Set<Map.Entry<String, JsonNode>> properties = node.properties();
    String previous = null;
    boolean sorted = true;
    for (Map.Entry<String, JsonNode> e : properties) {
      if (previous != null && previous.compareTo(e.getKey()) > 0) {
        sorted = false;
        break;
      }
      previous = e.getKey();
    }
    if (sorted) {
      return properties;
    }
    List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(properties);
    fields.sort(Map.Entry.comparingByKey());
    return fields;
  }
}
