package dev.lattice.cilium;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.internal.CompactNodeFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Content-defined boundaries for the runs a large policy is cut into (the DNS groups of {@code
 * rules.dns}, and the parts of a policy too large for one document). A run ends after an item whose
 * key hash is a marker, or before the item that would take it past its cap (a run holds at least
 * one item). An item of {@code size} bytes is a marker when its hash, read as an unsigned 32-bit
 * number, is below {@code size * 2^32 / target}: a run then holds about {@code target} bytes
 * whatever its items weigh, and since a marker depends only on the item, inserting or removing an
 * item moves the boundaries of its own run and of the run after it at most, not of every run after
 * it as a greedy cut does. Markers are used only when the items do not fit in one run, so a policy
 * that is not cut is cut no more than before.
 *
 * <p>The hash is 32-bit FNV-1a (offset basis 2166136261, prime 16777619) over UTF-8 bytes: fixed
 * and the same on every platform.
 */
final class Boundaries {
  private static final int OFFSET = 0x811c9dc5;
  private static final int PRIME = 0x01000193;

  private Boundaries() {}

  /** FNV-1a of the UTF-8 bytes of {@code s}. */
  static int hash(String s) {
    return add(OFFSET, s);
  }

  /**
   * FNV-1a over the field names and scalar texts of {@code node}, depth first, an object's fields
   * in key order (the canonical order its YAML is written in, whether or not it is frozen yet),
   * each name and text followed by a zero byte.
   */
  static int hash(JsonNode node) {
    return add(OFFSET, node);
  }

  private static int add(int h, JsonNode node) {
    Object[] pairs = CompactNodeFactory.frozenPairs(node);
    if (pairs != null) {
      // frozen: its fields sorted by key already, read in place
      for (int i = 0, n = node.size() * 2; i < n; i += 2) {
        h = add(h, (String) pairs[i]);
        h = add(h, (JsonNode) pairs[i + 1]);
      }
      return h;
    }
    if (node.isObject()) {
      List<String> keys = new ArrayList<>(node.size());
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        keys.add(field.getKey());
      }
      keys.sort(null);
      for (String key : keys) {
        h = add(h, key);
        h = add(h, node.get(key));
      }
      return h;
    }
    if (node.isArray()) {
      for (int i = 0, n = node.size(); i < n; i++) {
        h = add(h, CompactNodeFactory.item(node, i));
      }
      return h;
    }
    return add(h, node.isTextual() ? node.textValue() : node.asText());
  }

  /**
   * FNV-1a over the UTF-8 bytes of {@code s} (as {@code getBytes(UTF_8)} gives them: an unpaired
   * surrogate is {@code '?'}), then a zero byte; encoded here, without an array per string (a
   * scraper's policy hashes about 800,000 names).
   */
  private static int add(int h, String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        h = (h ^ c) * PRIME;
      } else if (c < 0x800) {
        h = (h ^ (0xc0 | c >> 6)) * PRIME;
        h = (h ^ (0x80 | (c & 0x3f))) * PRIME;
      } else if (!Character.isSurrogate(c)) {
        h = (h ^ (0xe0 | c >> 12)) * PRIME;
        h = (h ^ (0x80 | (c >> 6 & 0x3f))) * PRIME;
        h = (h ^ (0x80 | (c & 0x3f))) * PRIME;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        h = (h ^ (0xf0 | cp >> 18)) * PRIME;
        h = (h ^ (0x80 | (cp >> 12 & 0x3f))) * PRIME;
        h = (h ^ (0x80 | (cp >> 6 & 0x3f))) * PRIME;
        h = (h ^ (0x80 | (cp & 0x3f))) * PRIME;
      } else {
        h = (h ^ '?') * PRIME;
      }
    }
    return h * PRIME; // the zero byte: h ^ 0 is h
  }

  /**
   * Whether an item of {@code size} bytes with {@code hash} ends its run, runs of {@code target}.
   */
  static boolean marker(int hash, int size, int target) {
    return Integer.toUnsignedLong(hash) * Math.max(1, target) < ((long) Math.max(0, size) << 32);
  }
}
