package dev.lattice.spec;

import dev.lattice.model.SourceLocation;
import java.math.BigInteger;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Types a YAML scalar as the spec readers see it. A plain scalar takes the type YAML 1.1's schema
 * gives it (SnakeYAML's {@link Resolver}: {@code 8080} an integer, {@code true} or {@code yes} a
 * boolean, {@code ~} or nothing at all null); a quoted one is text; an explicit {@code !!int},
 * {@code !!float}, {@code !!bool}, {@code !!null} or {@code !!str} tag asks for that type. Integers
 * may be written in binary ({@code 0b1010}), octal ({@code 0755}), decimal or hexadecimal ({@code
 * 0x1F90}), with a sign and {@code _} separators; a sexagesimal {@code 1:30} is text.
 */
final class YamlScalars {
  /** The most digits a number may have; a port has five. */
  static final int MAX_DIGITS = 100;

  private static final String CORE = "tag:yaml.org,2002:";
  private static final Resolver RESOLVER = new Resolver();

  private YamlScalars() {}

  /** A scalar that cannot be read as the type it claims: the message and where to report it. */
  static final class Unreadable extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient SourceLocation at;
    final boolean tooLarge;

    Unreadable(String message, SourceLocation at, boolean tooLarge) {
      super(message, null, false, false);
      this.at = at;
      this.tooLarge = tooLarge;
    }
  }

  /**
   * The scalar of {@code event}, written at {@code at} and ending at {@code end}.
   *
   * @throws Unreadable for a number with more than {@link #MAX_DIGITS} digits, or text tagged
   *     {@code !!int} that is not one
   */
  static Node.Scalar read(ScalarEvent event, SourceLocation at, SourceLocation end) {
    String value = event.getValue();
    String tag = event.getTag();
    if (tag == null || tag.equals("!")) {
      Tag resolved =
          RESOLVER.resolve(NodeId.scalar, value, event.getImplicit().canOmitTagInPlainScalar());
      if (resolved.equals(Tag.INT)) {
        return integer(value, at, end);
      }
      if (resolved.equals(Tag.FLOAT)) {
        return new Node.Scalar(Node.Kind.FLOAT, value, null, false, at);
      }
      if (resolved.equals(Tag.BOOL)) {
        Boolean truth = bool(value);
        if (truth != null) {
          return new Node.Scalar(Node.Kind.BOOLEAN, value, null, truth, at);
        }
      } else if (resolved.equals(Tag.NULL)) {
        return new Node.Scalar(Node.Kind.NULL, "", null, false, at);
      }
      // strings, timestamps, binary, "<<" as a value, ...: their text is what counts
      return text(value, at);
    }
    String type = tag.startsWith(CORE) ? tag.substring(CORE.length()) : tag;
    int comma = type.indexOf(',');
    if (comma >= 0) {
      type = type.substring(0, comma);
    }
    if (type.equals("bool")) {
      Boolean truth = bool(value);
      return truth == null
          ? text(value, at)
          : new Node.Scalar(Node.Kind.BOOLEAN, value, null, truth, at);
    }
    if (!value.isEmpty()) {
      switch (type) {
        case "int":
          return integer(value, at, end);
        case "float":
          return new Node.Scalar(Node.Kind.FLOAT, value, null, false, at);
        case "null":
          return new Node.Scalar(Node.Kind.NULL, "", null, false, at);
        default:
          break;
      }
    }
    return text(value, at);
  }

  private static Node.Scalar text(String value, SourceLocation at) {
    return new Node.Scalar(Node.Kind.STRING, value, null, false, at);
  }

  /** YAML 1.1's booleans, in any case: y, yes, on, true; n, no, off, false. */
  private static Boolean bool(String value) {
    switch (value.length()) {
      case 1:
        char c = value.charAt(0);
        return c == 'y' || c == 'Y' ? Boolean.TRUE : c == 'n' || c == 'N' ? Boolean.FALSE : null;
      case 2:
        return "no".equalsIgnoreCase(value)
            ? Boolean.FALSE
            : "on".equalsIgnoreCase(value) ? Boolean.TRUE : null;
      case 3:
        return "yes".equalsIgnoreCase(value)
            ? Boolean.TRUE
            : "off".equalsIgnoreCase(value) ? Boolean.FALSE : null;
      case 4:
        return "true".equalsIgnoreCase(value) ? Boolean.TRUE : null;
      case 5:
        return "false".equalsIgnoreCase(value) ? Boolean.FALSE : null;
      default:
        return null;
    }
  }

  /**
   * An integer in any of YAML 1.1's bases; text when it is not one after all (a sexagesimal {@code
   * 1:30}, or a lone sign).
   */
  private static Node.Scalar integer(String value, SourceLocation at, SourceLocation end) {
    boolean negative = value.charAt(0) == '-';
    int i = negative || value.charAt(0) == '+' ? 1 : 0;
    if (i == value.length()) {
      return text(value, at);
    }
    if (value.charAt(i) == '0') {
      if (++i == value.length()) {
        return new Node.Scalar(Node.Kind.INTEGER, value, BigInteger.ZERO, false, at);
      }
      char c = value.charAt(i);
      if (c == 'b' || c == 'B') {
        return radix(value, value.substring(i + 1), 2, negative, at, end);
      }
      if (c == 'x' || c == 'X') {
        return radix(value, value.substring(i + 1), 16, negative, at, end);
      }
      if ((c >= '0' && c <= '9') || c == '_') {
        return radix(value, value.substring(i), 8, negative, at, end);
      }
      return text(value, at);
    }
    boolean underscores = false;
    for (int k = i; k < value.length(); k++) {
      char c = value.charAt(k);
      if (c == '_') {
        underscores = true;
      } else if (c < '0' || c > '9') {
        return text(value, at);
      }
    }
    // the digits as written (a '+' kept, underscores dropped with it); the sign counts as a digit
    String digits = value;
    if (underscores) {
      digits = (value.charAt(0) == '+' ? value.substring(1) : value).replace("_", "");
      if (digits.isEmpty() || digits.equals("-")) {
        throw new Unreadable("Invalid number ('" + value + "')", end, false);
      }
    }
    if (digits.length() - (negative ? 1 : 0) > 18 && digits.length() > MAX_DIGITS) {
      throw tooManyDigits(digits.length(), at);
    }
    return new Node.Scalar(Node.Kind.INTEGER, value, new BigInteger(digits), false, at);
  }

  private static Node.Scalar radix(
      String value,
      String digitsWithUnderscores,
      int radix,
      boolean negative,
      SourceLocation at,
      SourceLocation end) {
    String digits = digitsWithUnderscores.replace("_", "");
    int small = radix == 2 ? 63 : radix == 8 ? 21 : 15;
    if (digits.length() > small && digits.length() > MAX_DIGITS) {
      throw tooManyDigits(digits.length(), at);
    }
    BigInteger n;
    try {
      n =
          digits.length() <= small
              ? BigInteger.valueOf(Long.parseLong(digits, radix))
              : new BigInteger(digits, radix);
    } catch (NumberFormatException e) {
      throw new Unreadable(
          "Invalid base-" + radix + " number ('" + digits + "'), problem: " + e.getMessage(),
          end,
          false);
    }
    return new Node.Scalar(Node.Kind.INTEGER, value, negative ? n.negate() : n, false, at);
  }

  private static Unreadable tooManyDigits(int length, SourceLocation at) {
    return new Unreadable(
        "Number value length ("
            + length
            + ") exceeds the maximum allowed ("
            + MAX_DIGITS
            + "); Lattice does not read values this large",
        at,
        true);
  }
}
