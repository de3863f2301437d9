package dev.lattice.output;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Derives readable resource names: the name as it is when it fits, otherwise a prefix of it and a
 * short stable hash of the whole, so distinct long names stay distinct.
 */
public final class ResourceNames {
  /** The limit of a DNS-1123 label (Services, label values). */
  public static final int LABEL_LIMIT = 63;

  /** The limit of a DNS-1123 subdomain (most object names). */
  public static final int SUBDOMAIN_LIMIT = 253;

  private ResourceNames() {}

  /**
   * {@code name} when it has at most {@code limit} characters; otherwise its first characters, a
   * {@code -} and 8 hex digits of its SHA-256, {@code limit} characters in all.
   */
  public static String fit(String name, int limit) {
    if (name.length() <= limit) {
      return name;
    }
    String hash = sha256Hex(name).substring(0, 8);
    String prefix = name.substring(0, limit - 9);
    while (prefix.endsWith("-") || prefix.endsWith(".")) {
      prefix = prefix.substring(0, prefix.length() - 1);
    }
    return prefix + "-" + hash;
  }

  /** {@code parts} joined with {@code -}, fitted to {@code limit}. */
  public static String join(int limit, String... parts) {
    return fit(String.join("-", parts), limit);
  }

  private static String sha256Hex(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder();
      for (byte b : d) {
        sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
