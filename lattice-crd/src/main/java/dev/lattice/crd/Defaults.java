package dev.lattice.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Structural defaulting, as the API server applies it before validation: a property with a {@code
 * default} that is absent (or a null where the property is not nullable) gets a copy of the
 * default; then defaulting recurses into every present field, item and map value, including the
 * defaults just inserted. Rules such as the Gateway's {@code self.mode == 'Terminate'} rely on it.
 * The document's top-level {@code status} is never inserted from its default: rendered documents
 * carry no status, and on create the API server resets it anyway.
 */
final class Defaults {
  private Defaults() {}

  /** True when {@link #apply} would change the document {@code v}; avoids copying it otherwise. */
  static boolean needed(Schema s, JsonNode v) {
    return needed(s, v, true);
  }

  /** Applies defaults in place to the document {@code v}, which must be a private copy. */
  static void apply(Schema s, JsonNode v) {
    apply(s, v, true);
  }

  private static boolean inserts(Map.Entry<String, Schema> p, JsonNode object, boolean root) {
    Schema ps = p.getValue();
    if (ps.defaultValue == null || (root && p.getKey().equals("status"))) {
      return false;
    }
    JsonNode x = object.get(p.getKey());
    return x == null || (x.isNull() && !ps.nullable);
  }

  private static boolean needed(Schema s, JsonNode v, boolean root) {
    if (s == null || !s.hasDefaults) {
      return false;
    }
    if (v.isObject()) {
      for (Map.Entry<String, Schema> p : s.properties.entrySet()) {
        if (inserts(p, v, root)) {
          return true;
        }
      }
      for (Map.Entry<String, JsonNode> e : v.properties()) {
        if (needed(s.fieldSchema(e.getKey()), e.getValue(), false)) {
          return true;
        }
      }
    } else if (v.isArray()) {
      for (JsonNode item : v) {
        if (needed(s.items, item, false)) {
          return true;
        }
      }
    }
    return false;
  }

  private static void apply(Schema s, JsonNode v, boolean root) {
    if (s == null || !s.hasDefaults) {
      return;
    }
    if (v.isObject()) {
      ObjectNode o = (ObjectNode) v;
      for (Map.Entry<String, Schema> p : s.properties.entrySet()) {
        if (inserts(p, o, root)) {
          o.set(p.getKey(), p.getValue().defaultValue.deepCopy());
        }
      }
      for (Map.Entry<String, JsonNode> e : o.properties()) {
        apply(s.fieldSchema(e.getKey()), e.getValue(), false);
      }
    } else if (v.isArray()) {
      for (JsonNode item : v) {
        apply(s.items, item, false);
      }
    }
  }
}
