package dev.lattice.verify.world;

import java.util.Arrays;
import java.util.Objects;

/**
 * An IPv4 or IPv6 address range ({@code 10.0.0.0/8}, {@code 2001:db8::/32}) or a single address,
 * parsed without touching the network.
 *
 * <pre>{@code
 * IpRange.parse("10.0.0.0/8").contains("10.1.2.3")   // true
 * }</pre>
 */
public final class IpRange {
  private final byte[] network;
  private final int prefix;
  private final String text;

  private IpRange(byte[] network, int prefix, String text) {
    this.network = network;
    this.prefix = prefix;
    this.text = text;
  }

  /**
   * Parses {@code cidr}: an address with a prefix length, or a bare address (a /32 or /128).
   *
   * @throws IllegalArgumentException when it is neither
   */
  public static IpRange parse(String cidr) {
    IpRange r = tryParse(cidr);
    if (r == null) {
      throw new IllegalArgumentException("\"" + cidr + "\" is not an IP address or CIDR");
    }
    return r;
  }

  /** Like {@link #parse(String)}, but returns null for text that is not a range. */
  public static IpRange tryParse(String cidr) {
    if (cidr == null || cidr.isEmpty()) {
      return null;
    }
    int slash = cidr.indexOf('/');
    String addr = slash < 0 ? cidr : cidr.substring(0, slash);
    byte[] bytes = address(addr);
    if (bytes == null) {
      return null;
    }
    int prefix = bytes.length * 8;
    if (slash >= 0) {
      String len = cidr.substring(slash + 1);
      if (len.isEmpty() || len.length() > 3 || !len.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return null;
      }
      prefix = Integer.parseInt(len);
      if (prefix > bytes.length * 8) {
        return null;
      }
    }
    return new IpRange(mask(bytes, prefix), prefix, cidr);
  }

  /** Whether {@code ip} is a valid IPv4 or IPv6 address (no prefix). */
  public static boolean isAddress(String ip) {
    return ip != null && ip.indexOf('/') < 0 && address(ip) != null;
  }

  /** Whether the address {@code ip} lies in this range; false for text that is not an address. */
  public boolean contains(String ip) {
    byte[] a = address(ip);
    return a != null && contains(a);
  }

  boolean contains(byte[] a) {
    if (a.length != network.length) {
      return false;
    }
    return Arrays.equals(mask(a, prefix), network);
  }

  /** Whether every address of {@code other} lies in this range. */
  public boolean covers(IpRange other) {
    return other.network.length == network.length
        && other.prefix >= prefix
        && Arrays.equals(mask(other.network, prefix), network);
  }

  /** The prefix length. */
  public int prefixLength() {
    return prefix;
  }

  /** Whether this is an IPv6 range. */
  public boolean isV6() {
    return network.length == 16;
  }

  /** The address {@code offset} places after the network address, in text form. */
  public String addressAt(long offset) {
    byte[] a = network.clone();
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
    return o instanceof IpRange
        && ((IpRange) o).prefix == prefix
        && Arrays.equals(((IpRange) o).network, network);
  }

  @Override
  public int hashCode() {
    return Objects.hash(prefix, Arrays.hashCode(network));
  }

  private static byte[] mask(byte[] a, int prefix) {
    byte[] out = new byte[a.length];
    for (int bit = 0; bit < prefix; bit++) {
      int i = bit / 8;
      int m = 0x80 >>> (bit % 8);
      out[i] |= (byte) (a[i] & m);
    }
    return out;
  }

  /** Parses an address; null when it is not one. */
  static byte[] address(String s) {
    if (s == null || s.isEmpty()) {
      return null;
    }
    return s.indexOf(':') >= 0 ? v6(s) : v4(s);
  }

  private static byte[] v4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return null;
      }
      int v = Integer.parseInt(p);
      if (v > 255) {
        return null;
      }
      out[i] = (byte) v;
    }
    return out;
  }

  private static byte[] v6(String s) {
    int dbl = s.indexOf("::");
    if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
      return null;
    }
    int[] head = groups(dbl >= 0 ? s.substring(0, dbl) : s);
    int[] tail = dbl >= 0 ? groups(s.substring(dbl + 2)) : new int[0];
    if (head == null || tail == null) {
      return null;
    }
    int n = head.length + tail.length;
    if (dbl < 0 ? n != 8 : n > 7) {
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

  private static int[] groups(String s) {
    if (s.isEmpty()) {
      return new int[0];
    }
    String[] parts = s.split(":", -1);
    int[] out = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
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
