package dev.lattice.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.internal.CompactNodeFactory;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The byte writer ({@link Writers}) writes exactly what the char writer it replaced ({@link
 * CharWriter}) wrote, YAML and JSON, through every door ({@link Resource#toYaml}, {@link
 * Manifest#writeYaml} to an {@code Appendable} and to a stream, on one thread and on two, {@link
 * Manifest#toJson}), for random trees of awkward scalars and keys: non-ASCII, surrogates, quotes,
 * backslashes, control chars, YAML 1.1 reserved words in any case, numbers as strings, empty,
 * multi-line, trailing colons, long ones past the shared-node and key tables, and objects past the
 * linear limit. The trees are built with {@link CompactNodeFactory} (its classified, shared text
 * nodes and frozen collections), with Jackson's own factory, and mixed. Replay one seed with {@code
 * -Dlattice.seed=N}.
 */
class WritersProperties {
  private static final String[] WORDS = {
    "y",
    "Y",
    "n",
    "N",
    "yes",
    "Yes",
    "NO",
    "on",
    "On",
    "off",
    "OFF",
    "true",
    "True",
    "FALSE",
    "null",
    "Null",
    "~",
    "",
    " ",
    "a:",
    ":",
    "a: b",
    "- a",
    "#x",
    "8080",
    "0",
    "-1",
    "1.5",
    "1e3",
    "0x1f",
    "*",
    "&a",
    "!t",
    "@",
    "`",
    "a b",
    " lead",
    "trail ",
    "multi\nline",
    "tab\there",
    "quote\"d",
    "back\\slash",
    "é",
    "日本",
    "😀",
    "\ud800",
    "\u0085",
    "\u2028",
    "\ufeff",
    "\u007f",
    "\u0001",
    "cilium.io/v2",
    "k8s:io.kubernetes.pod.namespace",
    "app.kubernetes.io/name",
    "TCP",
    "svc-1",
    "_x",
    "/path",
    "a/b:c",
    "Ready",
    "-",
    "--",
    "---",
    "...",
    "'single'",
    "%",
    "{}",
    "[]"
  };

  private static final String ALPHABET = "aZ09-_./: \"\\\t\néß日😀\u0001\u2028#'y,[]{}";

  static Stream<Long> seeds() {
    Long replay = Long.getLong("lattice.seed");
    return replay != null ? Stream.of(replay) : LongStream.rangeClosed(1, 40).boxed();
  }

  private static String text(Random r) {
    switch (r.nextInt(8)) {
      case 0, 1, 2:
        return WORDS[r.nextInt(WORDS.length)];
      case 3:
        return "name-" + r.nextInt(50); // repeated values: shared text nodes
      case 4:
        {
          // past the shared-node and key tables' length limit
          StringBuilder sb = new StringBuilder();
          int n = 60 + r.nextInt(20);
          for (int i = 0; i < n; i++) {
            sb.append(r.nextInt(3) == 0 ? ALPHABET.charAt(r.nextInt(ALPHABET.length())) : 'a');
          }
          return sb.toString();
        }
      default:
        {
          StringBuilder sb = new StringBuilder();
          int n = r.nextInt(14);
          for (int i = 0; i < n; i++) {
            sb.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
          }
          return sb.toString();
        }
    }
  }

  private static JsonNodeFactory factory(Random r, JsonNodeFactory parent) {
    // mostly the parent's factory, sometimes a foreign subtree inside a compact tree or back
    if (r.nextInt(6) != 0) {
      return parent;
    }
    return parent == CompactNodeFactory.INSTANCE
        ? JsonNodeFactory.instance
        : CompactNodeFactory.INSTANCE;
  }

  private static JsonNode value(Random r, JsonNodeFactory f, int depth) {
    int k = r.nextInt(depth > 4 ? 6 : 10);
    switch (k) {
      case 0, 1, 2, 3:
        return f.textNode(text(r));
      case 4:
        return f.numberNode(r.nextInt(2000) - 1000);
      case 5:
        return r.nextBoolean() ? f.booleanNode(r.nextBoolean()) : f.nullNode();
      case 6, 7:
        return object(r, factory(r, f), depth + 1);
      default:
        return array(r, factory(r, f), depth + 1);
    }
  }

  private static ObjectNode object(Random r, JsonNodeFactory f, int depth) {
    ObjectNode o = f.objectNode();
    int n = r.nextInt(20) == 0 ? CompactNodeFactory.LINEAR_LIMIT + r.nextInt(6) : r.nextInt(5);
    for (int i = 0; i < n; i++) {
      o.set(r.nextInt(3) == 0 ? text(r) : "key" + r.nextInt(9), value(r, f, depth));
    }
    return o;
  }

  private static ArrayNode array(Random r, JsonNodeFactory f, int depth) {
    ArrayNode a = f.arrayNode();
    int n = r.nextInt(4);
    for (int i = 0; i < n; i++) {
      a.add(value(r, f, depth));
    }
    return a;
  }

  private static ObjectNode document(Random r, int i) {
    JsonNodeFactory f = r.nextInt(4) == 0 ? JsonNodeFactory.instance : CompactNodeFactory.INSTANCE;
    ObjectNode d = object(r, f, 0);
    d.put("apiVersion", "v1");
    d.put("kind", "Thing");
    ObjectNode meta = d.putObject("metadata");
    meta.put("name", "d" + i);
    if (r.nextBoolean()) {
      meta.put("namespace", text(r).isEmpty() ? "ns" : "ns" + r.nextInt(5));
    }
    return d;
  }

  private static String charYaml(JsonNode document) {
    StringBuilder sb = new StringBuilder();
    CharWriter.yamlDocument(document, sb);
    return sb.toString();
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void theByteWriterWritesWhatTheCharWriterWrote(long seed) {
    Random r = new Random(seed);
    List<Resource> resources = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      ObjectNode d = document(r, i);
      // before freezing: the general path over a mutable tree
      StringBuilder open = new StringBuilder();
      Writers.yamlDocument(d, open);
      String expected = charYaml(d);
      assertThat(open.toString()).as("mutable, seed %d", seed).isEqualTo(expected);
      assertThat(Manifest.toJson(d)).as("json, mutable, seed %d", seed).isEqualTo(charJson(d));
      Resource res = Resource.of(d);
      assertThat(res.toYaml()).as("frozen, seed %d", seed).isEqualTo(expected);
      assertThat(charYaml(res.document())).as("char, frozen, seed %d", seed).isEqualTo(expected);
      assertThat(Manifest.toJson(res.document()))
          .as("json, frozen, seed %d", seed)
          .isEqualTo(charJson(res.document()));
      resources.add(res);
    }
    Manifest m = Manifest.of(resources);
    StringBuilder stream = new StringBuilder();
    for (Resource res : m.resources()) {
      CharWriter.yamlDocument(res.document(), stream);
    }
    assertThat(m.toYaml()).isEqualTo(stream.toString());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    m.writeYaml(bytes);
    assertThat(bytes.toByteArray()).isEqualTo(stream.toString().getBytes(StandardCharsets.UTF_8));
    // on two threads: the same documents, enough of them
    List<Resource> many = new ArrayList<>();
    StringBuilder manyText = new StringBuilder();
    for (int i = 0; i < ParallelYaml.MIN_DOCUMENTS + 40; i++) {
      Resource res = resources.get(i % resources.size());
      many.add(res);
      CharWriter.yamlDocument(res.document(), manyText);
    }
    ByteArrayOutputStream parallel = new ByteArrayOutputStream();
    ParallelYaml.write(many, parallel);
    assertThat(parallel.toByteArray())
        .isEqualTo(manyText.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static String charJson(JsonNode document) {
    StringBuilder sb = new StringBuilder();
    CharWriter.json(document, 0, sb);
    return sb.append('\n').toString();
  }
}
