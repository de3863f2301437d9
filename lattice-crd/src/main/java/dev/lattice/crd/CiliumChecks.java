package dev.lattice.crd;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What the Cilium agent rejects although the CRD schema lets it through (Cilium 1.18, {@code
 * pkg/policy/api/rule_validation.go}: {@code Rule.Sanitize} and the {@code sanitize} methods of
 * ingress/egress rules, port rules and port protocols). A rejected rule makes the agent drop the
 * whole policy, so each of these is as fatal as a schema error. Reported with rule {@code
 * controller-check}; the list is in {@link CrdConformance}.
 */
final class CiliumChecks {
  private static final List<String> INGRESS_PEERS =
      List.of(
          "fromEndpoints", "fromCIDR", "fromCIDRSet", "fromEntities", "fromNodes", "fromGroups");
  private static final List<String> EGRESS_PEERS =
      List.of(
          "toEndpoints",
          "toCIDR",
          "toCIDRSet",
          "toEntities",
          "toServices",
          "toFQDNs",
          "toGroups",
          "toNodes");

  /** RFC 6335 service name, as Cilium's {@code iana.IsSvcName}: 1..15 chars, a letter, no "--". */
  private static final Pattern SVC_NAME = Pattern.compile("[a-zA-Z0-9]+(-[a-zA-Z0-9]+)*");

  private static final Pattern HAS_LETTER = Pattern.compile(".*[a-zA-Z].*");

  private CiliumChecks() {}

  static void check(JsonNode doc, Report r) {
    JsonNode spec = doc.get("spec");
    JsonNode rules = doc.get("specs");
    if ((spec == null || spec.isNull())
        && (rules == null || !rules.isArray() || rules.size() == 0)) {
      r.add(
          FieldPath.ROOT.field("spec"),
          Report.CONTROLLER,
          "a Cilium policy needs spec or specs; the agent rejects it (\"Invalid CiliumNetworkPolicy spec(s): "
              + "empty policy\")");
    }
    if (spec != null && spec.isObject()) {
      rule(spec, FieldPath.ROOT.field("spec"), r);
    }
    JsonNode specs = doc.get("specs");
    if (specs != null && specs.isArray()) {
      for (int i = 0; i < specs.size(); i++) {
        if (specs.get(i).isObject()) {
          rule(specs.get(i), FieldPath.ROOT.field("specs").index(i), r);
        }
      }
    }
  }

  private static void rule(JsonNode rule, FieldPath p, Report r) {
    boolean hostPolicy = present(rule.get("nodeSelector"));
    section(rule, "ingress", true, true, hostPolicy, p, r);
    section(rule, "egress", false, true, hostPolicy, p, r);
    // Deny sections are not run through Sanitize's L3 checks in 1.18, but their ports are
    // parsed the same way when the policy is resolved.
    section(rule, "ingressDeny", true, false, hostPolicy, p, r);
    section(rule, "egressDeny", false, false, hostPolicy, p, r);
  }

  private static void section(
      JsonNode rule,
      String name,
      boolean ingress,
      boolean allow,
      boolean hostPolicy,
      FieldPath p,
      Report r) {
    JsonNode list = rule.get(name);
    if (list == null || !list.isArray()) {
      return;
    }
    for (int i = 0; i < list.size(); i++) {
      JsonNode element = list.get(i);
      if (element.isObject()) {
        element(element, name, ingress, allow, hostPolicy, p.field(name).index(i), r);
      }
    }
  }

  private static void element(
      JsonNode e,
      String section,
      boolean ingress,
      boolean allow,
      boolean hostPolicy,
      FieldPath p,
      Report r) {
    JsonNode toPorts = e.get("toPorts");
    boolean hasPorts = toPorts != null && toPorts.isArray() && toPorts.size() > 0;
    if (allow) {
      List<String> peers = new ArrayList<>();
      for (String field : ingress ? INGRESS_PEERS : EGRESS_PEERS) {
        if (nonEmptyArray(e.get(field))) {
          peers.add(field);
        }
      }
      if (peers.size() > 1) {
        String combined = String.join(" and ", peers);
        String fqdn =
            peers.contains("toFQDNs")
                ? " toFQDNs cannot be combined with any other L3 field (SEMANTICS.md C13)."
                : "";
        r.add(
            p,
            Report.CONTROLLER,
            "one "
                + section
                + " rule combines "
                + combined
                + "; Cilium rejects the whole policy "
                + "(\"Combining "
                + peers.get(0)
                + " and "
                + peers.get(1)
                + " is not supported yet\")."
                + fqdn
                + " Emit one rule element per kind of peer (SEMANTICS.md R1).");
      }
      if (!ingress && nonEmptyArray(e.get("toServices")) && hasPorts) {
        r.add(
            p,
            Report.CONTROLLER,
            "toServices cannot be combined with toPorts; Cilium rejects the policy "
                + "(\"Combining ToServices and ToPorts is not supported yet\")");
      }
    }
    if (nonEmptyArray(e.get("icmps")) && hasPorts) {
      r.add(
          p,
          Report.CONTROLLER,
          "icmps and toPorts in one rule; Cilium rejects the policy (\"The ICMPs block may only be "
              + "present without ToPorts. Define a separate rule to use ToPorts.\")");
    }
    for (String field : List.of(ingress ? "fromCIDRSet" : "toCIDRSet")) {
      JsonNode set = e.get(field);
      if (set != null && set.isArray()) {
        for (int i = 0; i < set.size(); i++) {
          cidrRule(set.get(i), p.field(field).index(i), r);
        }
      }
    }
    if (hasPorts) {
      for (int i = 0; i < toPorts.size(); i++) {
        if (toPorts.get(i).isObject()) {
          portRule(toPorts.get(i), ingress, hostPolicy, p.field("toPorts").index(i), r);
        }
      }
    }
  }

  /** {@code except} prefixes must lie inside the rule's {@code cidr} (same family). */
  private static void cidrRule(JsonNode c, FieldPath p, Report r) {
    if (!c.isObject() || !textual(c.get("cidr"))) {
      return;
    }
    Formats.Prefix allow = Formats.parseCidr(c.get("cidr").textValue());
    JsonNode except = c.get("except");
    if (allow == null || except == null || !except.isArray()) {
      return;
    }
    for (int i = 0; i < except.size(); i++) {
      JsonNode x = except.get(i);
      if (!x.isTextual()) {
        continue;
      }
      Formats.Prefix ex = Formats.parseCidr(x.textValue());
      if (ex == null) {
        r.add(
            p.field("except").index(i),
            Report.CONTROLLER,
            "expected a CIDR prefix, found "
                + Json.quote(x.textValue())
                + "; Cilium rejects the policy");
      } else if (!allow.contains(ex)) {
        r.add(
            p.field("except").index(i),
            Report.CONTROLLER,
            "except prefix "
                + x.textValue()
                + " is not inside cidr "
                + c.get("cidr").textValue()
                + "; Cilium rejects the policy (\"allow CIDR prefix does not contain exclude CIDR prefix\")");
      }
    }
  }

  private static void portRule(
      JsonNode pr, boolean ingress, boolean hostPolicy, FieldPath p, Report r) {
    JsonNode rules = pr.get("rules");
    boolean dns = rules != null && nonEmptyArray(rules.get("dns"));
    boolean l7 =
        rules != null
            && (nonEmptyArray(rules.get("http"))
                || nonEmptyArray(rules.get("kafka"))
                || dns
                || (textual(rules.get("l7proto")) && !rules.get("l7proto").textValue().isEmpty())
                || nonEmptyArray(rules.get("l7")));
    FieldPath rulesPath = p.field("rules");
    if (ingress && dns) {
      r.add(
          rulesPath.field("dns"),
          Report.CONTROLLER,
          "DNS rules are not allowed on ingress; Cilium rejects the policy");
    }
    JsonNode serverNames = pr.get("serverNames");
    if (serverNames != null && serverNames.isArray()) {
      for (int i = 0; i < serverNames.size(); i++) {
        if (serverNames.get(i).isTextual() && serverNames.get(i).textValue().isEmpty()) {
          r.add(
              p.field("serverNames").index(i),
              Report.CONTROLLER,
              "empty server name; Cilium rejects the policy (\"Empty server name is not allowed\")");
        }
      }
      if (serverNames.size() > 0 && l7 && !present(pr.get("terminatingTLS"))) {
        r.add(
            p.field("serverNames"),
            Report.CONTROLLER,
            "serverNames with L7 rules need terminatingTLS; Cilium rejects the policy");
      }
    }
    if (present(pr.get("listener"))) {
      if (ingress) {
        r.add(
            p.field("listener"),
            Report.CONTROLLER,
            "a listener is not allowed on ingress; Cilium rejects the policy");
      }
      if (l7) {
        r.add(
            p.field("listener"),
            Report.CONTROLLER,
            "a listener is not allowed with L7 rules; Cilium rejects the policy");
      }
    }
    boolean haveZeroPort = false;
    JsonNode ports = pr.get("ports");
    int portCount = ports != null && ports.isArray() ? ports.size() : 0;
    for (int i = 0; i < portCount; i++) {
      JsonNode pp = ports.get(i);
      if (!pp.isObject()) {
        continue;
      }
      FieldPath at = p.field("ports").index(i);
      haveZeroPort |= portProtocol(pp, dns, at, r);
      // L7 rules other than DNS need TCP; a missing protocol means ANY.
      if (l7 && !dns) {
        String protocol =
            textual(pp.get("protocol")) && !pp.get("protocol").textValue().isEmpty()
                ? pp.get("protocol").textValue()
                : "ANY";
        if (!protocol.equalsIgnoreCase("TCP")) {
          r.add(
              at.field("protocol"),
              Report.CONTROLLER,
              "L7 rules need protocol TCP, found "
                  + protocol
                  + (pp.has("protocol") ? "" : " (protocol unset)")
                  + "; Cilium rejects the policy (\"L7 rules can only apply to TCP (not "
                  + protocol
                  + ") except for DNS rules\")");
        }
      }
    }
    if (l7) {
      if (haveZeroPort) {
        r.add(
            rulesPath,
            Report.CONTROLLER,
            "L7 rules on a port entry with port \"0\" (all ports); Cilium rejects the policy "
                + "(\"L7 rules can not be used when a port is 0\")");
      }
      if (dns && portCount == 0) {
        r.add(
            rulesPath.field("dns"),
            Report.CONTROLLER,
            "DNS rules need an explicit port (53); Cilium rejects the policy (\"Port 53 must be specified for DNS rules\")");
      }
      if (hostPolicy) {
        r.add(
            rulesPath,
            Report.CONTROLLER,
            "a host policy (nodeSelector) cannot carry L7 rules; Cilium rejects the policy");
      }
    }
    if (rules != null
        && rules.isObject()
        && present(rules.get("l7"))
        && !(textual(rules.get("l7proto")) && !rules.get("l7proto").textValue().isEmpty())) {
      r.add(
          rulesPath.field("l7"),
          Report.CONTROLLER,
          "'l7' needs 'l7proto'; Cilium rejects the policy");
    }
  }

  /** Checks one {@code ports[]} entry; returns true when its port is "0" (all ports). */
  private static boolean portProtocol(JsonNode pp, boolean dns, FieldPath p, Report r) {
    JsonNode portNode = pp.get("port");
    if (portNode == null
        || portNode.isNull()
        || (portNode.isTextual() && portNode.textValue().isEmpty())) {
      r.add(
          p.field("port"),
          Report.CONTROLLER,
          "a port entry without port; Cilium rejects the whole policy (\"Port must be specified\")");
      return false;
    }
    if (!portNode.isTextual()) {
      return false; // a type error, reported by the schema
    }
    String port = portNode.textValue();
    if (isServiceName(port)) {
      return false; // a named container port; endPort is ignored for it
    }
    if (!Formats.allDigits(port)) {
      r.add(
          p.field("port"),
          Report.CONTROLLER,
          "expected a port number 0..65535 or an IANA service name (1-15 letters, digits and single '-', "
              + "with a letter), found "
              + Json.quote(port)
              + "; Cilium rejects the whole policy");
      return false;
    }
    if (port.length() > 1 && port.charAt(0) == '0') {
      r.add(
          p.field("port"),
          Report.CONTROLLER,
          "port "
              + Json.quote(port)
              + " has a leading zero; Cilium parses it with base prefix (octal), "
              + "not as the decimal port you meant");
      return false;
    }
    long value = port.length() > 6 ? Long.MAX_VALUE : Long.parseLong(port);
    if (value > 65535) {
      r.add(
          p.field("port"),
          Report.CONTROLLER,
          "expected a port 1..65535 (or \"0\" for all ports), found "
              + Json.quote(port)
              + "; Cilium rejects the whole policy (\"Unable to parse port\")");
      return false;
    }
    JsonNode endPort = pp.get("endPort");
    if (endPort != null && endPort.isNumber() && Json.isWholeNumber(endPort)) {
      long end = endPort.longValue();
      if (end != 0 && end < value) {
        r.add(
            p.field("endPort"),
            Report.CONTROLLER,
            "endPort "
                + end
                + " is lower than port "
                + value
                + "; a port range must end at or after its start");
      }
      if (dns && end > value) {
        r.add(
            p.field("endPort"),
            Report.CONTROLLER,
            "DNS rules do not support port ranges (endPort "
                + end
                + " > port "
                + value
                + "); Cilium rejects the policy");
      }
    }
    return value == 0;
  }

  static boolean isServiceName(String s) {
    return s.length() <= 15 && SVC_NAME.matcher(s).matches() && HAS_LETTER.matcher(s).matches();
  }

  private static boolean present(JsonNode n) {
    return n != null && !n.isNull();
  }

  private static boolean textual(JsonNode n) {
    return n != null && n.isTextual();
  }

  private static boolean nonEmptyArray(JsonNode n) {
    return n != null && n.isArray() && n.size() > 0;
  }
}
