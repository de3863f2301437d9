package dev.lattice.output;

import dev.lattice.internal.PlainScalars;
import dev.lattice.internal.PlainText;
import dev.lattice.internal.QuotedText;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The byte layer of {@link Writers}: UTF-8 written straight into one 64 KiB buffer that goes to the
 * target whenever it fills, and the scalars of YAML and JSON, plain or double-quoted and escaped.
 * Text nodes that {@link dev.lattice.internal.CompactNodeFactory} classified when it made them
 * ({@link PlainText}, {@link QuotedText}) are copied with no check; mapping keys are encoded once
 * and remembered; any other string is checked and encoded char by char as it is copied.
 */
class Utf8Buffer {
  static final int CAPACITY = 1 << 16;

  /** Room kept free for one character (at most 4 bytes of UTF-8) or one piece of punctuation. */
  static final int SLACK = 16;

  private static final byte[] SPACES = " ".repeat(256).getBytes(StandardCharsets.US_ASCII);
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private final byte[] buf = new byte[CAPACITY];
  private int pos;
  private final OutputStream stream;
  private final Appendable text;

  Utf8Buffer(OutputStream stream, Appendable text) {
    this.stream = stream;
    this.text = text;
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

  // ---------------------------------------------------------------- bytes

  void room(int n) {
    if (pos + n > buf.length) {
      flush();
    }
  }

  void raw(char c) {
    if (pos + SLACK > buf.length) {
      flush();
    }
    buf[pos++] = (byte) c;
  }

  /** ASCII text that needs no escaping (punctuation, digits, plain scalars). */
  void ascii(String s) {
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

  void indent(int level) {
    int n = level * 2;
    if (n <= SPACES.length && pos + n <= buf.length) {
      System.arraycopy(SPACES, 0, buf, pos, n);
      pos += n;
      return;
    }
    while (n > 0) {
      int k = Math.min(n, SPACES.length);
      room(k);
      System.arraycopy(SPACES, 0, buf, pos, k);
      pos += k;
      n -= k;
    }
  }

  /** Two ASCII chars; the caller made {@link #SLACK} room. */
  void put2(char a, char b) {
    buf[pos] = (byte) a;
    buf[pos + 1] = (byte) b;
    pos += 2;
  }

  /** Four ASCII chars; the caller made {@link #SLACK} room. */
  void put4(char a, char b, char c, char d) {
    buf[pos] = (byte) a;
    buf[pos + 1] = (byte) b;
    buf[pos + 2] = (byte) c;
    buf[pos + 3] = (byte) d;
    pos += 4;
  }

  void newline() {
    if (pos == buf.length) {
      flush();
    }
    buf[pos++] = '\n';
  }

  /**
   * The text of a {@link PlainText} or {@link QuotedText}: ASCII, so its chars are its bytes,
   * copied in one call ({@code String.getBytes(int, int, byte[], int)} keeps the low byte of each
   * char, exact for ASCII; it is deprecated for every other text). Leaves {@link #SLACK} room after
   * it.
   */
  @SuppressWarnings("deprecation")
  void plain(String s) {
    int n = s.length();
    if (pos + n + SLACK > buf.length) {
      flush();
      if (n + SLACK > buf.length) {
        ascii(s);
        room(SLACK);
        return;
      }
    }
    s.getBytes(0, n, buf, pos);
    pos += n;
  }

  /** The text of a {@link QuotedText} in double quotes: nothing in it needs an escape. */
  void verbatimQuoted(String s) {
    raw('"');
    plain(s);
    buf[pos++] = '"';
  }

  /** Keys already written, by text: their bytes in the YAML. Keys are few and repeat endlessly. */
  private static final int KEY_SLOTS = 1 << 12;

  /** Keys up to this long are remembered; a key of 64 chars takes at most 6 * 64 + 2 bytes. */
  private static final int KEY_MAX = 64;

  /**
   * A direct-mapped table shared by every writer: a slot holds one immutable pair, replaced whole,
   * so a writer on another thread reads either a whole pair or the previous one.
   */
  private static final EncodedKey[] KEYS = new EncodedKey[KEY_SLOTS];

  private record EncodedKey(String text, byte[] yaml) {}

  /** A mapping key, plain or quoted as {@link #scalar} writes it. */
  void key(String k) {
    int h = k.hashCode();
    int slot = (h ^ (h >>> 16)) & (KEY_SLOTS - 1);
    EncodedKey e = KEYS[slot];
    if (e != null && (e.text == k || e.text.equals(k))) {
      byte[] b = e.yaml;
      if (pos + b.length + SLACK > buf.length) {
        flush();
      }
      System.arraycopy(b, 0, buf, pos, b.length);
      pos += b.length;
      return;
    }
    if (k.length() > KEY_MAX) {
      scalar(k);
      return;
    }
    room(6 * KEY_MAX + 2 + SLACK);
    int start = pos;
    scalar(k);
    KEYS[slot] = new EncodedKey(k, Arrays.copyOfRange(buf, start, pos));
  }

  /** Text Jackson made of a number or boolean: ASCII in practice, escaped if ever not. */
  void quotedOrAscii(String s) {
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
  void scalar(String s) {
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
  void quoted(String s) {
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

  void utf8(String s) {
    for (int i = 0; i < s.length(); i++) {
      i = utf8(s, i);
    }
  }

  /**
   * Encodes the character at {@code i} (with its low surrogate, when it is a high one) as UTF-8, or
   * {@code ?} for a lone surrogate, as Java's encoders do; returns the index of its last char.
   */
  int utf8(String s, int i) {
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

  /** Text straight through (the JSON list's envelope). */
  void text(String s) {
    utf8(s);
  }
}
