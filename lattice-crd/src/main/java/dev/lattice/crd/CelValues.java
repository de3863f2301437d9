package dev.lattice.crd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.values.NullValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts a JSON value to the CEL value Kubernetes binds to {@code self}, guided by the schema:
 * objects become maps holding only the fields that are present (so {@code has()} is false for
 * absent ones), with unknown fields pruned (unless preserved) and non-nullable nulls dropped, as
 * the API server prunes them before validation; arrays become lists; integers become {@code int}
 * ({@code long}), also for an integral JSON number like {@code 80.0} under {@code type: integer};
 * values under {@code type: number} become {@code double}; {@code x-kubernetes-int-or-string}
 * values stay an {@code int} or a {@code string}. Strings with {@code format: date-time} or {@code
 * duration} stay strings (Kubernetes would give timestamps/durations; no rule in the checked CRDs
 * uses them).
 */
final class CelValues {
  private CelValues() {}

  static Object toCel(Schema s, JsonNode v) {
    if (v.isNull()) {
      return NullValue.NULL_VALUE;
    }
    if (v.isTextual()) {
      return v.textValue();
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    if (v.isNumber()) {
      if (s != null && s.types.contains("number")) {
        return v.doubleValue();
      }
      if (v.isIntegralNumber() && v.canConvertToLong()) {
        return v.longValue();
      }
      if (Json.isWholeNumber(v) && Math.abs(v.doubleValue()) < 9.0e18) {
        return (long) v.doubleValue();
      }
      return v.doubleValue();
    }
    if (v.isArray()) {
      Schema items = s == null ? null : s.items;
      List<Object> list = new ArrayList<>(v.size());
      for (JsonNode item : v) {
        list.add(toCel(items, item));
      }
      return Collections.unmodifiableList(list);
    }
    if (v.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : v.properties()) {
        Schema field = s == null ? null : s.fieldSchema(e.getKey());
        if (s != null
            && field == null
            && !s.additionalPropertiesAllowed
            && !s.preserveUnknownFields) {
          continue; // pruned by the API server (and reported as unknown-field)
        }
        if (e.getValue().isNull() && (field == null || !field.nullable)) {
          continue; // non-nullable nulls are pruned before validation
        }
        map.put(e.getKey(), toCel(field, e.getValue()));
      }
      return Collections.unmodifiableMap(map);
    }
    return v.asText();
  }
}
