package dev.lattice.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns {@code openAPIV3Schema} JSON into {@link Schema} trees. Shared across all CRD files of one
 * load, so identical patterns and CEL expressions (the Cilium and Istio files repeat them many
 * times) are compiled once. Every problem — an unknown keyword, a pattern RE2 rejects, a CEL rule
 * that does not compile — is collected; {@link CrdConformance#load} throws with all of them.
 */
final class SchemaCompiler {
  /** Keywords that carry no validation (documentation, server-side-apply hints). */
  private static final Set<String> IGNORED =
      Set.of("description", "title", "example", "externalDocs", "x-kubernetes-map-type");

  private static final Set<String> HANDLED =
      Set.of(
          "type",
          "nullable",
          "x-kubernetes-int-or-string",
          "x-kubernetes-preserve-unknown-fields",
          "properties",
          "required",
          "additionalProperties",
          "items",
          "enum",
          "pattern",
          "minLength",
          "maxLength",
          "minimum",
          "maximum",
          "exclusiveMinimum",
          "exclusiveMaximum",
          "multipleOf",
          "minItems",
          "maxItems",
          "minProperties",
          "maxProperties",
          "uniqueItems",
          "format",
          "allOf",
          "anyOf",
          "oneOf",
          "not",
          "x-kubernetes-list-type",
          "x-kubernetes-list-map-keys",
          "default",
          "x-kubernetes-validations",
          "x-kubernetes-embedded-resource");

  private static final Set<String> TYPES =
      Set.of("object", "array", "string", "integer", "number", "boolean");

  private final KubernetesCel cel;
  private final Map<String, Pattern> patterns = new HashMap<>();
  private final Map<String, KubernetesCel.Compiled> rulePrograms = new HashMap<>();
  private final Map<String, KubernetesCel.Compiled> messagePrograms = new HashMap<>();
  private final List<String> errors = new ArrayList<>();
  private int ruleCount;
  private int transitionRuleCount;

  SchemaCompiler(KubernetesCel cel) {
    this.cel = cel;
  }

  List<String> errors() {
    return errors;
  }

  int ruleCount() {
    return ruleCount;
  }

  int transitionRuleCount() {
    return transitionRuleCount;
  }

  Schema compile(JsonNode node, String location) {
    return compile(node, location, false);
  }

  private Schema compile(JsonNode node, String location, boolean inJunction) {
    Schema.Builder b = new Schema.Builder();
    b.location = location;
    if (node == null || !node.isObject()) {
      errors.add(location + ": a schema must be an object, found " + Json.describe(node));
      return new Schema(b);
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String key = e.getKey();
      JsonNode v = e.getValue();
      if (IGNORED.contains(key)) {
        continue;
      }
      if (!HANDLED.contains(key)) {
        errors.add(location + ": unsupported schema keyword '" + key + "'");
        continue;
      }
      read(b, key, v, location, inJunction);
    }
    return new Schema(b);
  }

  private void read(Schema.Builder b, String key, JsonNode v, String location, boolean inJunction) {
    switch (key) {
      case "type":
        if (!v.isTextual() || !TYPES.contains(v.asText())) {
          errors.add(location + ": unsupported type " + Json.describe(v));
        } else {
          b.types.add(v.asText());
        }
        break;
      case "nullable":
        b.nullable = v.asBoolean();
        break;
      case "x-kubernetes-int-or-string":
        b.intOrString = v.asBoolean();
        break;
      case "x-kubernetes-preserve-unknown-fields":
        b.preserveUnknownFields = v.asBoolean();
        break;
      case "x-kubernetes-embedded-resource":
        if (v.asBoolean()) {
          errors.add(
              location + ": x-kubernetes-embedded-resource is not supported by this checker");
        }
        break;
      case "properties":
        for (Map.Entry<String, JsonNode> p : v.properties()) {
          b.properties.put(
              p.getKey(), compile(p.getValue(), location + "." + p.getKey(), inJunction));
        }
        break;
      case "required":
        for (JsonNode r : v) {
          b.required.add(r.asText());
        }
        break;
      case "additionalProperties":
        if (v.isBoolean()) {
          b.additionalPropertiesAllowed = v.asBoolean();
        } else {
          b.additionalProperties = compile(v, location + "{}", inJunction);
        }
        break;
      case "items":
        if (v.isArray()) {
          errors.add(location + ": tuple 'items' (an array) is not allowed in structural schemas");
        } else {
          b.items = compile(v, location + "[]", inJunction);
        }
        break;
      case "enum":
        for (JsonNode x : v) {
          b.enumValues.add(x);
        }
        break;
      case "pattern":
        b.patternSource = v.asText();
        b.pattern = pattern(b.patternSource, location);
        break;
      case "minLength":
        b.minLength = v.asInt();
        break;
      case "maxLength":
        b.maxLength = v.asInt();
        break;
      case "minimum":
        b.minimum = Json.decimal(v);
        break;
      case "maximum":
        b.maximum = Json.decimal(v);
        break;
      case "exclusiveMinimum":
        b.exclusiveMinimum = v.asBoolean();
        break;
      case "exclusiveMaximum":
        b.exclusiveMaximum = v.asBoolean();
        break;
      case "multipleOf":
        b.multipleOf = Json.decimal(v);
        break;
      case "minItems":
        b.minItems = v.asInt();
        break;
      case "maxItems":
        b.maxItems = v.asInt();
        break;
      case "minProperties":
        b.minProperties = v.asInt();
        break;
      case "maxProperties":
        b.maxProperties = v.asInt();
        break;
      case "uniqueItems":
        b.uniqueItems = v.asBoolean();
        break;
      case "format":
        b.format = Formats.normalize(v.asText());
        break;
      case "allOf":
        junction(b.allOf, v, location + "/allOf");
        break;
      case "anyOf":
        junction(b.anyOf, v, location + "/anyOf");
        break;
      case "oneOf":
        junction(b.oneOf, v, location + "/oneOf");
        break;
      case "not":
        b.not = compile(v, location + "/not", true);
        break;
      case "x-kubernetes-list-type":
        b.listType = v.asText();
        if (!Set.of("atomic", "set", "map").contains(b.listType)) {
          errors.add(location + ": unknown x-kubernetes-list-type " + Json.quote(b.listType));
        }
        break;
      case "x-kubernetes-list-map-keys":
        for (JsonNode k : v) {
          b.listMapKeys.add(k.asText());
        }
        break;
      case "default":
        b.defaultValue = v.deepCopy();
        break;
      case "x-kubernetes-validations":
        if (inJunction) {
          errors.add(location + ": x-kubernetes-validations inside allOf/anyOf/oneOf/not");
        }
        int i = 0;
        for (JsonNode rule : v) {
          CelRule compiled = rule(rule, location + "/x-kubernetes-validations[" + i++ + "]");
          if (compiled != null) {
            b.rules.add(compiled);
          }
        }
        break;
      default:
        throw new IllegalStateException("keyword listed as handled but not read: " + key);
    }
  }

  private void junction(List<Schema> target, JsonNode v, String location) {
    int i = 0;
    for (JsonNode sub : v) {
      target.add(compile(sub, location + "[" + i++ + "]", true));
    }
  }

  private Pattern pattern(String source, String location) {
    Pattern p = patterns.get(source);
    if (p == null) {
      try {
        // Kubernetes checks `pattern` with Go's regexp (RE2 syntax, unanchored search);
        // re2j is a faithful Java port of it, so no translation is needed or attempted.
        p = Pattern.compile(source);
      } catch (PatternSyntaxException e) {
        errors.add(
            location + ": pattern " + Json.quote(source) + " is not valid RE2: " + e.getMessage());
        return null;
      }
      patterns.put(source, p);
    }
    return p;
  }

  private CelRule rule(JsonNode node, String location) {
    JsonNode ruleNode = node.get("rule");
    if (ruleNode == null || !ruleNode.isTextual() || ruleNode.asText().isBlank()) {
      errors.add(location + ": x-kubernetes-validations entry without a rule");
      return null;
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!Set.of("rule", "message", "messageExpression", "reason", "fieldPath", "optionalOldSelf")
          .contains(f)) {
        errors.add(location + ": unknown x-kubernetes-validations field '" + f + "'");
      }
    }
    String text = ruleNode.asText();
    ruleCount++;
    KubernetesCel.Compiled program = rulePrograms.computeIfAbsent(text, cel::compileRule);
    if (program.error != null) {
      errors.add(location + ": rule " + Json.quote(text) + " does not compile: " + program.error);
      return null;
    }
    if (program.usesOldSelf) {
      transitionRuleCount++;
    }
    KubernetesCel.Compiled message = null;
    JsonNode messageExpression = node.get("messageExpression");
    if (messageExpression != null) {
      message = messagePrograms.computeIfAbsent(messageExpression.asText(), cel::compileMessage);
      if (message.error != null) {
        errors.add(
            location
                + ": messageExpression "
                + Json.quote(messageExpression.asText())
                + " does not compile: "
                + message.error);
        return null;
      }
    }
    List<CelRule.Segment> fieldPath = List.of();
    JsonNode fieldPathNode = node.get("fieldPath");
    if (fieldPathNode != null && !fieldPathNode.asText().isEmpty()) {
      fieldPath = CelRule.parseFieldPath(fieldPathNode.asText());
      if (fieldPath == null) {
        errors.add(
            location + ": fieldPath " + Json.quote(fieldPathNode.asText()) + " is malformed");
        return null;
      }
    }
    JsonNode messageNode = node.get("message");
    return new CelRule(
        text,
        messageNode == null ? null : messageNode.asText(),
        program,
        message,
        fieldPath,
        location);
  }
}
