package dev.lattice.crd;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Walks a value against a {@link Schema} and reports what the API server's schema validation and
 * CEL validation would reject. In <em>structural</em> mode (the schema proper) unknown fields are
 * reported and CEL rules run; inside {@code allOf}/{@code anyOf}/{@code oneOf}/{@code not} the
 * sub-schemas are value validations only, walked in non-structural mode into a scratch report just
 * to learn whether they hold.
 */
final class SchemaValidator {
  private static final BigInteger INT64_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger INT64_MAX = BigInteger.valueOf(Long.MAX_VALUE);
  private static final BigDecimal INT32_MIN = BigDecimal.valueOf(Integer.MIN_VALUE);
  private static final BigDecimal INT32_MAX = BigDecimal.valueOf(Integer.MAX_VALUE);

  private SchemaValidator() {}

  /** Validates {@code v} (never Java null; may be a JSON null) against {@code s}. */
  static void validate(Schema s, JsonNode v, FieldPath p, Report r, boolean structural) {
    if (v.isNull()) {
      if (!s.nullable && (!s.types.isEmpty() || s.intOrString)) {
        r.add(p, Report.TYPE, "expected " + expectedTypes(s) + ", found null");
        r.blockCel();
      }
      return;
    }
    if (!typeMatches(s, v)) {
      r.add(p, Report.TYPE, "expected " + expectedTypes(s) + ", found " + found(r, v));
      r.blockCel();
      return;
    }
    if (!s.enumValues.isEmpty()) {
      boolean found = false;
      for (JsonNode allowed : s.enumValues) {
        if (Json.same(allowed, v)) {
          found = true;
          break;
        }
      }
      if (!found) {
        r.add(p, Report.ENUM, "expected one of " + enumText(s) + ", found " + found(r, v));
        r.blockCel();
      }
    }
    if (v.isTextual()) {
      string(s, v.textValue(), p, r);
    } else if (v.isNumber()) {
      number(s, v, p, r);
    } else if (v.isArray()) {
      array(s, v, p, r, structural);
    } else if (v.isObject()) {
      object(s, v, p, r, structural);
    }
    junctions(s, v, p, r);
    if (structural && !s.rules.isEmpty()) {
      r.deferRules(s, v, p);
    }
  }

  /** {@code string "abc"} for a message; nothing when the report only counts. */
  private static String found(Report r, JsonNode v) {
    return r.quiet() ? "" : Json.describe(v);
  }

  private static boolean typeMatches(Schema s, JsonNode v) {
    if (s.intOrString) {
      return v.isTextual() || (v.isNumber() && Json.isWholeNumber(v));
    }
    if (s.types.isEmpty()) {
      return true;
    }
    for (String t : s.types) {
      switch (t) {
        case "object":
          if (v.isObject()) {
            return true;
          }
          break;
        case "array":
          if (v.isArray()) {
            return true;
          }
          break;
        case "string":
          if (v.isTextual()) {
            return true;
          }
          break;
        case "integer":
          // Kubernetes decodes 80.0 as a float and accepts it for an integer field.
          if (v.isNumber() && Json.isWholeNumber(v)) {
            return true;
          }
          break;
        case "number":
          if (v.isNumber()) {
            return true;
          }
          break;
        case "boolean":
          if (v.isBoolean()) {
            return true;
          }
          break;
        default:
          break;
      }
    }
    return false;
  }

  private static String expectedTypes(Schema s) {
    if (s.intOrString) {
      return "integer or string";
    }
    return String.join(" or ", s.types);
  }

  private static String enumText(Schema s) {
    StringJoiner j = new StringJoiner(", ", "[", "]");
    for (JsonNode e : s.enumValues) {
      j.add(e.isTextual() ? e.textValue() : e.toString());
    }
    return j.toString();
  }

  private static void string(Schema s, String text, FieldPath p, Report r) {
    if (s.minLength != null || s.maxLength != null) {
      int length = Json.length(text);
      if (s.minLength != null && length < s.minLength) {
        r.add(
            p,
            "minLength",
            "expected at least "
                + s.minLength
                + " characters, found "
                + length
                + " in "
                + Json.quote(text));
      }
      if (s.maxLength != null && length > s.maxLength) {
        r.add(
            p,
            "maxLength",
            "expected at most "
                + s.maxLength
                + " characters, found "
                + length
                + " in "
                + Json.quote(text));
        r.blockCel();
      }
    }
    if (s.pattern != null && !s.pattern.matcher(text).find()) {
      r.add(
          p,
          Report.PATTERN,
          "expected a string matching " + s.patternSource + ", found " + Json.quote(text));
    }
    if (s.format != null) {
      String expected = Formats.check(s.format, text);
      if (expected != null) {
        r.add(p, Report.FORMAT, "expected " + expected + ", found " + Json.quote(text));
      }
    }
  }

  private static void number(Schema s, JsonNode v, FieldPath p, Report r) {
    BigDecimal d = null;
    if (s.minimum != null) {
      d = Json.decimal(v);
      int c = d.compareTo(s.minimum);
      if (c < 0 || (c == 0 && s.exclusiveMinimum)) {
        r.add(
            p,
            s.exclusiveMinimum ? "exclusiveMinimum" : "minimum",
            "expected a number "
                + (s.exclusiveMinimum ? "> " : ">= ")
                + s.minimum.toPlainString()
                + ", found "
                + v);
      }
    }
    if (s.maximum != null) {
      d = d != null ? d : Json.decimal(v);
      int c = d.compareTo(s.maximum);
      if (c > 0 || (c == 0 && s.exclusiveMaximum)) {
        r.add(
            p,
            s.exclusiveMaximum ? "exclusiveMaximum" : "maximum",
            "expected a number "
                + (s.exclusiveMaximum ? "< " : "<= ")
                + s.maximum.toPlainString()
                + ", found "
                + v);
      }
    }
    if (s.multipleOf != null && s.multipleOf.signum() > 0) {
      d = d != null ? d : Json.decimal(v);
      if (d.remainder(s.multipleOf).signum() != 0) {
        r.add(
            p,
            "multipleOf",
            "expected a multiple of " + s.multipleOf.toPlainString() + ", found " + v);
      }
    }
    if ("int32".equals(s.format)) {
      d = d != null ? d : Json.decimal(v);
      if (d.compareTo(INT32_MIN) < 0 || d.compareTo(INT32_MAX) > 0) {
        r.add(p, Report.FORMAT, "expected a 32-bit integer (format int32), found " + v);
      }
    } else if ("int64".equals(s.format)) {
      d = d != null ? d : Json.decimal(v);
      BigInteger i = d.toBigInteger();
      if (i.compareTo(INT64_MIN) < 0 || i.compareTo(INT64_MAX) > 0) {
        r.add(p, Report.FORMAT, "expected a 64-bit integer (format int64), found " + v);
      }
    }
  }

  private static void array(Schema s, JsonNode v, FieldPath p, Report r, boolean structural) {
    int n = v.size();
    if (s.minItems != null && n < s.minItems) {
      r.add(p, "minItems", "expected at least " + s.minItems + " items, found " + n);
    }
    if (s.maxItems != null && n > s.maxItems) {
      r.add(p, "maxItems", "expected at most " + s.maxItems + " items, found " + n);
      r.blockCel();
    }
    if (s.uniqueItems || "set".equals(s.listType)) {
      String rule = "set".equals(s.listType) ? Report.LIST_TYPE : "uniqueItems";
      for (int i = 1; i < n; i++) {
        for (int j = 0; j < i; j++) {
          if (Json.same(v.get(i), v.get(j))) {
            r.add(
                p.index(i),
                rule,
                "expected unique items, found "
                    + found(r, v.get(i))
                    + " again (also at index "
                    + j
                    + ")");
            break;
          }
        }
      }
    }
    if ("map".equals(s.listType) && !s.listMapKeys.isEmpty()) {
      mapListKeys(s, v, p, r);
    }
    if (s.items != null) {
      for (int i = 0; i < n; i++) {
        validate(s.items, v.get(i), p.index(i), r, structural);
      }
    }
  }

  /** {@code x-kubernetes-list-type: map}: no two items with the same values of the map keys. */
  private static void mapListKeys(Schema s, JsonNode v, FieldPath p, Report r) {
    List<List<JsonNode>> seen = new ArrayList<>(v.size());
    for (int i = 0; i < v.size(); i++) {
      JsonNode item = v.get(i);
      List<JsonNode> key = new ArrayList<>(s.listMapKeys.size());
      for (String k : s.listMapKeys) {
        JsonNode part = item.isObject() ? item.get(k) : null;
        key.add(
            part == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : part);
      }
      for (int j = 0; j < seen.size(); j++) {
        if (sameKey(seen.get(j), key)) {
          StringJoiner keyText = new StringJoiner(", ");
          for (int k = 0; k < key.size(); k++) {
            keyText.add(
                s.listMapKeys.get(k)
                    + "="
                    + (key.get(k).isMissingNode() ? "<unset>" : Json.shortText(key.get(k))));
          }
          r.add(
              p.index(i),
              Report.LIST_TYPE,
              "expected unique map keys ("
                  + String.join(", ", s.listMapKeys)
                  + "), found "
                  + keyText
                  + " again (also at index "
                  + j
                  + ")");
          break;
        }
      }
      seen.add(key);
    }
  }

  private static boolean sameKey(List<JsonNode> a, List<JsonNode> b) {
    for (int i = 0; i < a.size(); i++) {
      JsonNode x = a.get(i);
      JsonNode y = b.get(i);
      if (x.isMissingNode() || y.isMissingNode()
          ? x.isMissingNode() != y.isMissingNode()
          : !Json.same(x, y)) {
        return false;
      }
    }
    return true;
  }

  private static void object(Schema s, JsonNode v, FieldPath p, Report r, boolean structural) {
    if (s.minProperties != null || s.maxProperties != null) {
      int n = 0;
      for (Map.Entry<String, JsonNode> e : v.properties()) {
        Schema fs = s.fieldSchema(e.getKey());
        if (!(e.getValue().isNull() && (fs == null || !fs.nullable))) {
          n++;
        }
      }
      if (s.minProperties != null && n < s.minProperties) {
        r.add(p, "minProperties", "expected at least " + s.minProperties + " fields, found " + n);
      }
      if (s.maxProperties != null && n > s.maxProperties) {
        r.add(p, "maxProperties", "expected at most " + s.maxProperties + " fields, found " + n);
        r.blockCel();
      }
    }
    for (String name : s.required) {
      JsonNode child = v.get(name);
      Schema fs = s.fieldSchema(name);
      if (child == null || (child.isNull() && (fs == null || !fs.nullable))) {
        r.add(p.field(name), Report.REQUIRED, "required field '" + name + "' is missing");
        r.blockCel();
      }
    }
    for (Map.Entry<String, JsonNode> e : v.properties()) {
      String name = e.getKey();
      JsonNode child = e.getValue();
      Schema declared = s.properties.get(name);
      if (declared != null) {
        // Non-nullable nulls are pruned by the API server, not rejected.
        if (!(child.isNull() && !declared.nullable)) {
          validate(declared, child, p.field(name), r, structural);
        }
      } else if (s.additionalProperties != null) {
        if (!(child.isNull() && !s.additionalProperties.nullable)) {
          validate(s.additionalProperties, child, p.key(name), r, structural);
        }
      } else if (structural && !s.additionalPropertiesAllowed && !s.preserveUnknownFields) {
        r.add(p.field(name), Report.UNKNOWN_FIELD, unknownFieldMessage(s, name));
      }
    }
  }

  private static String unknownFieldMessage(Schema s, String name) {
    if (s.properties.isEmpty()) {
      return "unknown field '" + name + "': this object allows no fields";
    }
    String near = DidYouMean.closest(name, s.properties.keySet()).orElse(null);
    return "unknown field '"
        + name
        + "'"
        + (near != null ? " (did you mean '" + near + "'?)" : "")
        + "; known fields: "
        + String.join(", ", s.properties.keySet());
  }

  private static void junctions(Schema s, JsonNode v, FieldPath p, Report r) {
    for (Schema sub : s.allOf) {
      Report scratch = Report.collecting();
      validate(sub, v, p, scratch, false);
      for (Violation x : scratch.list()) {
        r.add(p, "allOf", "expected " + describe(sub) + " (allOf): " + x.message());
      }
    }
    if (!s.anyOf.isEmpty()) {
      boolean any = false;
      for (Schema sub : s.anyOf) {
        if (holds(sub, v, p)) {
          any = true;
          break;
        }
      }
      if (!any) {
        r.add(
            p,
            "anyOf",
            "expected at least one of: "
                + alternatives(s.anyOf)
                + "; found none in "
                + found(r, v));
      }
    }
    if (!s.oneOf.isEmpty()) {
      List<Schema> holding = new ArrayList<>();
      for (Schema sub : s.oneOf) {
        if (holds(sub, v, p)) {
          holding.add(sub);
        }
      }
      if (holding.size() != 1) {
        r.add(
            p,
            "oneOf",
            "expected exactly one of: "
                + alternatives(s.oneOf)
                + "; found "
                + (holding.isEmpty()
                    ? "none"
                    : holding.size() + " (" + alternatives(holding) + ")"));
      }
    }
    if (s.not != null && holds(s.not, v, p)) {
      r.add(p, "not", "expected a value that is not " + describe(s.not) + ", found " + found(r, v));
    }
  }

  private static boolean holds(Schema sub, JsonNode v, FieldPath p) {
    Report probe = Report.counting();
    validate(sub, v, p, probe, false);
    return probe.isEmpty();
  }

  private static String alternatives(List<Schema> subs) {
    StringJoiner j = new StringJoiner(" | ");
    for (Schema sub : subs) {
      j.add(describe(sub));
    }
    return j.toString();
  }

  /** A short human description of a value-validation sub-schema: {@code has endpointSelector}. */
  static String describe(Schema s) {
    StringJoiner j = new StringJoiner(", ");
    if (!s.required.isEmpty()) {
      j.add("has " + String.join(" and ", s.required));
    }
    if (!s.types.isEmpty()) {
      j.add("is " + String.join(" or ", s.types));
    }
    if (!s.enumValues.isEmpty()) {
      j.add(
          s.enumValues.size() == 1
              ? "is " + enumText(s).replaceAll("^\\[|\\]$", "")
              : "is one of " + enumText(s));
    }
    if (s.format != null) {
      j.add("is " + s.format);
    }
    if (s.patternSource != null) {
      j.add("matches " + s.patternSource);
    }
    for (Map.Entry<String, Schema> e : s.properties.entrySet()) {
      String inner = describe(e.getValue());
      if (!inner.equals("anything")) {
        j.add(e.getKey() + " " + inner);
      }
    }
    if (!s.anyOf.isEmpty()) {
      j.add("any of (" + alternatives(s.anyOf) + ")");
    }
    if (!s.oneOf.isEmpty()) {
      j.add("one of (" + alternatives(s.oneOf) + ")");
    }
    if (s.not != null) {
      j.add("not (" + describe(s.not) + ")");
    }
    String text = j.toString();
    return text.isEmpty() ? "anything" : text;
  }
}
