package dev.lattice.verify.cilium;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.model.IpPrefix;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns {@code CiliumNetworkPolicy} and {@code CiliumClusterwideNetworkPolicy} documents into
 * {@link PolicyRule}s the way the agent does ({@code ParseToCiliumRule}, then {@code Sanitize}): a
 * rule the agent would reject makes the whole policy rejected (R1, C11).
 */
final class PolicyParser {
  /** A parsed policy: its rules, or why the agent rejects it. */
  static final class Parsed {
    final String ref;
    final List<PolicyRule> rules;
    final String rejection;
    final List<String> notes;

    /** Subject selectors of a rejected policy, to say which endpoints it would have selected. */
    final List<EndpointSelector> rejectedSubjects;

    Parsed(
        String ref,
        List<PolicyRule> rules,
        String rejection,
        List<String> notes,
        List<EndpointSelector> rejectedSubjects) {
      this.ref = ref;
      this.rules = List.copyOf(rules);
      this.rejection = rejection;
      this.notes = List.copyOf(notes);
      this.rejectedSubjects = List.copyOf(rejectedSubjects);
    }
  }

  private static final class Rejected extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Rejected(String message) {
      super(message, null, false, false);
    }
  }

  private PolicyParser() {}

  static boolean isCiliumPolicy(JsonNode doc) {
    String kind = doc.path("kind").asText("");
    return doc.path("apiVersion").asText("").startsWith("cilium.io/")
        && (kind.equals("CiliumNetworkPolicy") || kind.equals("CiliumClusterwideNetworkPolicy"));
  }

  static Parsed parse(JsonNode doc) {
    String kind = doc.path("kind").asText();
    boolean clusterwide = kind.equals("CiliumClusterwideNetworkPolicy");
    JsonNode md = doc.path("metadata");
    String name = md.path("name").asText("");
    String ns = clusterwide ? "" : md.path("namespace").asText("default");
    String ref = kind + " " + (clusterwide ? name : ns + "/" + name);
    List<String> notes = new ArrayList<>();
    List<JsonNode> specs = new ArrayList<>();
    List<String> wheres = new ArrayList<>();
    if (doc.has("spec") && !doc.path("spec").isNull()) {
      specs.add(doc.path("spec"));
      wheres.add("spec");
    }
    int i = 0;
    for (JsonNode s : doc.path("specs")) {
      specs.add(s);
      wheres.add("specs[" + i++ + "]");
    }
    List<PolicyRule> rules = new ArrayList<>();
    List<EndpointSelector> subjects = new ArrayList<>();
    try {
      for (int k = 0; k < specs.size(); k++) {
        PolicyRule r = rule(ref, wheres.get(k), clusterwide, ns, specs.get(k), notes, subjects);
        if (r != null) {
          rules.add(r);
        }
      }
    } catch (Rejected e) {
      return new Parsed(ref, List.of(), e.getMessage(), notes, subjects);
    }
    return new Parsed(ref, rules, null, notes, List.of());
  }

  private static PolicyRule rule(
      String ref,
      String where,
      boolean clusterwide,
      String ns,
      JsonNode spec,
      List<String> notes,
      List<EndpointSelector> subjects) {
    boolean hasEs = spec.has("endpointSelector") && !spec.path("endpointSelector").isNull();
    boolean hasNs = spec.has("nodeSelector") && !spec.path("nodeSelector").isNull();
    if (hasEs == hasNs) {
      throw new Rejected(
          where
              + ": rule must have one of EndpointSelector or NodeSelector, not "
              + (hasEs ? "both" : "neither"));
    }
    if (hasNs) {
      notes.add(ref + " " + where + ": a host policy (nodeSelector); not modelled (A6), ignored");
      return null;
    }
    EndpointSelector raw = selector(spec.path("endpointSelector"), where + ".endpointSelector");
    EndpointSelector subject = raw.asSubject(ns);
    subjects.add(subject);
    boolean matchesInit = raw.hasKey("reserved", "init");
    List<EndpointSelector> fromRequires = new ArrayList<>();
    List<EndpointSelector> toRequires = new ArrayList<>();
    List<RuleElement> ingress =
        elements(
            spec.path("ingress"),
            where + ".ingress",
            true,
            false,
            ns,
            matchesInit,
            fromRequires,
            notes,
            ref);
    List<RuleElement> ingressDeny =
        elements(
            spec.path("ingressDeny"),
            where + ".ingressDeny",
            true,
            true,
            ns,
            matchesInit,
            fromRequires,
            notes,
            ref);
    List<RuleElement> egress =
        elements(
            spec.path("egress"),
            where + ".egress",
            false,
            false,
            ns,
            matchesInit,
            toRequires,
            notes,
            ref);
    List<RuleElement> egressDeny =
        elements(
            spec.path("egressDeny"),
            where + ".egressDeny",
            false,
            true,
            ns,
            matchesInit,
            toRequires,
            notes,
            ref);
    JsonNode dd = spec.path("enableDefaultDeny");
    Boolean ddi = dd.path("ingress").isBoolean() ? dd.path("ingress").booleanValue() : null;
    Boolean dde = dd.path("egress").isBoolean() ? dd.path("egress").booleanValue() : null;
    if (!fromRequires.isEmpty() || !toRequires.isEmpty()) {
      notes.add(
          ref
              + " "
              + where
              + ": uses fromRequires/toRequires (C17): honoured as in"
              + " Cilium 1.18, but removed in 1.19");
    }
    return new PolicyRule(
        ref,
        where,
        clusterwide,
        subject,
        ingress,
        ingressDeny,
        egress,
        egressDeny,
        ddi,
        dde,
        fromRequires,
        toRequires);
  }

  private static EndpointSelector selector(JsonNode node, String where) {
    try {
      return EndpointSelector.parse(node);
    } catch (IllegalArgumentException e) {
      throw new Rejected(where + ": " + e.getMessage());
    }
  }

  private static List<RuleElement> elements(
      JsonNode list,
      String where,
      boolean ingress,
      boolean deny,
      String ns,
      boolean matchesInit,
      List<EndpointSelector> requires,
      List<String> notes,
      String ref) {
    List<RuleElement> out = new ArrayList<>();
    int i = 0;
    for (JsonNode e : list) {
      out.add(
          element(e, where + "[" + i + "]", ingress, deny, ns, matchesInit, requires, notes, ref));
      i++;
    }
    return out;
  }

  private static RuleElement element(
      JsonNode e,
      String where,
      boolean ingress,
      boolean deny,
      String ns,
      boolean matchesInit,
      List<EndpointSelector> requires,
      List<String> notes,
      String ref) {
    String p = ingress ? "from" : "to";
    // the L3 peer fields and how many entries each has (absent: -1)
    Map<String, Integer> l3 = new LinkedHashMap<>();
    String[] fields =
        ingress
            ? new String[] {"Endpoints", "CIDR", "CIDRSet", "Entities", "Nodes", "Groups"}
            : new String[] {
              "Endpoints", "CIDR", "CIDRSet", "Entities", "Services", "FQDNs", "Groups", "Nodes"
            };
    for (String f : fields) {
      JsonNode v = e.get(p + f);
      l3.put(p + f, v == null || v.isNull() ? -1 : v.size());
    }
    List<String> present = new ArrayList<>();
    l3.forEach(
        (k, v) -> {
          if (v > 0) {
            present.add(k);
          }
        });
    // Rule.Sanitize validates only Ingress and Egress elements: the agent does not reject deny
    // elements that mix peer kinds (they select the union), a detail SEMANTICS R1 leaves open.
    if (present.size() > 1 && !deny) {
      // R1: pkg/policy/api/rule_validation.go rejects the whole policy
      throw new Rejected(
          where
              + ": combining "
              + present.get(0)
              + " and "
              + present.get(1)
              + " is not supported (one kind of L3 peer per rule element, R1)");
    }
    // fromNodes/toNodes: rule_validation.go returns ErrFromToNodesRequiresNodeSelectorOption, so
    // with the default agent flags the whole policy is rejected (not only an R1 matter)
    if (!deny && (l3.get(p + "Nodes") > 0)) {
      throw new Rejected(
          where
              + ": "
              + p
              + "Nodes rules can only be applied when the"
              + " enable-node-selector-labels flag is set (off by default)");
    }
    if (!ingress && !deny && l3.get("toServices") > 0 && e.path("toPorts").size() > 0) {
      throw new Rejected(where + ": combining ToServices and ToPorts is not supported");
    }
    if (e.path("icmps").size() > 0 && e.path("toPorts").size() > 0) {
      throw new Rejected(where + ": the ICMPs block may only be present without ToPorts");
    }
    JsonNode req = e.get(p + "Requires");
    if (req != null) {
      for (JsonNode r : req) {
        requires.add(selector(r, where + "." + p + "Requires").asRequirement(ns, matchesInit));
      }
    }
    List<EndpointSelector> selectors = new ArrayList<>();
    int k = 0;
    for (JsonNode s : e.path(p + "Endpoints")) {
      selectors.add(
          selector(s, where + "." + p + "Endpoints[" + k++ + "]").asPeer(ns, matchesInit));
    }
    List<RuleElement.Cidr> cidrs = new ArrayList<>();
    for (JsonNode c : e.path(p + "CIDR")) {
      IpPrefix r = IpPrefix.tryParseRange(c.asText("")).orElse(null);
      if (r == null) {
        throw new Rejected(where + ": unable to parse CIDR \"" + c.asText("") + "\"");
      }
      cidrs.add(new RuleElement.Cidr(r, List.of()));
    }
    for (JsonNode c : e.path(p + "CIDRSet")) {
      if (c.has("cidrGroupRef") || c.has("cidrGroupSelector")) {
        notes.add(
            ref
                + " "
                + where
                + ": a CIDR group reference is not modelled (A6); it"
                + " selects nothing here");
        continue;
      }
      String text = c.path("cidr").asText("");
      IpPrefix r = IpPrefix.tryParse(text).orElse(null);
      if (r == null) {
        throw new Rejected(where + ": unable to parse CIDRRule \"" + text + "\"");
      }
      List<IpPrefix> except = new ArrayList<>();
      for (JsonNode x : c.path("except")) {
        IpPrefix xr = IpPrefix.tryParseRange(x.asText("")).orElse(null);
        if (xr == null || !r.covers(xr)) {
          throw new Rejected(
              where
                  + ": allow CIDR prefix "
                  + text
                  + " does not contain exclude CIDR prefix "
                  + x.asText(""));
        }
        except.add(xr);
      }
      cidrs.add(new RuleElement.Cidr(r, except));
    }
    List<String> entities = new ArrayList<>();
    for (JsonNode en : e.path(p + "Entities")) {
      String name = en.asText("");
      if (!Entities.KNOWN.contains(name)) {
        throw new Rejected(where + ": unsupported entity: " + name);
      }
      entities.add(name);
    }
    List<FqdnPattern> fqdns = new ArrayList<>();
    if (!ingress) {
      for (JsonNode f : e.path("toFQDNs")) {
        try {
          fqdns.add(FqdnPattern.parse(f));
        } catch (IllegalArgumentException x) {
          throw new Rejected(where + ".toFQDNs: " + x.getMessage());
        }
      }
    }
    List<PortRule> toPorts = new ArrayList<>();
    for (JsonNode tp : e.path("toPorts")) {
      try {
        toPorts.add(PortRule.parse(tp, ingress));
      } catch (IllegalArgumentException x) {
        throw new Rejected(where + ".toPorts: " + x.getMessage());
      }
    }
    boolean icmp = e.path("icmps").size() > 0;

    RuleElement.PeerKind kind;
    String unmodelled = null;
    boolean explicitEmpty = false;
    for (String f : new String[] {"Endpoints", "CIDR", "CIDRSet", "Entities"}) {
      if (l3.getOrDefault(p + f, -1) == 0) {
        explicitEmpty = true;
      }
    }
    if (explicitEmpty) {
      kind = RuleElement.PeerKind.NONE;
    } else if (present.isEmpty()) {
      kind = RuleElement.PeerKind.ALL;
    } else if (present.size() > 1) {
      kind = RuleElement.PeerKind.MIXED;
    } else {
      String f = present.get(0).substring(p.length());
      switch (f) {
        case "Endpoints":
          kind = RuleElement.PeerKind.ENDPOINTS;
          break;
        case "CIDR":
        case "CIDRSet":
          kind = RuleElement.PeerKind.CIDR;
          break;
        case "Entities":
          kind = RuleElement.PeerKind.ENTITIES;
          break;
        case "FQDNs":
          kind = RuleElement.PeerKind.FQDN;
          break;
        default:
          kind = RuleElement.PeerKind.UNMODELLED;
          unmodelled = present.get(0);
          notes.add(
              ref
                  + " "
                  + where
                  + ": "
                  + present.get(0)
                  + " is not modelled (A6); it"
                  + " selects nothing here");
      }
    }
    return new RuleElement(
        where.substring(where.lastIndexOf('.') + 1),
        ingress,
        deny,
        kind,
        selectors,
        cidrs,
        entities,
        fqdns,
        toPorts,
        icmp,
        unmodelled);
  }
}
