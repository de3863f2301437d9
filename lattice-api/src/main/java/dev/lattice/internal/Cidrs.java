package dev.lattice.internal;

/** Internal: parses IPv4 and IPv6 CIDRs without touching the network (no InetAddress). */
public final class Cidrs {
  private Cidrs() {}

  /**
   * Parses {@code cidr} into 17 bytes: byte 0 the prefix length, bytes 1..16 the address (IPv4 as
   * the first 4 of them, the rest zero) — or returns null when it is not a CIDR.
   */
  public static byte[] parse(String cidr) {
    if (cidr == null) {
      return null;
    }
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      return null;
    }
    String addr = cidr.substring(0, slash);
    String len = cidr.substring(slash + 1);
    if (len.isEmpty() || len.length() > 3 || !len.chars().allMatch(Character::isDigit)) {
      return null;
    }
    int prefix = Integer.parseInt(len);
    byte[] bytes = addr.indexOf(':') >= 0 ? parseV6(addr) : parseV4(addr);
    if (bytes == null || prefix > bytes.length * 8) {
      return null;
    }
    byte[] out = new byte[17];
    out[0] = (byte) prefix;
    System.arraycopy(bytes, 0, out, 1, bytes.length);
    return out;
  }

  /** Whether {@code cidr} is IPv6. */
  public static boolean isV6(String cidr) {
    return cidr.indexOf(':') >= 0;
  }

  /** Null when {@code cidr} is a valid, canonical CIDR; otherwise what is wrong. */
  static String check(String cidr) {
    if (cidr == null || cidr.isEmpty()) {
      return "a CIDR must not be empty";
    }
    if (cidr.indexOf('/') < 0) {
      boolean v6 = cidr.indexOf(':') >= 0;
      if ((v6 ? parseV6(cidr) : parseV4(cidr)) != null) {
        return "CIDR \""
            + cidr
            + "\" has no prefix length; write \""
            + cidr
            + (v6 ? "/128" : "/32")
            + "\" for one address";
      }
      return "\"" + cidr + "\" is not a CIDR (e.g. 10.0.0.0/8 or 2001:db8::/32)";
    }
    byte[] p = parse(cidr);
    if (p == null) {
      return "\"" + cidr + "\" is not a CIDR (e.g. 10.0.0.0/8 or 2001:db8::/32)";
    }
    int prefix = p[0] & 0xff;
    int bytes = isV6(cidr) ? 16 : 4;
    for (int bit = prefix; bit < bytes * 8; bit++) {
      if ((p[1 + bit / 8] & (0x80 >>> (bit % 8))) != 0) {
        return "CIDR \""
            + cidr
            + "\" has bits set past its /"
            + prefix
            + " prefix; write the network address "
            + canonicalNetwork(p, bytes)
            + "/"
            + prefix;
      }
    }
    return null;
  }

  private static String canonicalNetwork(byte[] p, int bytes) {
    int prefix = p[0] & 0xff;
    byte[] a = new byte[bytes];
    for (int bit = 0; bit < prefix; bit++) {
      if ((p[1 + bit / 8] & (0x80 >>> (bit % 8))) != 0) {
        a[bit / 8] |= (byte) (0x80 >>> (bit % 8));
      }
    }
    if (bytes == 4) {
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

  /** Four dotted decimal octets, each 0..255 without leading zeros; null otherwise. */
  public static byte[] parseV4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      String part = parts[i];
      if (part.isEmpty()
          || part.length() > 3
          || !part.chars().allMatch(Character::isDigit)
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
  public static byte[] parseV6(String s) {
    if (s.isEmpty() || s.indexOf('%') >= 0) {
      return null;
    }
    int dbl = s.indexOf("::");
    if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
      return null;
    }
    String head = dbl >= 0 ? s.substring(0, dbl) : s;
    String tail = dbl >= 0 ? s.substring(dbl + 2) : "";
    int[] h = groups(head, dbl < 0);
    int[] t = groups(tail, true);
    if (h == null || t == null) {
      return null;
    }
    int total = h.length + t.length;
    if (dbl < 0 ? total != 8 : total > 7) {
      return null;
    }
    byte[] out = new byte[16];
    int[] all = new int[8];
    System.arraycopy(h, 0, all, 0, h.length);
    System.arraycopy(t, 0, all, 8 - t.length, t.length);
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
        byte[] v4 = parseV4(p);
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
}
