package dev.lattice.cilium;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.internal.CompactNodeFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Boundaries#hash} is FNV-1a over the UTF-8 bytes {@code String.getBytes} gives (unpaired
 * surrogates as {@code '?'}), and over a tree's field names (in key order) and scalar texts each
 * followed by a zero byte, whether the tree is Jackson's, this module's factory's, or frozen (read
 * in place). The reference here is the plain definition. {@code -Dlattice.seed=N} replays one seed,
 * {@code -Dlattice.tries=N} sets how many run.
 */
class BoundariesProperties {
  @Test
  void hashIsFnv1aOfTheUtf8BytesAndOfTheTreeInKeyOrder() {
    for (long seed : PropertySeeds.list(500)) {
      try {
        Random random = new Random(seed);
        String s = text(random);
        assertThat(Boundaries.hash(s)).as("%s", s).isEqualTo(reference(0x811c9dc5, s));
        JsonNode plain = tree(random, JsonNodeFactory.instance, 3);
        JsonNode compact = tree(random, CompactNodeFactory.INSTANCE, 3);
        for (JsonNode node : List.of(plain, compact)) {
          int want = reference(0x811c9dc5, node);
          assertThat(Boundaries.hash(node)).as("%s", node).isEqualTo(want);
          JsonNode frozen = CompactNodeFactory.freeze(node);
          assertThat(Boundaries.hash(frozen)).as("frozen %s", node).isEqualTo(want);
        }
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("seed " + seed + " (replay with -Dlattice.seed=" + seed + ")", e);
      }
    }
  }

  private static final String ALPHABET = "abz.-*09é\u00ff\u07ff\u0800ä¸\uffff";

  /** ASCII mostly, with 2- and 3-byte characters, surrogate pairs and lone surrogates. */
  private static String text(Random random) {
    StringBuilder b = new StringBuilder();
    // sometimes long (a DNS name can have 253 characters)
    for (int i = random.nextInt(random.nextInt(8) == 0 ? 300 : 12); i > 0; i--) {
      switch (random.nextInt(8)) {
        case 0 -> b.appendCodePoint(0x10000 + random.nextInt(0x100000)); // a pair
        case 1 -> b.append((char) (0xd800 + random.nextInt(0x800))); // often a lone one
        case 2 -> b.append((char) random.nextInt(0x10000));
        default -> b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      }
    }
    return b.toString();
  }

  private static JsonNode tree(Random random, JsonNodeFactory f, int depth) {
    int kind = depth == 0 ? 2 + random.nextInt(2) : random.nextInt(4);
    if (kind == 0) {
      ObjectNode o = f.objectNode();
      for (int i = random.nextInt(5); i > 0; i--) {
        o.set(text(random), tree(random, f, depth - 1));
      }
      return o;
    }
    if (kind == 1) {
      ArrayNode a = f.arrayNode();
      for (int i = random.nextInt(5); i > 0; i--) {
        a.add(tree(random, f, depth - 1));
      }
      return a;
    }
    return kind == 2 ? f.textNode(text(random)) : f.numberNode(random.nextInt(100000));
  }

  private static int reference(int h, String s) {
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x01000193;
    }
    return h * 0x01000193;
  }

  private static int reference(int h, JsonNode node) {
    if (node.isObject()) {
      List<String> keys = new ArrayList<>();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        keys.add(e.getKey());
      }
      keys.sort(null);
      for (String k : keys) {
        h = reference(reference(h, k), node.get(k));
      }
      return h;
    }
    if (node.isArray()) {
      for (JsonNode item : node) {
        h = reference(h, item);
      }
      return h;
    }
    return reference(h, node.asText());
  }
}
