package dev.lattice.istio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A small checker of documents against a CRD's {@code openAPIV3Schema}: types, unknown fields,
 * required fields, enums, patterns, lengths, bounds and {@code oneOf}/{@code anyOf}/{@code not}.
 * CEL rules ({@code x-kubernetes-validations}) are not evaluated here; the tests assert the ones
 * our documents meet as plain Java, and lattice-verify evaluates them all.
 */
final class CrdSchema {
  private static final YAMLMapper YAML = new YAMLMapper();

  private static final Map<String, Predicate<JsonNode>> TYPES =
      Map.of(
          "object", JsonNode::isObject,
          "array", JsonNode::isArray,
          "string", JsonNode::isTextual,
          "integer", JsonNode::isIntegralNumber,
          "boolean", JsonNode::isBoolean);

  private final JsonNode crd;

  private CrdSchema(JsonNode crd) {
    this.crd = crd;
  }

  /** The CRD in {@code file}, read from the shared directory (never copied into the project). */
  static CrdSchema load(Path file) {
    try {
      return new CrdSchema(YAML.readTree(Files.readString(file)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What is wrong with {@code document} under the served version its apiVersion names. */
  List<String> problems(JsonNode document) {
    String apiVersion = document.path("apiVersion").asText();
    String group = apiVersion.substring(0, apiVersion.indexOf('/'));
    String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
    List<String> out = new ArrayList<>();
    if (!crd.path("spec").path("group").asText().equals(group)
        || !crd.path("spec")
            .path("names")
            .path("kind")
            .asText()
            .equals(document.path("kind").asText())) {
      out.add("not a document of " + crd.path("metadata").path("name").asText());
      return out;
    }
    for (JsonNode v : crd.path("spec").path("versions")) {
      if (v.path("name").asText().equals(version)) {
        if (!v.path("served").asBoolean()) {
          out.add("version " + version + " is not served");
        }
        JsonNode schema = v.path("schema").path("openAPIV3Schema");
        // apiVersion, kind and metadata are the API server's, not the schema's
        ObjectNode body = document.deepCopy();
        body.remove(List.of("apiVersion", "kind", "metadata"));
        check(schema, body, "", out);
        return out;
      }
    }
    out.add("no version " + version);
    return out;
  }

  private static void check(JsonNode schema, JsonNode node, String path, List<String> out) {
    String where = path.isEmpty() ? "." : path;
    String type = schema.path("type").asText("");
    Predicate<JsonNode> isType = TYPES.get(type);
    if (isType != null && !isType.test(node)) {
      String article = type.matches("[aeiou].*") ? "an " : "a ";
      out.add(where + ": expected " + article + type + ", got " + node);
      return;
    }
    if (schema.has("enum")) {
      boolean found = false;
      for (JsonNode e : schema.get("enum")) {
        found |= e.equals(node);
      }
      if (!found) {
        out.add(where + ": " + node + " is not one of " + schema.get("enum"));
      }
    }
    if (node.isTextual()) {
      String s = node.asText();
      if (schema.has("pattern")
          && !Pattern.compile(schema.get("pattern").asText()).matcher(s).find()) {
        out.add(where + ": \"" + s + "\" does not match " + schema.get("pattern").asText());
      }
      bound(where, "length", s.length(), schema, "minLength", "maxLength", out);
    }
    if (node.isIntegralNumber()) {
      bound(where, "value", node.asLong(), schema, "minimum", "maximum", out);
    }
    if (node.isArray()) {
      bound(where, "items", node.size(), schema, "minItems", "maxItems", out);
      int i = 0;
      for (JsonNode item : node) {
        if (schema.has("items")) {
          check(schema.get("items"), item, path + "[" + i + "]", out);
        }
        i++;
      }
    }
    if (node.isObject()) {
      bound(where, "properties", node.size(), schema, "minProperties", "maxProperties", out);
      for (JsonNode required : schema.path("required")) {
        if (!node.has(required.asText())) {
          out.add(where + ": missing required field " + required.asText());
        }
      }
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        String childPath = path + "." + e.getKey();
        JsonNode props = schema.path("properties");
        if (props.has(e.getKey())) {
          check(props.get(e.getKey()), e.getValue(), childPath, out);
        } else if (schema.has("additionalProperties")
            && schema.get("additionalProperties").isObject()) {
          check(schema.get("additionalProperties"), e.getValue(), childPath, out);
        } else if (!schema.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
          out.add(childPath + ": unknown field");
        }
      }
    }
    if (schema.has("oneOf")) {
      int matches = 0;
      for (JsonNode sub : schema.get("oneOf")) {
        matches += matches(sub, node) ? 1 : 0;
      }
      if (matches != 1) {
        out.add(where + ": matches " + matches + " of oneOf " + schema.get("oneOf"));
      }
    }
    if (schema.has("anyOf")) {
      boolean any = false;
      for (JsonNode sub : schema.get("anyOf")) {
        any |= matches(sub, node);
      }
      if (!any) {
        out.add(where + ": matches none of anyOf " + schema.get("anyOf"));
      }
    }
    if (schema.has("not") && matches(schema.get("not"), node)) {
      out.add(where + ": matches not " + schema.get("not"));
    }
  }

  /**
   * Whether {@code node} meets a sub-schema of oneOf/anyOf/not (structural, no unknown-field
   * check).
   */
  private static boolean matches(JsonNode sub, JsonNode node) {
    List<String> problems = new ArrayList<>();
    JsonNode lenient = sub.deepCopy();
    if (lenient.isObject()) {
      ((ObjectNode) lenient).put("x-kubernetes-preserve-unknown-fields", true);
    }
    check(lenient, node, "", problems);
    return problems.isEmpty();
  }

  private static void bound(
      String where,
      String what,
      long value,
      JsonNode schema,
      String min,
      String max,
      List<String> out) {
    if (schema.has(min) && value < schema.get(min).asLong()) {
      out.add(where + ": " + what + " " + value + " < " + min + " " + schema.get(min).asLong());
    }
    if (schema.has(max) && value > schema.get(max).asLong()) {
      out.add(where + ": " + what + " " + value + " > " + max + " " + schema.get(max).asLong());
    }
  }
}
