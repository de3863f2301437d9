package dev.lattice.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.lattice.internal.PlainScalars;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ManifestTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();

  private static ObjectNode doc(String kind, String namespace, String name) {
    ObjectNode d = JSON.createObjectNode();
    d.put("kind", kind);
    d.put("apiVersion", "cilium.io/v2");
    ObjectNode meta = d.putObject("metadata");
    meta.put("name", name);
    if (namespace != null) {
      meta.put("namespace", namespace);
    }
    meta.putObject("labels").put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
    return d;
  }

  @Test
  void writesSortedKeysAndSortedDocuments() {
    ObjectNode a = doc("CiliumNetworkPolicy", "shop", "web");
    a.putObject("spec")
        .put("zeta", 1)
        .put("alpha", true)
        .putArray("list")
        .add("x")
        .addObject()
        .put("b", 2)
        .put("a", 1);
    Manifest m =
        Manifest.of(
            List.of(
                Resource.of(a), Resource.of(doc("CiliumClusterwideNetworkPolicy", null, "deny"))));

    assertThat(m.toYaml())
        .isEqualTo(
            "---\n"
                + "apiVersion: cilium.io/v2\n"
                + "kind: CiliumClusterwideNetworkPolicy\n"
                + "metadata:\n"
                + "  labels:\n"
                + "    app.kubernetes.io/managed-by: lattice\n"
                + "  name: deny\n"
                + "---\n"
                + "apiVersion: cilium.io/v2\n"
                + "kind: CiliumNetworkPolicy\n"
                + "metadata:\n"
                + "  labels:\n"
                + "    app.kubernetes.io/managed-by: lattice\n"
                + "  name: web\n"
                + "  namespace: shop\n"
                + "spec:\n"
                + "  alpha: true\n"
                + "  list:\n"
                + "    - x\n"
                + "    - a: 1\n"
                + "      b: 2\n"
                + "  zeta: 1\n");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "8080",
        "true",
        "yes",
        "No",
        "off",
        "null",
        "~",
        "*",
        "/api/*",
        "*.png",
        "10.0.0.0/8",
        "2001:db8::/32",
        "k8s:app",
        "a: b",
        "- x",
        "#c",
        "",
        " lead",
        "trail ",
        "0x1F",
        "1e3",
        ".inf",
        "@at",
        "`tick",
        "a\"q",
        "back\\slash",
        "new\nline",
        "tab\t",
        "ünï",
        "{}",
        "[a]",
        "&anchor",
        "!tag",
        "%pct",
        "a:",
        "=",
        "<<",
        "y",
        "N"
      })
  void everyStringReadsBackAsTheSameString(String value) throws Exception {
    ObjectNode d = doc("X", "ns", "n");
    d.putObject("spec").put("value", value).putArray("items").add(value);
    d.with("spec").put(value.isEmpty() ? "empty" : value, "key");

    String yaml = Resource.of(d).toYaml();
    JsonNode back = YAML.readTree(yaml.substring(4));

    assertThat(back).isEqualTo(d);
  }

  @Test
  void plainScalarsStayPlain() {
    assertThat(PlainScalars.isPlainSafe("app.kubernetes.io/name")).isTrue();
    assertThat(PlainScalars.isPlainSafe("k8s:io.kubernetes.pod.namespace")).isTrue();
    assertThat(PlainScalars.isPlainSafe("cluster.local/ns/shop/sa/web")).isTrue();
    assertThat(PlainScalars.isPlainSafe("8080")).isFalse();
    assertThat(PlainScalars.isPlainSafe("on")).isFalse();
  }

  @Test
  void randomTreesRoundTripThroughYamlAndJson() throws Exception {
    Random r = new Random(42);
    for (int i = 0; i < 300; i++) {
      ObjectNode d = doc("X", "ns", "n" + i);
      d.set("spec", randomNode(r, 0));
      Manifest m = Manifest.of(List.of(Resource.of(d)));

      assertThat(YAML.readTree(m.toYaml().substring(4))).isEqualTo(d);
      assertThat(JSON.readTree(m.toJson()).get("items").get(0)).isEqualTo(d);
      assertThat(m.toYaml()).isEqualTo(Manifest.of(List.of(Resource.of(d.deepCopy()))).toYaml());
    }
  }

  private static JsonNode randomNode(Random r, int depth) {
    int kind = depth > 3 ? 2 + r.nextInt(3) : r.nextInt(5);
    switch (kind) {
      case 0:
        {
          ObjectNode o = JSON.createObjectNode();
          int n = r.nextInt(4);
          for (int i = 0; i < n; i++) {
            o.set(randomString(r), randomNode(r, depth + 1));
          }
          return o;
        }
      case 1:
        {
          var a = JSON.createArrayNode();
          int n = r.nextInt(4);
          for (int i = 0; i < n; i++) {
            a.add(randomNode(r, depth + 1));
          }
          return a;
        }
      case 2:
        return JSON.getNodeFactory().numberNode(r.nextInt(70000) - 100);
      case 3:
        return JSON.getNodeFactory().booleanNode(r.nextBoolean());
      default:
        return JSON.getNodeFactory().textNode(randomString(r));
    }
  }

  private static String randomString(Random r) {
    String alphabet = "ab:/-_.*0 #\"'\\\n{}[],&!|>%@`?=~yYnN";
    StringBuilder sb = new StringBuilder();
    int n = r.nextInt(8);
    for (int i = 0; i < n; i++) {
      sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  @Test
  void diffUpsertsChangedAndNewAndDeletesOnlyManagedResources() {
    ObjectNode kept = doc("K", "ns", "kept");
    ObjectNode changedBefore = doc("K", "ns", "changed");
    ObjectNode changedAfter = doc("K", "ns", "changed");
    changedAfter.putObject("spec").put("x", 1);
    ObjectNode gone = doc("K", "ns", "gone");
    ObjectNode foreign = doc("K", "ns", "foreign");
    foreign.with("metadata").remove("labels");
    ObjectNode added = doc("K", "ns", "added");

    Manifest before =
        Manifest.of(
            List.of(
                Resource.of(kept),
                Resource.of(changedBefore),
                Resource.of(gone),
                Resource.of(foreign)));
    Manifest after =
        Manifest.of(
            List.of(Resource.of(kept.deepCopy()), Resource.of(changedAfter), Resource.of(added)));

    ManifestDiff d = ManifestDiff.between(before, after);

    assertThat(d.upserts()).extracting(Resource::name).containsExactly("added", "changed");
    assertThat(d.deletes()).extracting(ResourceKey::name).containsExactly("gone");
    assertThat(ManifestDiff.between(after, after).isEmpty()).isTrue();
  }

  @Test
  void refusesTwoResourcesWithOneKey() {
    assertThatThrownBy(
            () ->
                Manifest.of(
                    List.of(Resource.of(doc("K", "ns", "a")), Resource.of(doc("K", "ns", "a")))))
        .hasMessageContaining("K ns/a");
  }

  @Test
  void namesFitTheirLimitWithAStableHash() {
    String longName = "a".repeat(70);
    String fitted = ResourceNames.fit(longName, 63);

    assertThat(fitted).hasSize(63).startsWith("a".repeat(54) + "-");
    assertThat(ResourceNames.fit(longName, 63)).isEqualTo(fitted);
    assertThat(ResourceNames.fit("a".repeat(69) + "b", 63)).isNotEqualTo(fitted);
    assertThat(ResourceNames.fit("short", 63)).isEqualTo("short");
  }
}
