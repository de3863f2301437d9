package dev.lattice.crd;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * What istiod's validating webhook rejects although the CRD schema lets it through (Istio 1.30,
 * {@code pkg/config/validation/validation.go}: {@code ValidateAuthorizationPolicy}, {@code
 * ValidatePeerAuthentication}; {@code pkg/config/security/security.go}). Reported with rule {@code
 * controller-check}; the list is in {@link CrdConformance}.
 */
final class IstioChecks {
  private static final List<String> SOURCE_FIELDS =
      List.of(
          "principals",
          "notPrincipals",
          "requestPrincipals",
          "notRequestPrincipals",
          "namespaces",
          "notNamespaces",
          "ipBlocks",
          "notIpBlocks",
          "remoteIpBlocks",
          "notRemoteIpBlocks",
          "serviceAccounts",
          "notServiceAccounts");
  private static final List<String> OPERATION_FIELDS =
      List.of(
          "ports", "notPorts", "methods", "notMethods", "paths", "notPaths", "hosts", "notHosts");
  private static final Set<String> IP_FIELDS =
      Set.of("ipBlocks", "notIpBlocks", "remoteIpBlocks", "notRemoteIpBlocks");

  private static final java.util.regex.Pattern UNSUPPORTED_TEMPLATE =
      java.util.regex.Pattern.compile("/\\{\\w+=\\*\\*?\\}|\\{\\w*\\}|/\\*\\*?|\\*\\*?/");

  private IstioChecks() {}

  static void authorizationPolicy(JsonNode doc, Report r) {
    JsonNode spec = doc.get("spec");
    if (spec == null || !spec.isObject()) {
      return;
    }
    FieldPath p = FieldPath.ROOT.field("spec");
    IstioTargets.selectorOrTargets(spec, p, r);
    String action = text(spec.get("action"), "ALLOW");
    JsonNode rules = spec.get("rules");
    boolean noRules = rules == null || !rules.isArray() || rules.size() == 0;
    JsonNode provider = spec.get("provider");
    if (action.equals("CUSTOM")) {
      if (noRules) {
        r.add(
            p.field("rules"),
            Report.CONTROLLER,
            "a CUSTOM policy without rules never triggers; add an empty rule {} to trigger on every request");
      } else if (provider == null
          || !provider.isObject()
          || text(provider.get("name"), "").isEmpty()) {
        r.add(
            p.field("provider").field("name"),
            Report.CONTROLLER,
            "a CUSTOM policy needs provider.name");
      }
    } else if (provider != null && !provider.isNull()) {
      r.add(
          p.field("provider"),
          Report.CONTROLLER,
          "provider is only allowed with action CUSTOM, found " + action);
    }
    if (action.equals("DENY") && noRules) {
      r.add(
          p.field("rules"),
          Report.CONTROLLER,
          "a DENY policy without rules never triggers; add an empty rule {} to deny every request");
    }
    if (rules == null || !rules.isArray()) {
      return;
    }
    for (int i = 0; i < rules.size(); i++) {
      JsonNode rule = rules.get(i);
      FieldPath rp = p.field("rules").index(i);
      if (!rule.isObject()) {
        continue;
      }
      from(rule.get("from"), rp.field("from"), r);
      to(rule.get("to"), rp.field("to"), r);
      when(rule.get("when"), rp.field("when"), r);
    }
  }

  private static void from(JsonNode from, FieldPath p, Report r) {
    if (from == null || !from.isArray()) {
      return;
    }
    if (from.size() == 0) {
      r.add(p, Report.CONTROLLER, "'from' must not be an empty list; omit it to match any source");
    }
    for (int i = 0; i < from.size(); i++) {
      JsonNode f = from.get(i);
      FieldPath fp = p.index(i);
      JsonNode source = f.isObject() ? f.get("source") : null;
      if (source == null || !source.isObject()) {
        r.add(fp.field("source"), Report.CONTROLLER, "'from' entry without source");
        continue;
      }
      FieldPath sp = fp.field("source");
      boolean any =
          textValues(
              source,
              SOURCE_FIELDS,
              sp,
              r,
              (field, value, at) -> {
                if (IP_FIELDS.contains(field)) {
                  ip(value, at, r);
                } else if (field.endsWith("erviceAccounts")) {
                  serviceAccount(value, at, r);
                }
              });
      if (!any) {
        r.add(
            sp,
            Report.CONTROLLER,
            "'from.source' must not be empty; omit the 'from' entry to match any source");
      }
      boolean identity =
          nonEmpty(source, "principals")
              || nonEmpty(source, "notPrincipals")
              || nonEmpty(source, "namespaces")
              || nonEmpty(source, "notNamespaces");
      if (identity
          && (nonEmpty(source, "serviceAccounts") || nonEmpty(source, "notServiceAccounts"))) {
        r.add(
            sp,
            Report.CONTROLLER,
            "serviceAccounts cannot be combined with principals or namespaces");
      }
    }
  }

  /** A check of one non-empty text value of a list field. */
  @FunctionalInterface
  private interface ValueCheck {
    void check(String field, String value, FieldPath at);
  }

  /**
   * Visits the text values of {@code fields} (lists) of {@code object}: an empty string is an error
   * istiod reports for every such field; the rest go to {@code check}. Returns whether any of the
   * lists has a value.
   */
  private static boolean textValues(
      JsonNode object, List<String> fields, FieldPath base, Report r, ValueCheck check) {
    boolean any = false;
    for (String field : fields) {
      JsonNode values = object.get(field);
      if (values == null || !values.isArray()) {
        continue;
      }
      any |= values.size() > 0;
      for (int k = 0; k < values.size(); k++) {
        JsonNode v = values.get(k);
        if (!v.isTextual()) {
          continue;
        }
        FieldPath at = base.field(field).index(k);
        if (v.textValue().isEmpty()) {
          r.add(
              at,
              Report.CONTROLLER,
              "empty string in "
                  + field
                  + "; istiod rejects the policy "
                  + "(\"empty value not allowed, found in "
                  + capitalize(field)
                  + "\")");
        } else {
          check.check(field, v.textValue(), at);
        }
      }
    }
    return any;
  }

  private static void to(JsonNode to, FieldPath p, Report r) {
    if (to == null || !to.isArray()) {
      return;
    }
    if (to.size() == 0) {
      r.add(p, Report.CONTROLLER, "'to' must not be an empty list; omit it to match any operation");
    }
    for (int i = 0; i < to.size(); i++) {
      JsonNode t = to.get(i);
      JsonNode op = t.isObject() ? t.get("operation") : null;
      FieldPath opPath = p.index(i).field("operation");
      if (op == null || !op.isObject()) {
        r.add(opPath, Report.CONTROLLER, "'to' entry without operation");
        continue;
      }
      boolean any =
          textValues(
              op,
              OPERATION_FIELDS,
              opPath,
              r,
              (field, value, at) -> {
                if (field.equals("ports") || field.equals("notPorts")) {
                  port(value, at, r);
                } else if ((field.equals("paths") || field.equals("notPaths"))
                    && !validPathTemplate(value)) {
                  r.add(
                      at,
                      Report.CONTROLLER,
                      "invalid or unsupported path template "
                          + Json.quote(value)
                          + ": no named variables, empty braces or bare * segments"
                          + " next to {*} or {**}");
                }
              });
      if (!any) {
        r.add(
            opPath,
            Report.CONTROLLER,
            "'to.operation' must not be empty; omit the 'to' entry to match any operation");
      }
    }
  }

  private static void when(JsonNode when, FieldPath p, Report r) {
    if (when == null || !when.isArray()) {
      return;
    }
    for (int i = 0; i < when.size(); i++) {
      JsonNode c = when.get(i);
      if (!c.isObject()) {
        continue;
      }
      FieldPath cp = p.index(i);
      String key = text(c.get("key"), "");
      if (key.isEmpty()) {
        r.add(cp.field("key"), Report.CONTROLLER, "condition key must not be empty");
        continue;
      }
      boolean values = nonEmpty(c, "values");
      boolean notValues = nonEmpty(c, "notValues");
      if (!values && !notValues) {
        r.add(cp, Report.CONTROLLER, "condition on " + key + " needs values or notValues");
        continue;
      }
      for (String field : List.of("values", "notValues")) {
        JsonNode list = c.get(field);
        if (list == null || !list.isArray()) {
          continue;
        }
        for (int k = 0; k < list.size(); k++) {
          JsonNode v = list.get(k);
          if (v.isTextual()) {
            attribute(key, v.textValue(), cp.field(field).index(k), r);
          }
        }
      }
      String keyProblem = attributeKeyProblem(key);
      if (keyProblem != null) {
        r.add(cp.field("key"), Report.CONTROLLER, keyProblem);
      }
    }
  }

  private static void attribute(String key, String value, FieldPath p, Report r) {
    if (value.isEmpty()) {
      r.add(p, Report.CONTROLLER, "empty value for condition key " + key);
    } else if (key.equals("source.ip") || key.equals("remote.ip") || key.equals("destination.ip")) {
      ip(value, p, r);
    } else if (key.equals("destination.port")) {
      port(value, p, r);
    }
  }

  /** Null for a key istiod knows, else why it is rejected. */
  private static String attributeKeyProblem(String key) {
    if (key.startsWith("request.headers")
        || key.startsWith("request.auth.claims")
        || key.startsWith("experimental.envoy.filters.")) {
      int open = key.indexOf('[');
      return key.endsWith("]") && open > 0 && open < key.length() - 2
          ? null
          : "bad condition key " + Json.quote(key) + ": should have the form a[b]";
    }
    switch (key) {
      case "source.ip":
      case "remote.ip":
      case "source.namespace":
      case "source.principal":
      case "request.auth.principal":
      case "request.auth.audiences":
      case "request.auth.presenter":
      case "destination.ip":
      case "destination.port":
      case "connection.sni":
        return null;
      default:
        return "unknown condition key " + Json.quote(key) + "; istiod rejects the policy";
    }
  }

  static void peerAuthentication(JsonNode doc, Report r) {
    JsonNode spec = doc.get("spec");
    if (spec == null || !spec.isObject()) {
      return;
    }
    FieldPath p = FieldPath.ROOT.field("spec");
    IstioTargets.workloadSelector(spec.get("selector"), p.field("selector"), r);
    JsonNode portLevel = spec.get("portLevelMtls");
    if (portLevel == null || !portLevel.isObject()) {
      return;
    }
    JsonNode selector = spec.get("selector");
    JsonNode matchLabels =
        selector != null && selector.isObject() ? selector.get("matchLabels") : null;
    if (portLevel.size() > 0
        && (matchLabels == null || !matchLabels.isObject() || matchLabels.size() == 0)) {
      r.add(
          p.field("portLevelMtls"),
          Report.CONTROLLER,
          "portLevelMtls needs a selector with matchLabels; istiod rejects it on a mesh- or namespace-wide "
              + "PeerAuthentication");
    }
    if (portLevel.size() == 0) {
      r.add(
          p.field("portLevelMtls"),
          Report.CONTROLLER,
          "portLevelMtls, if present, must have at least one port");
    }
    for (Iterator<String> it = portLevel.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      long port = Formats.allDigits(key) && key.length() < 7 ? Long.parseLong(key) : -1;
      if (port < 1 || port > 65535) {
        r.add(
            p.field("portLevelMtls").key(key),
            Report.CONTROLLER,
            "expected a port 1..65535 as portLevelMtls key, found " + Json.quote(key));
      }
    }
  }

  private static void port(String s, FieldPath p, Report r) {
    long value = Formats.allDigits(s) && s.length() < 7 ? Long.parseLong(s) : -1;
    // istiod's webhook itself lets "0" through (ParseUint, then > 65535), but no connection has
    // port 0, so a rendered 0 is a bug either way.
    if (value < 1 || value > 65535) {
      r.add(
          p,
          Report.CONTROLLER,
          "expected a port 1..65535, found "
              + Json.quote(s)
              + (value == 0
                  ? " (istiod accepts it, but it never matches)"
                  : "; istiod rejects the policy"));
    }
  }

  private static void ip(String s, FieldPath p, Report r) {
    boolean ok = s.indexOf('/') >= 0 ? Formats.parseCidr(s) != null : Formats.parseIp(s) != null;
    if (!ok) {
      r.add(
          p,
          Report.CONTROLLER,
          "expected an IP address or CIDR prefix, found "
              + Json.quote(s)
              + "; istiod rejects the policy");
    }
  }

  /** {@code <sa>} or {@code <ns>/<sa>}. */
  private static void serviceAccount(String s, FieldPath p, Report r) {
    int slash = s.indexOf('/');
    boolean ok = slash < 0 || (slash > 0 && slash < s.length() - 1 && slash == s.lastIndexOf('/'));
    if (!ok) {
      r.add(
          p,
          Report.CONTROLLER,
          "expected a service account as <name> or <namespace>/<name>, found " + Json.quote(s));
    }
  }

  /**
   * Istio path templates: a path with {@code {*}} or {@code {**}} must not also hold named
   * variables, empty braces or bare {@code *}/{@code **} segments ({@code CheckValidPathTemplate}).
   */
  static boolean validPathTemplate(String path) {
    if (!path.contains("{*}") && !path.contains("{**}")) {
      return true;
    }
    return !UNSUPPORTED_TEMPLATE.matcher(path).find();
  }

  private static String capitalize(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static String text(JsonNode n, String fallback) {
    return n != null && n.isTextual() ? n.textValue() : fallback;
  }

  /** Whether {@code parent.field} is a non-empty list. */
  static boolean nonEmpty(JsonNode parent, String field) {
    JsonNode n = parent.get(field);
    return n != null && n.isArray() && n.size() > 0;
  }
}
