package dev.lattice.crd;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The string {@code format}s the Kubernetes API server checks for CRDs (kube-openapi's {@code
 * strfmt} registry), restricted to those a conformance check can decide exactly: {@code ipv4},
 * {@code ipv6}, {@code cidr}, {@code date-time}, {@code date} and {@code uuid}. IP addresses are
 * parsed the "sloppy" way Kubernetes does for backward compatibility (IPv4 octets may carry leading
 * zeros). Every other format name (e.g. {@code idn-hostname}, which the registry does not know, or
 * {@code byte}, {@code uri}) is accepted without a check: being conservative means never rejecting
 * what the API server accepts.
 */
final class Formats {
  private static final Pattern UUID =
      Pattern.compile(
          "^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$");

  private Formats() {}

  /** Normalises a format name as the registry does: lower case, without '-' and '_'. */
  static String normalize(String format) {
    return format.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
  }

  /**
   * Null when {@code value} conforms to {@code format} (or the format is not checked), else what is
   * wrong.
   */
  static String check(String normalizedFormat, String value) {
    switch (normalizedFormat) {
      case "ipv4":
        return value.indexOf('.') >= 0 && parseIp(value) != null ? null : "an IPv4 address";
      case "ipv6":
        return value.indexOf(':') >= 0 && parseIp(value) != null ? null : "an IPv6 address";
      case "cidr":
        return parseCidr(value) != null ? null : "a CIDR such as 10.0.0.0/8 or fd00::/8";
      case "datetime":
        return isDateTime(value) ? null : "an RFC 3339 date-time such as 2026-01-01T00:00:00Z";
      case "date":
        return isDate(value) ? null : "an RFC 3339 full-date such as 2026-01-01";
      case "uuid":
        return UUID.matcher(value).matches() ? null : "a UUID";
      default:
        return null;
    }
  }

  /** True when the normalised format name is one this class checks. */
  static boolean isChecked(String normalizedFormat) {
    switch (normalizedFormat) {
      case "ipv4":
      case "ipv6":
      case "cidr":
      case "datetime":
      case "date":
      case "uuid":
        return true;
      default:
        return false;
    }
  }

  private static boolean isDateTime(String value) {
    try {
      OffsetDateTime.parse(value.replace(' ', 'T').replace('t', 'T').replace('z', 'Z'));
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static boolean isDate(String value) {
    try {
      LocalDate.parse(value);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  /**
   * A prefix: its address bytes (4 or 16) and its length in bits; IPv4-mapped IPv6 addresses stay
   * 16 bytes, as in Go.
   */
  static final class Prefix {
    final byte[] address;
    final int bits;

    Prefix(byte[] address, int bits) {
      this.address = address;
      this.bits = bits;
    }

    /** True when {@code other}'s address lies inside this prefix (same family). */
    boolean contains(Prefix other) {
      if (other.address.length != address.length) {
        return false;
      }
      for (int bit = 0; bit < bits; bit++) {
        int mask = 0x80 >>> (bit % 8);
        if ((address[bit / 8] & mask) != (other.address[bit / 8] & mask)) {
          return false;
        }
      }
      return true;
    }
  }

  /** Parses {@code addr/len}; null if malformed. */
  static Prefix parseCidr(String value) {
    int slash = value.indexOf('/');
    if (slash < 0 || slash != value.lastIndexOf('/')) {
      return null;
    }
    byte[] address = parseIp(value.substring(0, slash));
    String len = value.substring(slash + 1);
    if (address == null || len.isEmpty() || len.length() > 3 || !allDigits(len)) {
      return null;
    }
    int bits = Integer.parseInt(len);
    if (bits > address.length * 8) {
      return null;
    }
    return new Prefix(address, bits);
  }

  /** Parses an IPv4 or IPv6 address (no zone); null if malformed. */
  static byte[] parseIp(String s) {
    if (s.indexOf(':') >= 0) {
      return parseIpv6(s);
    }
    return parseIpv4(s);
  }

  private static byte[] parseIpv4(String s) {
    byte[] out = new byte[4];
    int part = 0;
    int i = 0;
    while (part < 4) {
      int start = i;
      int n = 0;
      while (i < s.length() && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
        n = n * 10 + (s.charAt(i) - '0');
        if (n > 255) {
          return null;
        }
        i++;
      }
      if (i == start) {
        return null;
      }
      out[part++] = (byte) n;
      if (part < 4) {
        if (i >= s.length() || s.charAt(i) != '.') {
          return null;
        }
        i++;
      }
    }
    return i == s.length() ? out : null;
  }

  private static byte[] parseIpv6(String s) {
    byte[] out = new byte[16];
    int ellipsis = -1;
    int j = 0; // bytes written
    int i = 0;
    if (s.startsWith("::")) {
      ellipsis = 0;
      i = 2;
      if (i == s.length()) {
        return out;
      }
    }
    while (i < s.length()) {
      int start = i;
      int n = 0;
      while (i < s.length() && Character.digit(s.charAt(i), 16) >= 0 && s.charAt(i) < 128) {
        n = n * 16 + Character.digit(s.charAt(i), 16);
        i++;
        if (i - start > 4) {
          return null;
        }
      }
      if (i == start) {
        return null;
      }
      if (i < s.length() && s.charAt(i) == '.') {
        // a trailing dotted IPv4 address
        if (ellipsis < 0 && j != 12) {
          return null;
        }
        if (j + 4 > 16) {
          return null;
        }
        byte[] v4 = parseIpv4(s.substring(start));
        if (v4 == null) {
          return null;
        }
        System.arraycopy(v4, 0, out, j, 4);
        j += 4;
        i = s.length();
        break;
      }
      if (j + 2 > 16) {
        return null;
      }
      out[j++] = (byte) (n >> 8);
      out[j++] = (byte) n;
      if (i == s.length()) {
        break;
      }
      if (s.charAt(i) != ':' || i + 1 == s.length()) {
        return null;
      }
      i++;
      if (s.charAt(i) == ':') {
        if (ellipsis >= 0) {
          return null;
        }
        ellipsis = j;
        i++;
        if (i == s.length()) {
          break;
        }
      }
    }
    if (j < 16) {
      if (ellipsis < 0) {
        return null;
      }
      int n = 16 - j;
      for (int k = j - 1; k >= ellipsis; k--) {
        out[k + n] = out[k];
      }
      for (int k = ellipsis + n - 1; k >= ellipsis; k--) {
        out[k] = 0;
      }
    } else if (ellipsis >= 0) {
      return null; // "::" must stand for at least one group
    }
    return out;
  }

  static boolean allDigits(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return !s.isEmpty();
  }
}
