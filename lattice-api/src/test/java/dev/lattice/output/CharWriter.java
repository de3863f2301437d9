package dev.lattice.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The YAML and JSON writer as it was before the byte writer: every string checked and encoded char
 * by char, every node reached through Jackson's API. Kept as the reference the byte writer must
 * match ({@link WritersProperties}); its plain-scalar rule is its own copy, so a change to {@link
 * dev.lattice.internal.PlainScalars} shows up as a difference too.
 */
final class CharWriter {
  static final int CAPACITY = 1 << 16;

  /** Room kept free for one character (at most 4 bytes of UTF-8) or one piece of punctuation. */
  private static final int SLACK = 16;

  private static final byte[] SPACES = " ".repeat(256).getBytes(StandardCharsets.US_ASCII);
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private final byte[] buf = new byte[CAPACITY];
  private int pos;
  private final OutputStream stream;
  private final Appendable text;

  private CharWriter(OutputStream stream, Appendable text) {
    this.stream = stream;
    this.text = text;
  }

  /** A writer into {@code out}; call {@link #flush()} at the end. */
  static CharWriter to(OutputStream out) {
    return new CharWriter(out, null);
  }

  /**
   * A writer into {@code out} (UTF-8 decoded back into chars); call {@link #flush()} at the end.
   */
  static CharWriter to(Appendable out) {
    return new CharWriter(null, out);
  }

  /** Hands the buffer to the target. The buffer only ever ends between whole characters. */
  void flush() {
    if (pos == 0) {
      return;
    }
    try {
      if (stream != null) {
        stream.write(buf, 0, pos);
      } else {
        text.append(new String(buf, 0, pos, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    pos = 0;
  }

  /** One document, starting with {@code ---}. */
  static void yamlDocument(JsonNode document, StringBuilder out) {
    CharWriter w = to(out);
    w.yamlDocument(document);
    w.flush();
  }

  /** Each resource's document in order, one YAML stream. */
  static void yamlStream(List<Resource> resources, Appendable out) {
    CharWriter w = to(out);
    for (Resource r : resources) {
      w.yamlDocument(r.document());
    }
    w.flush();
  }

  // ---------------------------------------------------------------- bytes

  private void room(int n) {
    if (pos + n > buf.length) {
      flush();
    }
  }

  private void raw(char c) {
    if (pos + SLACK > buf.length) {
      flush();
    }
    buf[pos++] = (byte) c;
  }

  /** ASCII text that needs no escaping (punctuation, digits, plain scalars). */
  private void ascii(String s) {
    int n = s.length();
    if (pos + n > buf.length) {
      flush();
      if (n > buf.length) {
        for (int i = 0; i < n; i++) {
          raw(s.charAt(i));
        }
        return;
      }
    }
    for (int i = 0; i < n; i++) {
      buf[pos + i] = (byte) s.charAt(i);
    }
    pos += n;
  }

  private void indent(int level) {
    int n = level * 2;
    while (n > 0) {
      int k = Math.min(n, SPACES.length);
      room(k);
      System.arraycopy(SPACES, 0, buf, pos, k);
      pos += k;
      n -= k;
    }
  }

  // ---------------------------------------------------------------- YAML

  void yamlDocument(JsonNode document) {
    ascii("---\n");
    if (document.isObject() && document.size() > 0) {
      yamlMapping(document, 0, false);
    } else {
      yamlInline(document);
      raw('\n');
    }
  }

  /**
   * A non-empty mapping, each key on its own line at {@code level}; with {@code afterDash}, the
   * first key shares the line of a list item's dash.
   */
  private void yamlMapping(JsonNode node, int level, boolean afterDash) {
    Object[] pairs = sortedPairs(node);
    int n = pairCount(node, pairs);
    for (int i = 0; i < n; i++) {
      if (i > 0 || !afterDash) {
        indent(level);
      }
      yamlEntry((String) pairs[2 * i], (JsonNode) pairs[2 * i + 1], level);
    }
  }

  /** {@code key: value} after the indentation; nested collections below it at {@code level + 1}. */
  private void yamlEntry(String key, JsonNode v, int level) {
    scalar(key);
    if (v.isObject() && v.size() > 0) {
      ascii(":\n");
      yamlMapping(v, level + 1, false);
    } else if (v.isArray() && v.size() > 0) {
      ascii(":\n");
      yamlSequence(v, level + 1);
    } else {
      ascii(": ");
      yamlInline(v);
      raw('\n');
    }
  }

  private void yamlSequence(JsonNode node, int level) {
    for (int i = 0, n = node.size(); i < n; i++) {
      JsonNode item = item(node, i);
      indent(level);
      ascii("- ");
      if (item.isObject() && item.size() > 0) {
        yamlMapping(item, level + 1, true);
      } else if (item.isArray() && item.size() > 0) {
        raw('\n');
        yamlSequence(item, level + 1);
      } else {
        yamlInline(item);
        raw('\n');
      }
    }
  }

  /** A scalar, or an empty mapping or list. */
  private void yamlInline(JsonNode v) {
    if (v.isTextual()) {
      scalar(v.textValue());
    } else if (v.isObject()) {
      ascii("{}");
    } else if (v.isArray()) {
      ascii("[]");
    } else if (v.isNull() || v.isMissingNode()) {
      ascii("null");
    } else {
      quotedOrAscii(v.asText());
    }
  }

  /** Text Jackson made of a number or boolean: ASCII in practice, escaped if ever not. */
  private void quotedOrAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        utf8(s);
        return;
      }
    }
    ascii(s);
  }

  /**
   * Writes {@code s} plain when that is unambiguous, otherwise double-quoted. One pass: the chars
   * are copied into the buffer while they are checked (a table look-up each, as {@link
   * PlainScalars#isPlainSafe} decides), and {@code pos} moves past them only when the whole string
   * is plain; otherwise the quoted form overwrites them. Checking first and copying after read
   * every char twice, and were two fifths of the serialise phase at 50,000 services (JFR).
   */
  private void scalar(String s) {
    int n = s.length();
    if (n == 0 || n > CAPACITY - SLACK) {
      if (PlainScalars.isPlainSafe(s)) {
        ascii(s);
      } else {
        quoted(s);
      }
      return;
    }
    if (pos + n > buf.length) {
      flush();
    }
    byte[] b = buf;
    int p = pos;
    char c = s.charAt(0);
    if (!PlainScalars.mayStart(c)) {
      quoted(s);
      return;
    }
    b[p] = (byte) c;
    for (int i = 1; i < n; i++) {
      c = s.charAt(i);
      if (!PlainScalars.mayContinue(c)) {
        quoted(s);
        return;
      }
      b[p + i] = (byte) c;
    }
    // a colon may not end a plain scalar; short words may be YAML 1.1 booleans or null
    if (c == ':' || PlainScalars.isReserved(s)) {
      quoted(s);
      return;
    }
    pos = p + n;
  }

  /** {@code s} in double quotes, escaped the same way for YAML and JSON. */
  private void quoted(String s) {
    raw('"');
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          ascii("\\\"");
          break;
        case '\\':
          ascii("\\\\");
          break;
        case '\n':
          ascii("\\n");
          break;
        case '\t':
          ascii("\\t");
          break;
        case '\r':
          ascii("\\r");
          break;
        default:
          if (c < 0x20
              || c == 0x7f
              || (c >= 0x80 && c <= 0x9f)
              || c == 0x2028
              || c == 0x2029
              || c == 0xfeff) {
            room(SLACK);
            buf[pos++] = '\\';
            buf[pos++] = 'u';
            buf[pos++] = HEX[(c >> 12) & 0xf];
            buf[pos++] = HEX[(c >> 8) & 0xf];
            buf[pos++] = HEX[(c >> 4) & 0xf];
            buf[pos++] = HEX[c & 0xf];
          } else if (c < 0x80) {
            raw(c);
          } else {
            i = utf8(s, i);
          }
      }
    }
    raw('"');
  }

  private void utf8(String s) {
    for (int i = 0; i < s.length(); i++) {
      i = utf8(s, i);
    }
  }

  /**
   * Encodes the character at {@code i} (with its low surrogate, when it is a high one) as UTF-8, or
   * {@code ?} for a lone surrogate, as Java's encoders do; returns the index of its last char.
   */
  private int utf8(String s, int i) {
    room(SLACK);
    char c = s.charAt(i);
    if (c < 0x80) {
      buf[pos++] = (byte) c;
    } else if (c < 0x800) {
      buf[pos++] = (byte) (0xc0 | (c >> 6));
      buf[pos++] = (byte) (0x80 | (c & 0x3f));
    } else if (Character.isHighSurrogate(c)
        && i + 1 < s.length()
        && Character.isLowSurrogate(s.charAt(i + 1))) {
      int cp = Character.toCodePoint(c, s.charAt(i + 1));
      buf[pos++] = (byte) (0xf0 | (cp >> 18));
      buf[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
      buf[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
      buf[pos++] = (byte) (0x80 | (cp & 0x3f));
      return i + 1;
    } else if (Character.isSurrogate(c)) {
      buf[pos++] = '?';
    } else {
      buf[pos++] = (byte) (0xe0 | (c >> 12));
      buf[pos++] = (byte) (0x80 | ((c >> 6) & 0x3f));
      buf[pos++] = (byte) (0x80 | (c & 0x3f));
    }
    return i;
  }

  // ---------------------------------------------------------------- JSON

  /** {@code node} as canonical JSON at {@code level} into {@code out}. */
  static void json(JsonNode node, int level, Appendable out) {
    CharWriter w = to(out);
    w.json(node, level);
    w.flush();
  }

  void json(JsonNode v, int level) {
    if (v.isObject()) {
      if (v.size() == 0) {
        ascii("{}");
        return;
      }
      ascii("{\n");
      Object[] pairs = sortedPairs(v);
      int n = pairCount(v, pairs);
      for (int i = 0; i < n; i++) {
        if (i > 0) {
          ascii(",\n");
        }
        indent(level + 1);
        quoted((String) pairs[2 * i]);
        ascii(": ");
        json((JsonNode) pairs[2 * i + 1], level + 1);
      }
      raw('\n');
      indent(level);
      raw('}');
    } else if (v.isArray()) {
      if (v.size() == 0) {
        ascii("[]");
        return;
      }
      ascii("[\n");
      for (int i = 0, n = v.size(); i < n; i++) {
        if (i > 0) {
          ascii(",\n");
        }
        indent(level + 1);
        json(item(v, i), level + 1);
      }
      raw('\n');
      indent(level);
      raw(']');
    } else if (v.isTextual()) {
      quoted(v.textValue());
    } else if (v.isNull() || v.isMissingNode()) {
      ascii("null");
    } else {
      quotedOrAscii(v.asText());
    }
  }

  /** Text straight through (the JSON list's envelope). */
  void text(String s) {
    utf8(s);
  }

  // ---------------------------------------------------------------- fields

  private static JsonNode item(JsonNode array, int i) {
    return array.get(i);
  }

  private static Object[] sortedPairs(JsonNode node) {
    List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.size());
    node.properties().forEach(fields::add);
    fields.sort(Map.Entry.comparingByKey());
    Object[] pairs = new Object[fields.size() * 2];
    for (int i = 0; i < fields.size(); i++) {
      pairs[2 * i] = fields.get(i).getKey();
      pairs[2 * i + 1] = fields.get(i).getValue();
    }
    return pairs;
  }

  private static int pairCount(JsonNode node, Object[] pairs) {
    return pairs.length / 2;
  }

  private static final class PlainScalars {
    private PlainScalars() {}

    /** Whether {@code c} may start a plain scalar. */
    static boolean mayStart(char c) {
      return c < 0x80 && (CLASS[c] & FIRST) != 0;
    }

    /** Whether {@code c} may follow the first char of a plain scalar (a colon not as the last). */
    static boolean mayContinue(char c) {
      return c < 0x80 && (CLASS[c] & REST) != 0;
    }

    /** {@link #CLASS} bit: the char may start a plain scalar. */
    private static final byte FIRST = 1;

    /** {@link #CLASS} bit: the char may follow the first of a plain scalar (':' not last). */
    private static final byte REST = 2;

    /** For each ASCII char, whether it may start ({@link #FIRST}) or continue ({@link #REST}). */
    private static final byte[] CLASS = new byte[0x80];

    static {
      for (char c = 0; c < 0x80; c++) {
        boolean letter = isAsciiLetter(c);
        boolean first = letter || c == '_' || c == '/';
        boolean rest = first || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == ':';
        CLASS[c] = (byte) ((first ? FIRST : 0) | (rest ? REST : 0));
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

    static boolean isReserved(String s) {
      // every reserved word is short: skip the comparison (and any lower-casing) for the rest
      if (s.length() > 5 || s.isEmpty()) {
        return false;
      }
      // and starts with one of y, n, o, t, f in either case: most short names skip the loop
      switch (s.charAt(0) | 0x20) {
        case 'y', 'n', 'o', 't', 'f' -> {}
        default -> {
          return false;
        }
      }
      for (String r : RESERVED) {
        if (r.equalsIgnoreCase(s)) {
          return true;
        }
      }
      return false;
    }
  }
}
