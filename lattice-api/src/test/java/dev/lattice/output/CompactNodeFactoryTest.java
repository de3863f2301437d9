package dev.lattice.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.lattice.internal.CompactNodeFactory;
import dev.lattice.internal.PlainText;
import dev.lattice.internal.QuotedText;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Object nodes of {@link CompactNodeFactory} behave like Jackson's own under any sequence of puts,
 * removals and iterator removals: same fields in the same order, equal both ways, same hash code,
 * same JSON and YAML.
 */
class CompactNodeFactoryTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
  void behavesLikeJacksonsObjectNode(long seed) throws Exception {
    Random random = new Random(seed);
    ObjectNode compact = CompactNodeFactory.INSTANCE.objectNode();
    ObjectNode plain = JsonNodeFactory.instance.objectNode();
    int keys = 4 + random.nextInt(2 * CompactNodeFactory.LINEAR_LIMIT);
    for (int step = 0; step < 200; step++) {
      String key = "k" + random.nextInt(keys);
      switch (random.nextInt(5)) {
        case 0:
        case 1:
          compact.put(key, step);
          plain.put(key, step);
          break;
        case 2:
          compact.putObject(key).put("x", key);
          plain.putObject(key).put("x", key);
          break;
        case 3:
          assertThat(compact.remove(key)).isEqualTo(plain.remove(key));
          break;
        default:
          removeThroughIterator(compact, key);
          removeThroughIterator(plain, key);
      }
      assertThat(fieldNames(compact)).isEqualTo(fieldNames(plain));
      assertThat(values(compact)).isEqualTo(values(plain));
      assertThat(compact).isEqualTo(plain);
      assertThat(plain).isEqualTo(compact);
      assertThat(compact.hashCode()).isEqualTo(plain.hashCode());
      assertThat(compact.get(key)).isEqualTo(plain.get(key));
    }
    assertThat(JSON.writeValueAsString(compact)).isEqualTo(JSON.writeValueAsString(plain));
    assertThat(Manifest.toJson(compact)).isEqualTo(Manifest.toJson(plain));
    StringBuilder a = new StringBuilder();
    StringBuilder b = new StringBuilder();
    Writers.yamlDocument(compact, a);
    Writers.yamlDocument(plain, b);
    assertThat(a.toString()).isEqualTo(b.toString());
    assertThat(compact.deepCopy()).isEqualTo(plain);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 12, 13, 40})
  void settingThroughEntriesWritesThrough(int fields) {
    ObjectNode compact = CompactNodeFactory.INSTANCE.objectNode();
    for (int i = 0; i < fields; i++) {
      compact.put("k" + i, i);
    }
    for (Map.Entry<String, JsonNode> e : compact.properties()) {
      e.setValue(compact.textNode(e.getKey()));
    }
    for (int i = 0; i < fields; i++) {
      assertThat(compact.get("k" + i).asText()).isEqualTo("k" + i);
    }
    assertThat(compact.size()).isEqualTo(fields);
  }

  private static void removeThroughIterator(ObjectNode node, String key) {
    Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
    while (it.hasNext()) {
      if (it.next().getKey().equals(key)) {
        it.remove();
      }
    }
  }

  @Test
  void aFrozenCollectionHoldsExactlyItsFieldsOrItems() {
    // n fields and the list: up to the linear limit, past which the fields are in a hash map
    for (int n = 0; n < CompactNodeFactory.LINEAR_LIMIT; n++) {
      ObjectNode o = CompactNodeFactory.INSTANCE.objectNode();
      ArrayNode a = o.putArray("list");
      for (int i = 0; i < n; i++) {
        o.put("k" + (char) ('z' - i), i);
        a.add(i);
      }
      assertThat(CompactNodeFactory.frozenPairs(o)).isNull();
      assertThat(CompactNodeFactory.frozenItems(a)).isNull();
      CompactNodeFactory.freeze(o);
      Object[] pairs = CompactNodeFactory.frozenPairs(o);
      assertThat(pairs).hasSize(2 * o.size());
      for (int i = 2; i < pairs.length; i += 2) {
        assertThat(((String) pairs[i - 2]).compareTo((String) pairs[i])).isNegative();
      }
      assertThat(CompactNodeFactory.frozenItems(a)).hasSize(n);
      assertThat(a.size()).isEqualTo(n);
      assertThatThrownBy(() -> a.add(1)).isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> o.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }
  }

  @Test
  void textNodesAreClassifiedAndEqualJacksonsOwn() {
    JsonNodeFactory f = CompactNodeFactory.INSTANCE;
    assertThat(f.textNode("svc-1")).isInstanceOf(PlainText.class);
    assertThat(f.textNode("8080")).isInstanceOf(QuotedText.class);
    assertThat(f.textNode("on")).isInstanceOf(QuotedText.class);
    assertThat(f.textNode("a \"b\"").getClass()).isEqualTo(TextNode.class);
    assertThat(f.textNode("é").getClass()).isEqualTo(TextNode.class);
    assertThat(f.textNode(null)).isNull();
    assertThat(f.textNode("")).isEqualTo(TextNode.valueOf(""));
    for (String s : List.of("svc-1", "8080", "a \"b\"", "é", "x".repeat(100))) {
      TextNode t = f.textNode(s);
      assertThat(t).isEqualTo(TextNode.valueOf(s));
      assertThat(TextNode.valueOf(s)).isEqualTo(t);
      assertThat(t.hashCode()).isEqualTo(TextNode.valueOf(s).hashCode());
      assertThat(t.textValue()).isEqualTo(s);
    }
  }

  private static List<JsonNode> values(ObjectNode node) {
    List<JsonNode> values = new ArrayList<>();
    node.elements().forEachRemaining(values::add);
    return values;
  }

  private static List<String> fieldNames(ObjectNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
