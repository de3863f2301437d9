package dev.lattice.verify.istio;

import dev.lattice.model.IpPrefix;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A policy as istiod sends it to ztunnel and ztunnel matches it: rules of clauses of matches
 * (SEMANTICS IZ1–IZ4, IZ6). Converted as {@code convertAuthorizationPolicy}/{@code handleRule} in
 * {@code pilot/pkg/serviceregistry/ambient/authorization.go}; matched as {@code
 * Authorization::matches} in ztunnel {@code src/rbac.rs}: a policy with no rules matches nothing; a
 * rule matches when all its clauses do; a clause when any of its non-empty matches does (empty
 * matches are skipped, an empty clause matches); within a match every field must hold.
 */
final class ZtunnelPolicy {
  enum Scope {
    GLOBAL,
    NAMESPACE,
    WORKLOAD_SELECTOR
  }

  /** A connection as ztunnel sees it at the destination. */
  static final class Conn {
    final String srcIp;

    /** {@code spiffe://td/ns/x/sa/y}, or null for plaintext. */
    final String spiffeId;

    final String namespace;
    final String serviceAccount;
    final String dstIp;
    final int dstPort;

    Conn(
        String srcIp,
        String spiffeId,
        String namespace,
        String serviceAccount,
        String dstIp,
        int dstPort) {
      this.srcIp = srcIp;
      this.spiffeId = spiffeId;
      this.namespace = namespace;
      this.serviceAccount = serviceAccount;
      this.dstIp = dstIp;
      this.dstPort = dstPort;
    }
  }

  /** One {@code RbacMatch}. */
  static final class Match {
    final List<StringMatch> namespaces = new ArrayList<>();
    final List<StringMatch> notNamespaces = new ArrayList<>();
    final List<String[]> serviceAccounts = new ArrayList<>();
    final List<String[]> notServiceAccounts = new ArrayList<>();
    final List<StringMatch> principals = new ArrayList<>();
    final List<StringMatch> notPrincipals = new ArrayList<>();
    final List<IpPrefix> sourceIps = new ArrayList<>();
    final List<IpPrefix> notSourceIps = new ArrayList<>();
    final List<IpPrefix> destinationIps = new ArrayList<>();
    final List<IpPrefix> notDestinationIps = new ArrayList<>();
    final List<Integer> destinationPorts = new ArrayList<>();
    final List<Integer> notDestinationPorts = new ArrayList<>();

    boolean isEmpty() {
      return namespaces.isEmpty()
          && notNamespaces.isEmpty()
          && serviceAccounts.isEmpty()
          && notServiceAccounts.isEmpty()
          && principals.isEmpty()
          && notPrincipals.isEmpty()
          && sourceIps.isEmpty()
          && notSourceIps.isEmpty()
          && destinationIps.isEmpty()
          && notDestinationIps.isEmpty()
          && destinationPorts.isEmpty()
          && notDestinationPorts.isEmpty();
    }

    boolean matches(Conn c) {
      return both(destinationIps, notDestinationIps, r -> r.contains(c.dstIp))
          && both(sourceIps, notSourceIps, r -> r.contains(c.srcIp))
          && both(destinationPorts, notDestinationPorts, p -> p == c.dstPort)
          && both(
              serviceAccounts,
              notServiceAccounts,
              sa ->
                  c.spiffeId != null && sa[0].equals(c.namespace) && sa[1].equals(c.serviceAccount))
          && both(principals, notPrincipals, m -> m.matchesPrincipal(c.spiffeId))
          && both(
              namespaces, notNamespaces, m -> m.matches(c.namespace == null ? "" : c.namespace));
    }

    private static <T> boolean both(
        List<T> pos, List<T> neg, java.util.function.Predicate<T> pred) {
      boolean pm = pos.isEmpty() || pos.stream().anyMatch(pred);
      boolean nm = neg.isEmpty() || neg.stream().noneMatch(pred);
      return pm && nm;
    }

    @Override
    public String toString() {
      List<String> p = new ArrayList<>();
      add(p, "principals", principals);
      add(p, "notPrincipals", notPrincipals);
      add(p, "namespaces", namespaces);
      add(p, "notNamespaces", notNamespaces);
      if (!serviceAccounts.isEmpty()) {
        List<String> s = new ArrayList<>();
        serviceAccounts.forEach(a -> s.add(a[0] + "/" + a[1]));
        p.add("serviceAccounts " + s);
      }
      add(p, "ipBlocks", sourceIps);
      add(p, "notIpBlocks", notSourceIps);
      add(p, "destinationIps", destinationIps);
      add(p, "ports", destinationPorts);
      add(p, "notPorts", notDestinationPorts);
      return p.isEmpty() ? "{} (empty: skipped)" : "{" + String.join(", ", p) + "}";
    }

    private static void add(List<String> out, String key, List<?> values) {
      if (!values.isEmpty()) {
        out.add(key + " " + values);
      }
    }
  }

  private static final Set<String> L4_WHEN =
      Set.of(
          "source.ip",
          "source.namespace",
          "source.principal",
          "destination.ip",
          "destination.port");

  final String ref;
  final String namespace;
  final Scope scope;
  final boolean deny;

  /** Rules (groups) of clauses of matches, with the source rule index of each. */
  final List<List<List<Match>>> rules;

  final List<Integer> ruleIndexes;
  final List<String> notes;
  final java.util.Map<String, String> selector;

  ZtunnelPolicy(
      String ref,
      String namespace,
      Scope scope,
      boolean deny,
      List<List<List<Match>>> rules,
      List<Integer> ruleIndexes,
      List<String> notes,
      java.util.Map<String, String> selector) {
    this.ref = ref;
    this.namespace = namespace;
    this.scope = scope;
    this.deny = deny;
    this.rules = rules;
    this.ruleIndexes = ruleIndexes;
    this.notes = List.copyOf(notes);
    this.selector = selector;
  }

  /** The index (into {@link #ruleIndexes}) of the first rule that matches, or -1. */
  int firstMatch(Conn c) {
    for (int i = 0; i < rules.size(); i++) {
      boolean ruleMatch = true;
      for (List<Match> clause : rules.get(i)) {
        boolean clauseMatch = clause.isEmpty();
        for (Match m : clause) {
          if (!m.isEmpty() && m.matches(c)) {
            clauseMatch = true;
            break;
          }
        }
        if (!clauseMatch) {
          ruleMatch = false;
          break;
        }
      }
      if (ruleMatch) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The ztunnel form of {@code p}, or null when istiod does not send it to ztunnel (targetRefs,
   * CUSTOM, AUDIT, dry-run: IZ1, I7); {@code why} receives the reason then.
   */
  static ZtunnelPolicy convert(AuthzPolicy p, String rootNamespace, List<String> why) {
    if (p.dryRun) {
      why.add(p.ref() + " is dry-run: not enforced (I7)");
      return null;
    }
    if (!p.targetRefs.isEmpty()) {
      return null;
    }
    if (p.action == AuthzPolicy.Action.CUSTOM || p.action == AuthzPolicy.Action.AUDIT) {
      why.add(p.ref() + ": ztunnel does not support the " + p.action + " action; ignored (IZ1)");
      return null;
    }
    Scope scope = Scope.WORKLOAD_SELECTOR;
    if (!p.hasSelector) {
      scope = rootNamespace.equals(p.namespace) ? Scope.GLOBAL : Scope.NAMESPACE;
    }
    boolean deny = p.action == AuthzPolicy.Action.DENY;
    List<List<List<Match>>> rules = new ArrayList<>();
    List<Integer> indexes = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (AuthzPolicy.Rule r : p.rules) {
      List<String> l7 = new ArrayList<>();
      List<List<Match>> clauses = new ArrayList<>();
      List<Match> toMatches = new ArrayList<>();
      for (AuthzPolicy.Clause to : r.to) {
        for (String k : new String[] {"hosts", "methods", "paths"}) {
          if (to.get(k) != null) {
            l7.add(to.get(k).values.isEmpty() ? "not" + cap(k) : k);
          }
        }
        Match m = new Match();
        AuthzPolicy.Field ports = to.get("ports");
        if (ports != null) {
          m.destinationPorts.addAll(ports(ports.values));
          m.notDestinationPorts.addAll(ports(ports.notValues));
        }
        toMatches.add(m);
      }
      List<Match> fromMatches = new ArrayList<>();
      for (AuthzPolicy.Clause from : r.from) {
        // Source disagrees with SEMANTICS R6 ("trustDomains ... are ignored by Istio"): istiod's
        // ambient conversion (httpSources in authorization.go) reports trustDomains and
        // notTrustDomains as unsupported, so an ALLOW rule using them is dropped (fails closed) and
        // a DENY rule loses them. Waypoints (authz/model.go) do not translate them at all.
        for (String k : new String[] {"remoteIpBlocks", "requestPrincipals", "trustDomains"}) {
          if (from.get(k) != null) {
            l7.add(k);
          }
        }
        Match m = new Match();
        AuthzPolicy.Field f;
        if ((f = from.get("ipBlocks")) != null) {
          m.sourceIps.addAll(ips(f.values));
          m.notSourceIps.addAll(ips(f.notValues));
        }
        if ((f = from.get("namespaces")) != null) {
          f.values.forEach(v -> m.namespaces.add(StringMatch.of(v)));
          f.notValues.forEach(v -> m.notNamespaces.add(StringMatch.of(v)));
        }
        if ((f = from.get("serviceAccounts")) != null) {
          f.values.forEach(v -> m.serviceAccounts.add(serviceAccount(v, p.namespace)));
          f.notValues.forEach(v -> m.notServiceAccounts.add(serviceAccount(v, p.namespace)));
        }
        if ((f = from.get("principals")) != null) {
          f.values.forEach(v -> m.principals.add(StringMatch.of(v)));
          f.notValues.forEach(v -> m.notPrincipals.add(StringMatch.of(v)));
        }
        fromMatches.add(m);
      }
      if (!toMatches.isEmpty()) {
        clauses.add(toMatches);
      }
      if (!fromMatches.isEmpty()) {
        clauses.add(fromMatches);
      }
      for (AuthzPolicy.Field w : r.when) {
        if (!L4_WHEN.contains(w.key)) {
          l7.add(w.key);
        }
        Match m = new Match();
        switch (w.key) {
          case "source.namespace":
            w.values.forEach(v -> m.namespaces.add(StringMatch.of(v)));
            w.notValues.forEach(v -> m.notNamespaces.add(StringMatch.of(v)));
            break;
          case "source.principal":
            w.values.forEach(v -> m.principals.add(StringMatch.of(v)));
            w.notValues.forEach(v -> m.notPrincipals.add(StringMatch.of(v)));
            break;
          case "source.ip":
            m.sourceIps.addAll(ips(w.values));
            m.notSourceIps.addAll(ips(w.notValues));
            break;
          case "destination.port":
            m.destinationPorts.addAll(ports(w.values));
            m.notDestinationPorts.addAll(ports(w.notValues));
            break;
          case "destination.ip":
            m.destinationIps.addAll(ips(w.values));
            m.notDestinationIps.addAll(ips(w.notValues));
            break;
          default:
            break;
        }
        clauses.add(List.of(m));
      }
      if (!l7.isEmpty()) {
        if (!deny) {
          // IZ3: an ALLOW rule with HTTP attributes is dropped and can never allow
          notes.add(
              p.ref()
                  + " rules["
                  + r.index
                  + "] uses "
                  + l7
                  + ", which ztunnel cannot see: the ALLOW rule is dropped (IZ3)");
          continue;
        }
        notes.add(
            p.ref()
                + " rules["
                + r.index
                + "] uses "
                + l7
                + ", which ztunnel drops from the DENY rule; a clause left empty never matches (IZ4)");
      }
      rules.add(clauses);
      indexes.add(r.index);
    }
    return new ZtunnelPolicy(p.ref(), p.namespace, scope, deny, rules, indexes, notes, p.selector);
  }

  private static String cap(String k) {
    return Character.toUpperCase(k.charAt(0)) + k.substring(1);
  }

  /** {@code stringToPort}: base-10 numbers up to 65535; anything else is discarded (IZ6). */
  static List<Integer> ports(List<String> values) {
    List<Integer> out = new ArrayList<>();
    for (String v : values) {
      if (v.isEmpty() || !v.chars().allMatch(ch -> ch >= '0' && ch <= '9') || v.length() > 10) {
        continue;
      }
      long n = Long.parseLong(v);
      if (n <= 65535) {
        out.add((int) n);
      }
    }
    return out;
  }

  /** {@code stringToIP}: CIDRs and addresses; anything else is discarded. */
  static List<IpPrefix> ips(List<String> values) {
    List<IpPrefix> out = new ArrayList<>();
    for (String v : values) {
      IpPrefix r = IpPrefix.tryParseRange(v).orElse(null);
      if (r != null) {
        out.add(r);
      }
    }
    return out;
  }

  /**
   * {@code stringToServiceAccountMatch}: {@code ns/sa}, or {@code sa} in the policy's namespace.
   */
  static String[] serviceAccount(String v, String policyNamespace) {
    int slash = v.indexOf('/');
    return slash < 0
        ? new String[] {policyNamespace, v}
        : new String[] {v.substring(0, slash), v.substring(slash + 1)};
  }

  String describeRule(int i) {
    List<String> parts = new ArrayList<>();
    for (List<Match> clause : rules.get(i)) {
      List<String> ms = new ArrayList<>();
      clause.forEach(m -> ms.add(m.toString()));
      parts.add(ms.size() == 1 ? ms.get(0) : "any of " + ms);
    }
    return parts.isEmpty() ? "(empty rule: matches everything)" : String.join(" and ", parts);
  }
}
