package dev.lattice.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The allocation-free estimate is the formula the renderers split documents by, read through
 * Jackson's own API: any difference would move a split and change the output.
 */
class YamlSizesTest {
  static Stream<Long> seeds() {
    return Stream.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
  }

  /** The renderers' formula as they wrote it before, through Jackson's iterators and asText(). */
  private static int reference(JsonNode node) {
    if (node.isObject()) {
      int total = 2;
      for (Map.Entry<String, JsonNode> f : node.properties()) {
        total += f.getKey().length() + 12 + reference(f.getValue());
      }
      return total;
    }
    if (node.isArray()) {
      int total = 2;
      for (JsonNode item : node) {
        total += 12 + reference(item);
      }
      return total;
    }
    return node.asText().length() + 2;
  }

  private static void fill(ObjectNode o, Random r, int depth) {
    // past LINEAR_LIMIT fields an object keeps them in a hash map: both layouts are covered
    int fields = r.nextInt(10) == 0 ? CompactNodeFactory.LINEAR_LIMIT + 3 : r.nextInt(5);
    for (int i = 0; i < fields; i++) {
      String key = "k" + "x".repeat(r.nextInt(6)) + i;
      switch (depth > 3 ? r.nextInt(6) : r.nextInt(8)) {
        case 0 -> o.put(key, r.nextInt());
        case 1 -> o.put(key, r.nextBoolean());
        case 2 -> o.putNull(key);
        case 3 -> o.put(key, r.nextLong());
        case 4 -> o.put(key, r.nextDouble());
        case 5 -> o.put(key, "v".repeat(r.nextInt(20)));
        case 6 -> fill(o.putObject(key), r, depth + 1);
        default -> {
          ArrayNode a = o.putArray(key);
          for (int k = r.nextInt(4); k > 0; k--) {
            if (r.nextBoolean()) {
              a.add(r.nextInt(2001) - 1000);
            } else {
              fill(a.addObject(), r, depth + 1);
            }
          }
        }
      }
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void matchesTheFormulaOnCompactPlainAndFrozenTrees(long seed) {
    for (int i = 0; i < 200; i++) {
      ObjectNode compact = CompactNodeFactory.INSTANCE.objectNode();
      fill(compact, new Random(seed * 1000 + i), 0);
      ObjectNode plain = JsonNodeFactory.instance.objectNode();
      fill(plain, new Random(seed * 1000 + i), 0);
      assertThat(YamlSizes.estimate(compact)).isEqualTo(reference(compact));
      assertThat(YamlSizes.estimate(plain)).isEqualTo(reference(plain));
      assertThat(YamlSizes.estimate(CompactNodeFactory.freeze(compact)))
          .isEqualTo(reference(plain));
    }
  }

  @Test
  void countsTheDigitsOfEveryKindOfInt() {
    int[] values = {
      0,
      1,
      -1,
      9,
      10,
      -9,
      -10,
      99,
      100,
      999_999_999,
      1_000_000_000,
      -1_000_000_000,
      Integer.MAX_VALUE,
      Integer.MIN_VALUE,
      Integer.MIN_VALUE + 1
    };
    for (int v : values) {
      assertThat(YamlSizes.digits(v)).as("%d", v).isEqualTo(Integer.toString(v).length());
    }
    Random r = new Random(3);
    for (int i = 0; i < 10_000; i++) {
      int v = r.nextInt() >> r.nextInt(32);
      assertThat(YamlSizes.digits(v)).as("%d", v).isEqualTo(Integer.toString(v).length());
    }
  }
}
