package dev.lattice.verify.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Structural defaulting, as the API server applies it before validation: a property with a
 * {@code default} that is absent (or a null where the property is not nullable) gets a copy of
 * the default; then defaulting recurses into every present field, item and map value, including
 * the defaults just inserted. Rules such as the Gateway's {@code self.mode == 'Terminate'} rely on
 * it.
 */
final class Defaults {
  private Defaults() {}

  /** True when {@link #apply} would change {@code v}; lets a caller avoid copying the document. */
  static boolean needed(Schema s, JsonNode v) {
    if (s == null || !s.hasDefaults) {
      return false;
    }
    if (v.isObject()) {
      for (Map.Entry<String, Schema> p : s.properties.entrySet()) {
        if (p.getValue().defaultValue != null) {
          JsonNode x = v.get(p.getKey());
          if (x == null || (x.isNull() && !p.getValue().nullable)) {
            return true;
          }
        }
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (needed(s.fieldSchema(e.getKey()), e.getValue())) {
          return true;
        }
      }
    } else if (v.isArray()) {
      for (JsonNode item : v) {
        if (needed(s.items, item)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Applies defaults in place; {@code v} must be a private copy. */
  static void apply(Schema s, JsonNode v) {
    if (s == null || !s.hasDefaults) {
      return;
    }
    if (v.isObject()) {
      ObjectNode o = (ObjectNode) v;
      for (Map.Entry<String, Schema> p : s.properties.entrySet()) {
        Schema ps = p.getValue();
        if (ps.defaultValue != null) {
          JsonNode x = o.get(p.getKey());
          if (x == null || (x.isNull() && !ps.nullable)) {
            o.set(p.getKey(), ps.defaultValue.deepCopy());
          }
        }
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        apply(s.fieldSchema(e.getKey()), e.getValue());
      }
    } else if (v.isArray()) {
      for (JsonNode item : v) {
        apply(s.items, item);
      }
    }
  }
}
