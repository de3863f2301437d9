package dev.lattice.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.output.Labels;
import java.util.Map;

/**
 * Whether a live object already holds what server-side apply of a rendered document would leave in
 * it, so that an apply can be skipped (and reported as unchanged) without a write.
 *
 * <p>Server-side apply sets the fields the applied document names and removes the fields the same
 * field manager set before but no longer names; fields that others set (a label someone added,
 * defaults the API server filled in from the CRD schema, {@code status}) stay. So a live object is
 * up to date when
 *
 * <ul>
 *   <li>every field of the document has the same value in it — objects field by field, lists
 *       element by element with the same length, numbers by value — ignoring fields only the live
 *       object has (server defaults, others' labels), and
 *   <li>every field the manager owns, by the live object's {@code metadata.managedFields} entry for
 *       it (operation {@code Apply}), is still in the document; otherwise the apply would remove
 *       it.
 * </ul>
 *
 * <p>Both rules are conservative where the managed fields go into a list (keys {@code k:}, {@code
 * v:}, {@code i:}): the list as a whole is compared by the first rule.
 */
final class Drift {
  private Drift() {}

  /** Whether applying {@code desired} as {@code fieldManager} would change {@code live}. */
  static boolean needsApply(JsonNode desired, JsonNode live, String fieldManager) {
    for (Map.Entry<String, JsonNode> e : desired.properties()) {
      String field = e.getKey();
      if (field.equals("apiVersion") || field.equals("kind")) {
        continue;
      }
      JsonNode have = live.get(field);
      if (field.equals("metadata")) {
        if (!covers(e.getValue().path("labels"), live.path("metadata").path("labels"))
            || !covers(
                e.getValue().path("annotations"), live.path("metadata").path("annotations"))) {
          return true;
        }
      } else if (have == null || !covers(e.getValue(), have)) {
        return true;
      }
    }
    JsonNode owned = owned(live, fieldManager);
    return owned != null && dropsOwnedField(owned, desired);
  }

  /** Whether {@code object} carries {@code app.kubernetes.io/managed-by: lattice}. */
  static boolean isManaged(JsonNode object) {
    return Labels.MANAGED_BY_VALUE.equals(
        object.path("metadata").path("labels").path(Labels.MANAGED_BY).asText(null));
  }

  /** Whether {@code have} holds every field of {@code want} with the same value. */
  static boolean covers(JsonNode want, JsonNode have) {
    if (want.isMissingNode()) {
      return true;
    }
    if (want.isObject()) {
      if (!have.isObject()) {
        return false;
      }
      for (Map.Entry<String, JsonNode> e : want.properties()) {
        JsonNode h = have.get(e.getKey());
        if (h == null || !covers(e.getValue(), h)) {
          return false;
        }
      }
      return true;
    }
    if (want.isArray()) {
      if (!have.isArray() || have.size() != want.size()) {
        return false;
      }
      for (int i = 0; i < want.size(); i++) {
        if (!covers(want.get(i), have.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (want.isNumber() && have.isNumber()) {
      return want.decimalValue().compareTo(have.decimalValue()) == 0;
    }
    return want.equals(have);
  }

  /** The {@code fieldsV1} of {@code manager}'s Apply entry in {@code live}, or null. */
  static JsonNode owned(JsonNode live, String manager) {
    for (JsonNode entry : live.path("metadata").path("managedFields")) {
      if (manager.equals(entry.path("manager").asText())
          && "Apply".equals(entry.path("operation").asText())
          && entry.path("fieldsV1").isObject()) {
        return entry.path("fieldsV1");
      }
    }
    return null;
  }

  /** Whether {@code fields} (a {@code fieldsV1} tree) names a field {@code doc} does not hold. */
  private static boolean dropsOwnedField(JsonNode fields, JsonNode doc) {
    for (Map.Entry<String, JsonNode> e : fields.properties()) {
      String key = e.getKey();
      if (!key.startsWith("f:")) {
        // "." (the field itself), or list items by key, value or index: see the class comment
        continue;
      }
      JsonNode child = doc.isObject() ? doc.get(key.substring(2)) : null;
      if (child == null) {
        return true;
      }
      if (child.isObject() && dropsOwnedField(e.getValue(), child)) {
        return true;
      }
    }
    return false;
  }
}
