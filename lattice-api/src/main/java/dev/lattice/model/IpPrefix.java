package dev.lattice.model;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * An IPv4 or IPv6 address range: an address and a prefix length ({@code 10.0.0.0/8}, {@code
 * 2001:db8::/32}), parsed without touching the network. The one parser of addresses in Lattice: the
 * model's CIDRs are checked with it, and the evaluators match rendered ranges with it.
 *
 * <p>IPv4 is four dotted decimal octets without leading zeros, IPv6 its RFC 4291 text form (with
 * {@code ::} and an optional trailing IPv4), without a zone; that is what Cilium's and Istio's Go
 * parsers ({@code netip.ParsePrefix}) accept. Two prefixes are equal when they hold the same
 * addresses: {@code 10.0.0.1/8} equals {@code 10.0.0.0/8}; {@link #toString()} is the text as
 * written.
 *
 * <pre>{@code
 * IpPrefix.parse("10.0.0.0/8").contains("10.1.2.3")   // true
 * }</pre>
 */
public final class IpPrefix {
  private final byte[] address;
  private final int length;
  private final String text;

  private IpPrefix(byte[] address, int length, String text) {
    this.address = address;
    this.length = length;
    this.text = text;
  }

  /**
   * Parses {@code cidr}: an address, a slash and a prefix length.
   *
   * @throws IllegalArgumentException when it is not one
   */
  public static IpPrefix parse(String cidr) {
    return tryParse(cidr)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "\"" + cidr + "\" is not a CIDR (e.g. 10.0.0.0/8 or 2001:db8::/32)"));
  }

  /** Like {@link #parse(String)}, but empty for text that is not a CIDR. */
  public static Optional<IpPrefix> tryParse(String cidr) {
    if (cidr == null) {
      return Optional.empty();
    }
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      return Optional.empty();
    }
    String len = cidr.substring(slash + 1);
    byte[] bytes = address(cidr.substring(0, slash));
    if (bytes == null || len.isEmpty() || len.length() > 3 || !digits(len)) {
      return Optional.empty();
    }
    int length = Integer.parseInt(len);
    if (length > bytes.length * 8) {
      return Optional.empty();
    }
    return Optional.of(new IpPrefix(bytes, length, cidr));
  }

  /**
   * Parses a CIDR, or a bare address as the range of that one address ({@code /32}, {@code /128}).
   *
   * @throws IllegalArgumentException when it is neither
   */
  public static IpPrefix parseRange(String text) {
    return tryParseRange(text)
        .orElseThrow(
            () -> new IllegalArgumentException("\"" + text + "\" is not an IP address or CIDR"));
  }

  /**
   * A CIDR, or a bare address read as the range of that one address ({@code /32}, {@code /128}), as
   * Cilium's {@code toCIDR} and Istio's {@code ipBlocks} read them; empty for anything else.
   */
  public static Optional<IpPrefix> tryParseRange(String text) {
    if (text != null && text.indexOf('/') < 0) {
      byte[] bytes = address(text);
      return bytes == null
          ? Optional.empty()
          : Optional.of(new IpPrefix(bytes, bytes.length * 8, text));
    }
    return tryParse(text);
  }

  /** Whether {@code ip} is one IPv4 or IPv6 address (no prefix length). */
  public static boolean isAddress(String ip) {
    return ip != null && ip.indexOf('/') < 0 && address(ip) != null;
  }

  /** The prefix length. */
  public int length() {
    return length;
  }

  /** Whether this is an IPv6 range. */
  public boolean isV6() {
    return address.length == 16;
  }

  /** Whether the address has bits set past the prefix length ({@code 10.0.0.1/8}). */
  public boolean hasHostBits() {
    return !Arrays.equals(address, mask(address, length));
  }

  /**
   * The network address in text form: dotted decimal, or eight hexadecimal groups without {@code
   * ::} ({@code 2001:db8:0:0:0:0:0:0}).
   */
  public String network() {
    return format(mask(address, length));
  }

  /** Whether the address {@code ip} lies in this range; false for text that is not an address. */
  public boolean contains(String ip) {
    byte[] a = ip == null || ip.indexOf('/') >= 0 ? null : address(ip);
    return a != null
        && a.length == address.length
        && Arrays.equals(mask(a, length), mask(address, length));
  }

  /** Whether every address of {@code other} lies in this range. */
  public boolean covers(IpPrefix other) {
    return other.address.length == address.length
        && other.length >= length
        && Arrays.equals(mask(other.address, length), mask(address, length));
  }

  /**
   * The address {@code offset} places after the network address, in the form of {@link #network}.
   */
  public String addressAt(long offset) {
    byte[] a = mask(address, length);
    long carry = offset;
    for (int i = a.length - 1; i >= 0 && carry != 0; i--) {
      long v = (a[i] & 0xff) + (carry & 0xff);
      a[i] = (byte) v;
      carry = (carry >>> 8) + (v >>> 8);
    }
    return format(a);
  }

  /** The text it was parsed from. */
  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpPrefix p
        && p.length == length
        && Arrays.equals(mask(p.address, length), mask(address, length));
  }

  @Override
  public int hashCode() {
    return Objects.hash(length, Arrays.hashCode(mask(address, length)));
  }

  // ---------------------------------------------------------------- parsing

  /** An IPv4 or IPv6 address; null when {@code s} is not one. */
  private static byte[] address(String s) {
    if (s.isEmpty()) {
      return null;
    }
    return s.indexOf(':') >= 0 ? v6(s) : v4(s);
  }

  /** Four dotted decimal octets, each 0..255 without leading zeros; null otherwise. */
  private static byte[] v4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      String part = parts[i];
      if (part.isEmpty()
          || part.length() > 3
          || !digits(part)
          || (part.length() > 1 && part.charAt(0) == '0')) {
        return null;
      }
      int v = Integer.parseInt(part);
      if (v > 255) {
        return null;
      }
      out[i] = (byte) v;
    }
    return out;
  }

  /** An IPv6 address in RFC 4291 text form (with :: and an optional trailing IPv4); or null. */
  private static byte[] v6(String s) {
    if (s.indexOf('%') >= 0) {
      return null;
    }
    int dbl = s.indexOf("::");
    if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
      return null;
    }
    int[] head = groups(dbl >= 0 ? s.substring(0, dbl) : s, dbl < 0);
    int[] tail = dbl >= 0 ? groups(s.substring(dbl + 2), true) : new int[0];
    if (head == null || tail == null) {
      return null;
    }
    int total = head.length + tail.length;
    if (dbl < 0 ? total != 8 : total > 7) {
      return null;
    }
    int[] all = new int[8];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(tail, 0, all, 8 - tail.length, tail.length);
    byte[] out = new byte[16];
    for (int i = 0; i < 8; i++) {
      out[2 * i] = (byte) (all[i] >>> 8);
      out[2 * i + 1] = (byte) all[i];
    }
    return out;
  }

  /** Colon-separated hex groups; the last may be a dotted IPv4 when {@code v4Tail} (2 groups). */
  private static int[] groups(String s, boolean v4Tail) {
    if (s.isEmpty()) {
      return new int[0];
    }
    String[] parts = s.split(":", -1);
    int n = parts.length;
    boolean hasV4 = v4Tail && parts[n - 1].indexOf('.') >= 0;
    int[] out = new int[hasV4 ? n + 1 : n];
    for (int i = 0; i < n; i++) {
      String p = parts[i];
      if (hasV4 && i == n - 1) {
        byte[] v4 = v4(p);
        if (v4 == null) {
          return null;
        }
        out[i] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
        out[i + 1] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
        continue;
      }
      if (p.isEmpty() || p.length() > 4) {
        return null;
      }
      int v = 0;
      for (int k = 0; k < p.length(); k++) {
        int d = Character.digit(p.charAt(k), 16);
        if (d < 0) {
          return null;
        }
        v = v * 16 + d;
      }
      out[i] = v;
    }
    return out;
  }

  private static boolean digits(String s) {
    return s.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  private static byte[] mask(byte[] a, int length) {
    byte[] out = new byte[a.length];
    for (int bit = 0; bit < length; bit++) {
      int i = bit / 8;
      out[i] |= (byte) (a[i] & (0x80 >>> (bit % 8)));
    }
    return out;
  }

  private static String format(byte[] a) {
    if (a.length == 4) {
      return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 16; i += 2) {
      if (i > 0) {
        sb.append(':');
      }
      sb.append(Integer.toHexString(((a[i] & 0xff) << 8) | (a[i + 1] & 0xff)));
    }
    return sb.toString();
  }
}
