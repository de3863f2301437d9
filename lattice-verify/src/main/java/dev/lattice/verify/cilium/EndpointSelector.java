package dev.lattice.verify.cilium;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A Cilium endpoint selector after the agent's processing: label keys carry a source ({@code k8s},
 * {@code reserved}, or {@code any} when unprefixed, SEMANTICS C6) and the namespace terms the agent
 * adds for the policy's scope (C7, C8). Source: {@code pkg/policy/api/selector.go}, {@code
 * pkg/labels} ({@code GetExtendedKeyFrom}), {@code pkg/k8s/apis/cilium.io/utils/utils.go}.
 */
final class EndpointSelector {
  static final String POD_NAMESPACE = "io.kubernetes.pod.namespace";
  static final String NAMESPACE_LABELS = "io.cilium.k8s.namespace.labels";

  enum Op {
    IN,
    NOT_IN,
    EXISTS,
    DOES_NOT_EXIST
  }

  /** One requirement: {@code source:key op values}. */
  static final class Requirement {
    final String source;
    final String key;
    final Op op;
    final Set<String> values;
    final boolean fromMatchLabels;

    Requirement(String source, String key, Op op, Set<String> values, boolean fromMatchLabels) {
      this.source = source;
      this.key = key;
      this.op = op;
      this.values = values;
      this.fromMatchLabels = fromMatchLabels;
    }

    boolean matches(Map<String, String> identity) {
      String value = lookup(identity);
      switch (op) {
        case IN:
          return value != null && values.contains(value);
        case NOT_IN:
          return value == null || !values.contains(value);
        case EXISTS:
          return value != null;
        default:
          return value == null;
      }
    }

    /**
     * The label's value in {@code identity} ({@code source:key} keys); any source for {@code any}.
     */
    private String lookup(Map<String, String> identity) {
      if ("any".equals(source)) {
        for (Map.Entry<String, String> e : identity.entrySet()) {
          String k = e.getKey();
          int colon = k.indexOf(':');
          if (k.substring(colon + 1).equals(key)) {
            return e.getValue();
          }
        }
        return null;
      }
      return identity.get(source + ":" + key);
    }

    @Override
    public String toString() {
      String k = source + ":" + key;
      switch (op) {
        case IN:
          return values.size() == 1 && fromMatchLabels
              ? k + "=" + values.iterator().next()
              : k + " In " + values;
        case NOT_IN:
          return k + " NotIn " + values;
        case EXISTS:
          return k + " Exists";
        default:
          return k + " DoesNotExist";
      }
    }
  }

  private final List<Requirement> requirements;

  private EndpointSelector(List<Requirement> requirements) {
    this.requirements = List.copyOf(requirements);
  }

  static EndpointSelector of(List<Requirement> requirements) {
    return new EndpointSelector(requirements);
  }

  /**
   * Parses a label selector as the agent unmarshals it: each key becomes {@code source.key} ({@code
   * k8s:app} → k8s, {@code app} → any, {@code $host} and {@code reserved.x} → reserved).
   *
   * @throws IllegalArgumentException for an operator or value list Kubernetes would reject
   */
  static EndpointSelector parse(JsonNode node) {
    List<Requirement> reqs = new ArrayList<>();
    JsonNode ml = node.path("matchLabels");
    if (ml.isObject()) {
      // a map: two spellings of one key (app, any:app) collapse to one entry, the last wins
      java.util.LinkedHashMap<String, Requirement> byKey = new java.util.LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : ml.properties()) {
        String[] sk = sourceAndKey(e.getKey());
        byKey.put(
            sk[0] + "." + sk[1],
            new Requirement(sk[0], sk[1], Op.IN, Set.of(e.getValue().asText("")), true));
      }
      reqs.addAll(byKey.values());
    }
    for (JsonNode me : node.path("matchExpressions")) {
      String[] sk = sourceAndKey(me.path("key").asText(""));
      String op = me.path("operator").asText("");
      Set<String> values = new TreeSet<>();
      me.path("values").forEach(v -> values.add(v.asText()));
      Op o;
      switch (op) {
        case "In":
          o = Op.IN;
          break;
        case "NotIn":
          o = Op.NOT_IN;
          break;
        case "Exists":
          o = Op.EXISTS;
          break;
        case "DoesNotExist":
          o = Op.DOES_NOT_EXIST;
          break;
        default:
          throw new IllegalArgumentException("invalid label selector operator \"" + op + "\"");
      }
      if ((o == Op.IN || o == Op.NOT_IN) && values.isEmpty()) {
        throw new IllegalArgumentException(
            "invalid label selector: values must be non-empty for operator " + op);
      }
      if ((o == Op.EXISTS || o == Op.DOES_NOT_EXIST) && !values.isEmpty()) {
        throw new IllegalArgumentException(
            "invalid label selector: values must be empty for operator " + op);
      }
      reqs.add(new Requirement(sk[0], sk[1], o, Collections.unmodifiableSet(values), false));
    }
    return new EndpointSelector(reqs);
  }

  /** {@code labels.GetExtendedKeyFrom}: the source before the first ':' ({@code any} when none). */
  static String[] sourceAndKey(String raw) {
    if (raw.startsWith("$")) {
      return new String[] {"reserved", raw.substring(1)};
    }
    int colon = raw.indexOf(':');
    if (colon < 0) {
      if (raw.startsWith("reserved.")) {
        return new String[] {"reserved", raw.substring("reserved.".length())};
      }
      return new String[] {"any", raw};
    }
    String source = raw.substring(0, colon);
    return new String[] {source.isEmpty() ? "any" : source, raw.substring(colon + 1)};
  }

  boolean matches(Map<String, String> identity) {
    for (Requirement r : requirements) {
      if (!r.matches(identity)) {
        return false;
      }
    }
    return true;
  }

  List<Requirement> requirements() {
    return requirements;
  }

  boolean isEmpty() {
    return requirements.isEmpty();
  }

  /** {@code HasKey}: a requirement on exactly {@code source.key}, any operator. */
  boolean hasKey(String source, String key) {
    for (Requirement r : requirements) {
      if (r.source.equals(source) && r.key.equals(key)) {
        return true;
      }
    }
    return false;
  }

  /** {@code HasKeyPrefix} on {@code source.prefix}. */
  boolean hasKeyPrefix(String source, String prefix) {
    for (Requirement r : requirements) {
      if (r.source.equals(source) && r.key.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  boolean hasSource(String source) {
    for (Requirement r : requirements) {
      if (r.source.equals(source)) {
        return true;
      }
    }
    return false;
  }

  /** This selector AND {@code other}. */
  EndpointSelector and(EndpointSelector other) {
    List<Requirement> all = new ArrayList<>(requirements);
    all.addAll(other.requirements);
    return new EndpointSelector(all);
  }

  /**
   * The subject selector of a rule (utils.go {@code ParseToCiliumRule}): for a CiliumNetworkPolicy,
   * {@code k8s:io.kubernetes.pod.namespace=<ns>} is added as a match label, replacing any {@code
   * k8s:}-prefixed namespace match label ("illegal namespace match ... removing"); a namespace term
   * of another source or in matchExpressions stays and is ANDed. A clusterwide policy's subject is
   * used as written.
   */
  EndpointSelector asSubject(String policyNamespace) {
    if (policyNamespace.isEmpty()) {
      return this;
    }
    List<Requirement> out = new ArrayList<>();
    for (Requirement r : requirements) {
      if (!(r.fromMatchLabels && r.source.equals("k8s") && r.key.equals(POD_NAMESPACE))) {
        out.add(r);
      }
    }
    out.add(new Requirement("k8s", POD_NAMESPACE, Op.IN, Set.of(policyNamespace), true));
    return new EndpointSelector(out);
  }

  /**
   * A peer selector ({@code fromEndpoints}/{@code toEndpoints}) of a rule (utils.go {@code
   * getEndpointSelector} with addK8sPrefix): unchanged when it has a {@code reserved:} key or names
   * {@code io.kubernetes.pod.namespace} (k8s or any source, any operator); otherwise a clusterwide
   * policy adds {@code k8s:io.kubernetes.pod.namespace Exists} (unless the subject selects
   * initializing pods), and a namespaced policy adds {@code k8s:io.kubernetes.pod.namespace=<ns>}
   * unless it names an {@code io.cilium.k8s.namespace.labels.*} key.
   */
  EndpointSelector asPeer(String policyNamespace, boolean subjectMatchesInit) {
    if (hasSource("reserved")) {
      return this;
    }
    return scoped(policyNamespace, subjectMatchesInit);
  }

  /**
   * A {@code fromRequires}/{@code toRequires} selector: scoped like a peer, reserved keys included
   * (addK8sPrefix false).
   */
  EndpointSelector asRequirement(String policyNamespace, boolean subjectMatchesInit) {
    return scoped(policyNamespace, subjectMatchesInit);
  }

  private EndpointSelector scoped(String policyNamespace, boolean subjectMatchesInit) {
    if (hasKey("k8s", POD_NAMESPACE) || hasKey("any", POD_NAMESPACE)) {
      return this;
    }
    List<Requirement> out = new ArrayList<>(requirements);
    if (policyNamespace.isEmpty()) {
      if (!subjectMatchesInit) {
        out.add(new Requirement("k8s", POD_NAMESPACE, Op.EXISTS, Set.of(), false));
      }
    } else if (!hasKeyPrefix("k8s", NAMESPACE_LABELS) && !hasKeyPrefix("any", NAMESPACE_LABELS)) {
      out.add(new Requirement("k8s", POD_NAMESPACE, Op.IN, Set.of(policyNamespace), true));
    }
    return new EndpointSelector(out);
  }

  @Override
  public String toString() {
    if (requirements.isEmpty()) {
      return "{} (everything)";
    }
    List<String> parts = new ArrayList<>();
    requirements.forEach(r -> parts.add(r.toString()));
    return "{" + String.join(", ", parts) + "}";
  }
}
