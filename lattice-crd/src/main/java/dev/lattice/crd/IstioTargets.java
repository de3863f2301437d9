package dev.lattice.crd;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;

/**
 * Which workloads an Istio policy applies to, as istiod's webhook checks it: a workload selector
 * (no empty keys, no wildcards), or {@code targetRef}/{@code targetRefs} naming a Gateway,
 * GatewayClass, Service or ServiceEntry in the policy's own namespace, never more than one of the
 * three. Shared by the AuthorizationPolicy and PeerAuthentication checks in {@link IstioChecks}.
 */
final class IstioTargets {
  /** (group, kind) pairs a policy's targetRef(s) may name; an empty group means core. */
  private static final Set<String> TARGET_KINDS =
      Set.of(
          "gateway.networking.k8s.io/Gateway",
          "gateway.networking.k8s.io/GatewayClass",
          "core/Service",
          "networking.istio.io/ServiceEntry");

  private IstioTargets() {}

  static void selectorOrTargets(JsonNode spec, FieldPath p, Report r) {
    int set = 0;
    if (present(spec.get("selector"))) {
      set++;
    }
    if (present(spec.get("targetRef"))) {
      set++;
    }
    if (IstioChecks.nonEmpty(spec, "targetRefs")) {
      set++;
    }
    if (set > 1) {
      r.add(
          p,
          Report.CONTROLLER,
          "selector, targetRef and targetRefs are mutually exclusive; istiod rejects the policy "
              + "(\"only one of targetRefs or workloadSelector can be set\")");
    }
    workloadSelector(spec.get("selector"), p.field("selector"), r);
    if (present(spec.get("targetRef"))) {
      targetRef(spec.get("targetRef"), p.field("targetRef"), r);
    }
    JsonNode refs = spec.get("targetRefs");
    if (refs != null && refs.isArray()) {
      for (int i = 0; i < refs.size(); i++) {
        targetRef(refs.get(i), p.field("targetRefs").index(i), r);
      }
    }
  }

  private static void targetRef(JsonNode ref, FieldPath p, Report r) {
    if (!ref.isObject()) {
      return;
    }
    if (text(ref.get("name"), "").isEmpty()) {
      r.add(p.field("name"), Report.CONTROLLER, "targetRef name must be set");
    }
    if (!text(ref.get("namespace"), "").isEmpty()) {
      r.add(
          p.field("namespace"),
          Report.CONTROLLER,
          "targetRef namespace must not be set: cross-namespace references are not supported");
    }
    String group = text(ref.get("group"), "");
    String kind = text(ref.get("kind"), "");
    String canonical = (group.isEmpty() ? "core" : group) + "/" + kind;
    if (!TARGET_KINDS.contains(canonical)) {
      r.add(
          p,
          Report.CONTROLLER,
          "targetRef must name a Gateway or GatewayClass (gateway.networking.k8s.io), "
              + "a Service (core) or a ServiceEntry (networking.istio.io), found group "
              + Json.quote(group)
              + " kind "
              + Json.quote(kind));
    }
  }

  static void workloadSelector(JsonNode selector, FieldPath p, Report r) {
    if (selector == null || !selector.isObject()) {
      return;
    }
    JsonNode labels = selector.get("matchLabels");
    if (labels == null || !labels.isObject()) {
      return;
    }
    for (Map.Entry<String, JsonNode> e : labels.properties()) {
      FieldPath at = p.field("matchLabels").key(e.getKey());
      if (e.getKey().isEmpty()) {
        r.add(at, Report.CONTROLLER, "empty key is not supported in selector");
      }
      if (e.getKey().contains("*")
          || (e.getValue().isTextual() && e.getValue().textValue().contains("*"))) {
        r.add(at, Report.CONTROLLER, "wildcard is not supported in selector");
      }
    }
  }

  private static String text(JsonNode n, String fallback) {
    return n != null && n.isTextual() ? n.textValue() : fallback;
  }

  private static boolean present(JsonNode n) {
    return n != null && !n.isNull();
  }
}
