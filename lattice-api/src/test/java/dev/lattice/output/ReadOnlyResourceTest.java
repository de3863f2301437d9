package dev.lattice.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A {@link Resource} hands out no tree anyone can change: its document refuses every mutator, at
 * every depth, whether the renderer built it with {@link CompactNodeFactory} (frozen in place) or a
 * caller passed a plain Jackson tree (copied, so the caller's own stays changeable and the resource
 * does not follow it). {@code deepCopy()} gives a tree to change.
 */
class ReadOnlyResourceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ObjectNode compactDocument(int labels) {
    ObjectNode d = CompactNodeFactory.INSTANCE.objectNode();
    d.put("kind", "CiliumNetworkPolicy");
    d.put("apiVersion", "cilium.io/v2");
    ObjectNode meta = d.putObject("metadata");
    meta.put("namespace", "shop");
    meta.put("name", "api");
    ObjectNode l = meta.putObject("labels");
    for (int i = labels; i > 0; i--) {
      l.put("k" + i, "v" + i);
    }
    ArrayNode ingress = d.putObject("spec").putArray("ingress");
    ingress.addObject().putArray("fromEntities").add("world");
    return d;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 12, 13, 40})
  void everyMutatorOfARenderedDocumentThrows(int labels) {
    Resource r = Resource.of(compactDocument(labels));
    ObjectNode doc = r.document();
    ObjectNode meta = (ObjectNode) doc.get("metadata");
    ObjectNode l = (ObjectNode) meta.get("labels");
    ArrayNode ingress = (ArrayNode) doc.at("/spec/ingress");
    ArrayNode entities = (ArrayNode) ingress.get(0).get("fromEntities");
    List<Runnable> mutations =
        List.of(
            () -> doc.put("kind", "Other"),
            () -> doc.remove("spec"),
            () -> doc.removeAll(),
            () -> meta.putObject("annotations"),
            () -> l.put("k1", "changed"),
            () -> l.remove("k1"),
            () -> l.properties().iterator().next().setValue(doc.textNode("x")),
            () -> removeFirst(l.properties().iterator()),
            () -> l.retain("none"),
            () -> ingress.addObject(),
            () -> ingress.remove(0),
            () -> ingress.removeAll(),
            () -> entities.set(0, doc.textNode("host")),
            () -> entities.insert(0, "host"));
    for (Runnable m : mutations) {
      assertThatThrownBy(m::run).isInstanceOf(UnsupportedOperationException.class);
    }
    assertThat(r.toYaml()).isEqualTo(Resource.of(compactDocument(labels)).toYaml());
  }

  private static void removeFirst(Iterator<Map.Entry<String, JsonNode>> it) {
    it.next();
    it.remove();
  }

  @Test
  void aPlainTreeIsCopiedSoTheCallersChangesDoNotReachTheResource() {
    ObjectNode plain = JSON.createObjectNode();
    plain.put("apiVersion", "v1").put("kind", "ConfigMap");
    plain.putObject("metadata").put("name", "a");
    Resource r = Resource.of(plain);
    ((ObjectNode) plain.get("metadata")).put("name", "b");
    plain.putArray("extra").add(1);

    assertThat(r.document().at("/metadata/name").asText()).isEqualTo("a");
    assertThat(r.document().has("extra")).isFalse();
    assertThatThrownBy(() -> r.document().put("x", 1))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("deepCopy()");
  }

  @Test
  void aDeepCopyIsAnOrdinaryTreeToChange() {
    Resource r = Resource.of(compactDocument(3));
    ObjectNode copy = r.document().deepCopy();
    ((ObjectNode) copy.at("/metadata/labels")).put("k1", "changed");
    ((ArrayNode) copy.at("/spec/ingress")).addObject().put("x", 1);

    assertThat(copy).isNotEqualTo(r.document());
    assertThat(r.document().at("/metadata/labels/k1").asText()).isEqualTo("v1");
    assertThat(Resource.of(compactDocument(3)).document()).isEqualTo(r.document());
  }

  @Test
  void freezingSortsFieldsButKeepsEquality() {
    ObjectNode built = compactDocument(13);
    ObjectNode plain = built.deepCopy();
    Resource r = Resource.of(built);
    Consumer<JsonNode> sorted =
        new Consumer<>() {
          @Override
          public void accept(JsonNode n) {
            String previous = null;
            for (Map.Entry<String, JsonNode> e : n.properties()) {
              assertThat(previous == null || previous.compareTo(e.getKey()) < 0).isTrue();
              previous = e.getKey();
              accept(e.getValue());
            }
            n.elements().forEachRemaining(this);
          }
        };
    sorted.accept(r.document());
    assertThat(r.document()).isEqualTo(plain);
    assertThat(plain).isEqualTo(r.document());
    assertThat(r.document().hashCode()).isEqualTo(plain.hashCode());
  }

  @Test
  void bytesAndTextCarryTheSameEscapes() {
    ObjectNode d = compactDocument(1);
    ObjectNode data = d.putObject("data");
    data.put("plain", "app.kubernetes.io/name");
    data.put("quoted", "say \"hi\"\\ \t\r\n");
    data.put("control", "a\u0001b\u007fc\u0085d\u2028e\ufeff");
    data.put("accents", "café ünïcode 日本");
    data.put("emoji", "\uD83D\uDE00 smile");
    data.put("lone", "x\uD83Dy");
    data.put("on", "on");
    data.put("number", 8080);
    data.put("yes", true);
    Manifest m = Manifest.of(List.of(Resource.of(d)));

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    m.writeYaml(bytes);
    String text = m.toYaml();
    assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(text);
    assertThat(text)
        .contains("  accents: \"café ünïcode 日本\"\n")
        .contains("  control: \"a\\u0001b\\u007fc\\u0085d\\u2028e\\ufeff\"\n")
        .contains("  emoji: \"\uD83D\uDE00 smile\"\n")
        .contains("  lone: \"x?y\"\n")
        .contains("  number: 8080\n")
        .contains("  \"on\": \"on\"\n")
        .contains("  plain: app.kubernetes.io/name\n")
        .contains("  quoted: \"say \\\"hi\\\"\\\\ \\t\\r\\n\"\n")
        .contains("  \"yes\": true\n");

    ByteArrayOutputStream json = new ByteArrayOutputStream();
    m.writeJson(json);
    assertThat(json.toString(StandardCharsets.UTF_8)).isEqualTo(m.toJson());
  }

  @Test
  void aDocumentLargerThanTheBufferStreamsWhole() {
    ObjectNode d = compactDocument(1);
    ArrayNode items = d.putObject("data").putArray("items");
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      String s = "é".repeat(i % 7) + "item-" + i;
      items.add(s);
    }
    String longScalar = "x".repeat(200_000);
    ((ObjectNode) d.get("data")).put("long", longScalar);
    Manifest m = Manifest.of(List.of(Resource.of(d)));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    m.writeYaml(bytes);
    String text = m.toYaml();
    assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(text);
    expected.append("  long: ").append(longScalar).append('\n');
    assertThat(text).contains(expected).contains("  - \"éééééé" + "item-20\"\n");
  }
}
