package dev.lattice.crd;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates {@code metadata} the way the API server validates a custom resource's ObjectMeta
 * (apimachinery {@code ValidateObjectMetaAccessor} with {@code NameIsDNSSubdomain}): name a
 * DNS-1123 subdomain of at most 253 characters, namespace a DNS-1123 label, label keys qualified
 * names and values at most 63 characters of {@code [A-Za-z0-9_.-]} starting and ending
 * alphanumeric, annotation keys qualified names with at most 256 KiB of annotations, finalizers
 * qualified names, and the known ObjectMeta fields only (strict field validation). Lattice's own
 * rule on top: {@code metadata.name} is required (no {@code generateName}) and a namespaced kind
 * must carry {@code metadata.namespace}, since rendered documents are applied as they are.
 */
final class ObjectMetaCheck {
  private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS1123_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern QUALIFIED_NAME =
      Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final int TOTAL_ANNOTATION_SIZE = 256 * 1024;

  private static final Map<String, String> FIELDS =
      Map.ofEntries(
          Map.entry("name", "string"),
          Map.entry("generateName", "string"),
          Map.entry("namespace", "string"),
          Map.entry("selfLink", "string"),
          Map.entry("uid", "string"),
          Map.entry("resourceVersion", "string"),
          Map.entry("generation", "integer"),
          Map.entry("creationTimestamp", "string"),
          Map.entry("deletionTimestamp", "string"),
          Map.entry("deletionGracePeriodSeconds", "integer"),
          Map.entry("labels", "object"),
          Map.entry("annotations", "object"),
          Map.entry("ownerReferences", "array"),
          Map.entry("finalizers", "array"),
          Map.entry("managedFields", "array"));

  private static final Set<String> NULLABLE = Set.of("creationTimestamp", "deletionTimestamp");

  private ObjectMetaCheck() {}

  static void check(JsonNode metadata, boolean namespaced, String kind, Report r) {
    FieldPath p = FieldPath.ROOT.field("metadata");
    if (metadata == null || metadata.isNull()) {
      r.add(p, Report.REQUIRED, "required field 'metadata' is missing");
      return;
    }
    if (!metadata.isObject()) {
      r.add(p, Report.TYPE, "expected object, found " + Json.describe(metadata));
      return;
    }
    for (Map.Entry<String, JsonNode> e : metadata.properties()) {
      String type = FIELDS.get(e.getKey());
      JsonNode v = e.getValue();
      if (type == null) {
        r.add(
            p.field(e.getKey()),
            Report.UNKNOWN_FIELD,
            "unknown field '"
                + e.getKey()
                + "' in ObjectMeta; known fields: "
                + String.join(", ", new java.util.TreeSet<>(FIELDS.keySet())));
      } else if (!(v.isNull() && NULLABLE.contains(e.getKey())) && !Json.typeName(v).equals(type)) {
        r.add(p.field(e.getKey()), Report.TYPE, "expected " + type + ", found " + Json.describe(v));
      }
    }
    name(metadata.get("name"), p.field("name"), r);
    namespace(metadata.get("namespace"), namespaced, kind, p.field("namespace"), r);
    labels(metadata.get("labels"), p.field("labels"), r);
    annotations(metadata.get("annotations"), p.field("annotations"), r);
    finalizers(metadata.get("finalizers"), p.field("finalizers"), r);
  }

  private static void name(JsonNode name, FieldPath p, Report r) {
    if (name == null || name.isNull() || (name.isTextual() && name.textValue().isEmpty())) {
      r.add(
          p,
          Report.REQUIRED,
          "required field 'name' is missing (Lattice renders named resources, never generateName)");
      return;
    }
    if (!name.isTextual()) {
      return; // reported as a type error above
    }
    String problem = subdomainProblem(name.textValue());
    if (problem != null) {
      r.add(
          p,
          Report.METADATA,
          "expected a DNS-1123 subdomain (lower-case alphanumerics, '-' and '.', "
              + "starting and ending alphanumeric, at most 253 characters), found "
              + Json.quote(name.textValue())
              + ": "
              + problem);
    }
  }

  private static void namespace(
      JsonNode ns, boolean namespaced, String kind, FieldPath p, Report r) {
    boolean present = ns != null && !ns.isNull() && !(ns.isTextual() && ns.textValue().isEmpty());
    if (!namespaced) {
      if (present) {
        r.add(
            p,
            Report.FORBIDDEN,
            kind
                + " is cluster-scoped: metadata.namespace must not be set, found "
                + Json.describe(ns));
      }
      return;
    }
    if (!present) {
      r.add(
          p,
          Report.REQUIRED,
          "required field 'namespace' is missing: "
              + kind
              + " is namespaced and Lattice never relies on the client's default namespace");
      return;
    }
    if (!ns.isTextual()) {
      return;
    }
    String v = ns.textValue();
    if (v.length() > 63 || !DNS1123_LABEL.matcher(v).matches()) {
      r.add(
          p,
          Report.METADATA,
          "expected a DNS-1123 label (lower-case alphanumerics and '-', starting and "
              + "ending alphanumeric, at most 63 characters), found "
              + Json.quote(v));
    }
  }

  private static void labels(JsonNode labels, FieldPath p, Report r) {
    if (labels == null || !labels.isObject()) {
      return;
    }
    for (Map.Entry<String, JsonNode> e : labels.properties()) {
      FieldPath at = p.key(e.getKey());
      String keyProblem = qualifiedNameProblem(e.getKey());
      if (keyProblem != null) {
        r.add(
            at, Report.METADATA, "invalid label key " + Json.quote(e.getKey()) + ": " + keyProblem);
      }
      JsonNode v = e.getValue();
      if (!v.isTextual()) {
        r.add(at, Report.TYPE, "expected string, found " + Json.describe(v));
        continue;
      }
      String value = v.textValue();
      if (value.length() > 63) {
        r.add(
            at,
            Report.METADATA,
            "invalid label value "
                + Json.quote(value)
                + ": must be at most 63 characters, found "
                + value.length());
      } else if (!value.isEmpty() && !QUALIFIED_NAME.matcher(value).matches()) {
        r.add(
            at,
            Report.METADATA,
            "invalid label value "
                + Json.quote(value)
                + ": must be empty or alphanumerics, '-', '_' and '.', starting and ending alphanumeric");
      }
    }
  }

  private static void annotations(JsonNode annotations, FieldPath p, Report r) {
    if (annotations == null || !annotations.isObject()) {
      return;
    }
    long total = 0;
    for (Map.Entry<String, JsonNode> e : annotations.properties()) {
      FieldPath at = p.key(e.getKey());
      String keyProblem = qualifiedNameProblem(e.getKey().toLowerCase(Locale.ROOT));
      if (keyProblem != null) {
        r.add(
            at,
            Report.METADATA,
            "invalid annotation key " + Json.quote(e.getKey()) + ": " + keyProblem);
      }
      if (!e.getValue().isTextual()) {
        r.add(at, Report.TYPE, "expected string, found " + Json.describe(e.getValue()));
        continue;
      }
      total += e.getKey().length() + e.getValue().textValue().length();
    }
    if (total > TOTAL_ANNOTATION_SIZE) {
      r.add(
          p,
          Report.METADATA,
          "annotations may hold at most " + TOTAL_ANNOTATION_SIZE + " bytes, found " + total);
    }
  }

  private static void finalizers(JsonNode finalizers, FieldPath p, Report r) {
    if (finalizers == null || !finalizers.isArray()) {
      return;
    }
    for (int i = 0; i < finalizers.size(); i++) {
      JsonNode f = finalizers.get(i);
      if (!f.isTextual()) {
        r.add(p.index(i), Report.TYPE, "expected string, found " + Json.describe(f));
        continue;
      }
      String problem = qualifiedNameProblem(f.textValue());
      if (problem != null) {
        r.add(
            p.index(i),
            Report.METADATA,
            "invalid finalizer " + Json.quote(f.textValue()) + ": " + problem);
      }
    }
  }

  /** Null when {@code s} is a DNS-1123 subdomain, else why not. */
  static String subdomainProblem(String s) {
    if (s.length() > 253) {
      return "it has " + s.length() + " characters";
    }
    if (!DNS1123_SUBDOMAIN.matcher(s).matches()) {
      return "it contains characters or dots in places a DNS-1123 subdomain does not allow";
    }
    return null;
  }

  /** Null when {@code key} is a Kubernetes qualified name ({@code [prefix/]name}), else why not. */
  static String qualifiedNameProblem(String key) {
    String name = key;
    int slash = key.indexOf('/');
    if (slash >= 0) {
      if (slash != key.lastIndexOf('/')) {
        return "a qualified name has at most one '/'";
      }
      String prefix = key.substring(0, slash);
      name = key.substring(slash + 1);
      if (prefix.isEmpty()) {
        return "the prefix before '/' must not be empty";
      }
      String problem = subdomainProblem(prefix);
      if (problem != null) {
        return "the prefix must be a DNS-1123 subdomain: " + problem;
      }
    }
    if (name.isEmpty()) {
      return "the name part must not be empty";
    }
    if (name.length() > 63) {
      return "the name part must be at most 63 characters, found " + name.length();
    }
    if (!QUALIFIED_NAME.matcher(name).matches()) {
      return "the name part must be alphanumerics, '-', '_' and '.', starting and ending alphanumeric";
    }
    return null;
  }
}
