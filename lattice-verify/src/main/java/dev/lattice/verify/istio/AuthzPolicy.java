package dev.lattice.verify.istio;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** A parsed {@code AuthorizationPolicy} (security.istio.io v1 or v1beta1). */
final class AuthzPolicy {
  enum Action {
    ALLOW,
    DENY,
    CUSTOM,
    AUDIT
  }

  /** A {@code targetRef(s)} entry. */
  static final class TargetRef {
    final String group;
    final String kind;
    final String name;
    final String namespace;

    TargetRef(String group, String kind, String name, String namespace) {
      this.group = group;
      this.kind = kind;
      this.name = name;
      this.namespace = namespace;
    }

    /**
     * {@code config.CanonicalGroup}: the core group is {@code core} whether written "" or "core".
     */
    String canonicalGroup() {
      return group.isEmpty() ? "core" : group;
    }

    @Override
    public String toString() {
      return kind + " " + (namespace.isEmpty() ? "" : namespace + "/") + name;
    }
  }

  /** A field with values and not-values (e.g. principals / notPrincipals). */
  static final class Field {
    final String key;
    final List<String> values;
    final List<String> notValues;

    Field(String key, List<String> values, List<String> notValues) {
      this.key = key;
      this.values = List.copyOf(values);
      this.notValues = List.copyOf(notValues);
    }

    boolean isEmpty() {
      return values.isEmpty() && notValues.isEmpty();
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder();
      if (!values.isEmpty()) {
        sb.append(key).append(' ').append(values);
      }
      if (!notValues.isEmpty()) {
        if (sb.length() > 0) {
          sb.append(' ');
        }
        sb.append("not ").append(key).append(' ').append(notValues);
      }
      return sb.toString();
    }
  }

  /** One {@code from.source}, {@code to.operation} or {@code when} condition: its fields by key. */
  static final class Clause {
    final Map<String, Field> fields;

    Clause(Map<String, Field> fields) {
      this.fields = fields;
    }

    Field get(String key) {
      return fields.get(key);
    }

    @Override
    public String toString() {
      List<String> parts = new ArrayList<>();
      fields.values().forEach(f -> parts.add(f.toString()));
      return "{" + String.join(", ", parts) + "}";
    }
  }

  /** A rule: its sources, operations and conditions. */
  static final class Rule {
    final int index;
    final List<Clause> from;
    final List<Clause> to;
    final List<Field> when;

    Rule(int index, List<Clause> from, List<Clause> to, List<Field> when) {
      this.index = index;
      this.from = List.copyOf(from);
      this.to = List.copyOf(to);
      this.when = List.copyOf(when);
    }

    @Override
    public String toString() {
      return "rules[" + index + "]";
    }
  }

  static final String[] SOURCE_FIELDS = {
    "principals",
    "namespaces",
    "serviceAccounts",
    "ipBlocks",
    "remoteIpBlocks",
    "requestPrincipals",
    "trustDomains"
  };
  static final String[] OPERATION_FIELDS = {"hosts", "ports", "methods", "paths"};

  final String namespace;
  final String name;
  final Action action;
  final Map<String, String> selector;
  final boolean hasSelector;
  final List<TargetRef> targetRefs;
  final boolean dryRun;
  final List<Rule> rules;
  final String provider;

  private AuthzPolicy(
      String namespace,
      String name,
      Action action,
      Map<String, String> selector,
      boolean hasSelector,
      List<TargetRef> targetRefs,
      boolean dryRun,
      List<Rule> rules,
      String provider) {
    this.namespace = namespace;
    this.name = name;
    this.action = action;
    this.selector = selector;
    this.hasSelector = hasSelector;
    this.targetRefs = List.copyOf(targetRefs);
    this.dryRun = dryRun;
    this.rules = List.copyOf(rules);
    this.provider = provider;
  }

  static boolean isAuthorizationPolicy(JsonNode d) {
    return "AuthorizationPolicy".equals(d.path("kind").asText())
        && d.path("apiVersion").asText("").startsWith("security.istio.io/");
  }

  static AuthzPolicy parse(JsonNode d) {
    JsonNode md = d.path("metadata");
    JsonNode spec = d.path("spec");
    String ns = md.path("namespace").asText("default");
    String name = md.path("name").asText("");
    Action action;
    try {
      action = Action.valueOf(spec.path("action").asText("ALLOW").toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      action = Action.ALLOW;
    }
    boolean hasSelector = spec.has("selector") && !spec.path("selector").isNull();
    Map<String, String> selector = new TreeMap<>();
    spec.path("selector")
        .path("matchLabels")
        .properties()
        .forEach(e -> selector.put(e.getKey(), e.getValue().asText()));
    List<TargetRef> refs = new ArrayList<>();
    for (JsonNode t : spec.path("targetRefs")) {
      refs.add(targetRef(t));
    }
    if (refs.isEmpty() && spec.has("targetRef") && !spec.path("targetRef").isNull()) {
      refs.add(targetRef(spec.path("targetRef")));
    }
    // strconv.ParseBool, as convertAuthorizationPolicy reads the annotation
    String dr = md.path("annotations").path("istio.io/dry-run").asText("");
    boolean dryRun = dr.equals("1") || dr.equalsIgnoreCase("t") || dr.equalsIgnoreCase("true");
    List<Rule> rules = new ArrayList<>();
    int i = 0;
    for (JsonNode r : spec.path("rules")) {
      rules.add(rule(i++, r));
    }
    String provider = spec.path("provider").path("name").asText("");
    return new AuthzPolicy(ns, name, action, selector, hasSelector, refs, dryRun, rules, provider);
  }

  private static TargetRef targetRef(JsonNode t) {
    return new TargetRef(
        t.path("group").asText(""),
        t.path("kind").asText(""),
        t.path("name").asText(""),
        t.path("namespace").asText(""));
  }

  private static Rule rule(int index, JsonNode r) {
    List<Clause> from = new ArrayList<>();
    for (JsonNode f : r.path("from")) {
      from.add(clause(f.path("source"), SOURCE_FIELDS));
    }
    List<Clause> to = new ArrayList<>();
    for (JsonNode t : r.path("to")) {
      to.add(clause(t.path("operation"), OPERATION_FIELDS));
    }
    List<Field> when = new ArrayList<>();
    for (JsonNode w : r.path("when")) {
      when.add(
          new Field(
              w.path("key").asText(""), strings(w.path("values")), strings(w.path("notValues"))));
    }
    return new Rule(index, from, to, when);
  }

  private static Clause clause(JsonNode node, String[] keys) {
    Map<String, Field> fields = new TreeMap<>();
    for (String k : keys) {
      String not = "not" + Character.toUpperCase(k.charAt(0)) + k.substring(1);
      Field f = new Field(k, strings(node.path(k)), strings(node.path(not)));
      if (!f.isEmpty()) {
        fields.put(k, f);
      }
    }
    return new Clause(fields);
  }

  private static List<String> strings(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.forEach(v -> out.add(v.asText()));
    return out;
  }

  String ref() {
    return "AuthorizationPolicy " + namespace + "/" + name;
  }

  @Override
  public String toString() {
    return ref();
  }
}
