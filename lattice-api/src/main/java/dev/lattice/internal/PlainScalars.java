package dev.lattice.internal;

/**
 * Which strings the writers may leave plain in YAML: those that YAML 1.1 and 1.2 parsers both read
 * back as the same string. A plain scalar starts with an ASCII letter, {@code _} or {@code /},
 * continues with letters, digits, {@code - _ . /} and {@code :} (not last), and is not a word YAML
 * 1.1 reads as a boolean or null. The YAML writer checks keys and foreign text nodes with it;
 * {@link TextNodes} checks each text node of {@link CompactNodeFactory} once, when it is made.
 */
public final class PlainScalars {
  private PlainScalars() {}

  /** Whether {@code c} may start a plain scalar. */
  public static boolean mayStart(char c) {
    return c < 0x80 && (CLASS[c] & FIRST) != 0;
  }

  /** Whether {@code c} may follow the first char of a plain scalar (a colon not as the last). */
  public static boolean mayContinue(char c) {
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

  /** Whether the YAML writers write {@code s} plain, not in double quotes. */
  public static boolean isPlainSafe(String s) {
    int n = s.length();
    if (n == 0 || !mayStart(s.charAt(0))) {
      return false;
    }
    char c = 0;
    for (int i = 1; i < n; i++) {
      c = s.charAt(i);
      if (!mayContinue(c)) {
        return false;
      }
    }
    // a colon may not end a plain scalar; short words may be YAML 1.1 booleans or null
    return c != ':' && !isReserved(s);
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /** Words YAML 1.1 reads as booleans or null. */
  private static final String[] RESERVED = {
    "y", "n", "yes", "no", "on", "off", "true", "false", "null"
  };

  public static boolean isReserved(String s) {
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
