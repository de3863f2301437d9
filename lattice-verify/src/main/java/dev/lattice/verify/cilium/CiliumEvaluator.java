package dev.lattice.verify.cilium;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.model.Protocol;
import dev.lattice.verify.world.Peer;
import dev.lattice.verify.world.PolicyEnforcement;
import dev.lattice.verify.world.World;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides, from the rendered Cilium documents alone, whether Cilium lets one L3/L4 hop through,
 * following SEMANTICS C1–C15 and R1, R3, R8: the sender's egress and the receiver's ingress must
 * both allow it (C3); a direction is open until a rule selecting the endpoint has a section for it
 * (C1, C2); rules only allow and their union counts, deny rules win (C4); selectors see identity
 * labels (C5, C6) scoped as the agent scopes them (C7, C8); entities, CIDRs, FQDNs, ports as
 * C9–C13; DNS lookups obey {@code rules.dns} (C13, C14); the local host reaches local pods (C15).
 * Replies need no rule (R8): only the initiating direction is evaluated. A policy the agent would
 * reject (R1, an invalid port, ...) is left out and reported in {@link #findings()}.
 *
 * <pre>{@code
 * CiliumEvaluator cilium = CiliumEvaluator.of(ciliumDocuments, world);
 * CiliumVerdict v = cilium.evaluate(CiliumHop.of(web, api, 15008, Protocol.TCP));
 * if (!v.allowed()) System.out.println(v.reason());
 * }</pre>
 *
 * <p>Thread-safe; the per-endpoint view of the policies is computed once per pod and cached.
 */
public final class CiliumEvaluator {
  private final World world;
  private final List<PolicyRule> rules;
  private final List<PolicyParser.Parsed> rejected;
  private final List<String> findings;
  private final Map<String, Subject> subjects = new ConcurrentHashMap<>();
  private final Map<CiliumHop, CiliumVerdict> verdicts = new ConcurrentHashMap<>();

  private CiliumEvaluator(Collection<? extends JsonNode> documents, World world) {
    this.world = Objects.requireNonNull(world, "world");
    List<PolicyRule> rs = new ArrayList<>();
    List<PolicyParser.Parsed> rej = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (JsonNode d : documents) {
      if (PolicyParser.isCiliumPolicy(d)) {
        PolicyParser.Parsed p = PolicyParser.parse(d);
        notes.addAll(p.notes);
        if (p.rejection != null) {
          rej.add(p);
          notes.add(
              p.ref + " is rejected by the Cilium agent and enforced nowhere: " + p.rejection);
        } else {
          rs.addAll(p.rules);
        }
      } else if ("NetworkPolicy".equals(d.path("kind").asText())
          && d.path("apiVersion").asText("").startsWith("networking.k8s.io/")) {
        notes.add(
            "NetworkPolicy "
                + d.path("metadata").path("namespace").asText("default")
                + "/"
                + d.path("metadata").path("name").asText()
                + " is not evaluated (C16 not modelled): the judge may allow more than Cilium does");
      }
    }
    this.rules = List.copyOf(rs);
    this.rejected = List.copyOf(rej);
    this.findings = List.copyOf(notes);
  }

  /**
   * An evaluator of the Cilium policies among {@code documents} (other kinds are skipped) in {@code
   * world}.
   */
  public static CiliumEvaluator of(Collection<? extends JsonNode> documents, World world) {
    return new CiliumEvaluator(documents, world);
  }

  /** The world it judges in. */
  public World world() {
    return world;
  }

  /**
   * What the evaluator noticed: rejected policies (R1, ...), unmodelled features, deprecated
   * fields.
   */
  public List<String> findings() {
    return findings;
  }

  /** The policies the agent would reject, each with the reason. */
  public List<String> rejectedPolicies() {
    List<String> out = new ArrayList<>();
    rejected.forEach(p -> out.add(p.ref + ": " + p.rejection));
    return out;
  }

  // ------------------------------------------------------------------ reach of the documents

  /**
   * Whether some policy of this evaluator bears on {@code pod}'s ingress decisions: a rule that
   * selects it (C5–C8) and has an ingress section, an explicit {@code enableDefaultDeny.ingress} or
   * {@code fromRequires} (C1, C17); or a policy the agent rejects whose subjects would select it. A
   * hop's ingress decision reads nothing else of the documents, so a tool that judges only what a
   * change touches ({@code lattice diff}) asks this of the documents that changed.
   */
  public boolean governsIngress(Peer pod) {
    return governs(pod, true);
  }

  /** As {@link #governsIngress(Peer)}, for {@code pod}'s egress decisions and DNS lookups. */
  public boolean governsEgress(Peer pod) {
    return governs(pod, false);
  }

  private boolean governs(Peer pod, boolean in) {
    Map<String, String> id = pod.identity();
    for (PolicyRule r : rules) {
      boolean bears =
          r.hasSection(in)
              || (in ? r.defaultDenyIngress : r.defaultDenyEgress) != null
              || !(in ? r.fromRequires : r.toRequires).isEmpty();
      if (bears && r.subject.matches(id)) {
        return true;
      }
    }
    for (PolicyParser.Parsed p : rejected) {
      for (EndpointSelector s : p.rejectedSubjects) {
        if (s.matches(id)) {
          return true;
        }
      }
    }
    return false;
  }

  // ------------------------------------------------------------------ hops

  /** Whether Cilium lets {@code hop} through, with the deciding rule of each side. */
  public CiliumVerdict evaluate(CiliumHop hop) {
    return verdicts.computeIfAbsent(hop, this::decide);
  }

  private CiliumVerdict decide(CiliumHop hop) {
    Peer src = hop.source();
    Peer dst = hop.destination();
    CiliumVerdict.Side egress;
    if (!src.isPod()) {
      egress =
          new CiliumVerdict.Side(
              CiliumVerdict.Outcome.NOT_ENFORCED,
              src.name() + " is not a Cilium endpoint: no egress policy of its own (C3)");
    } else {
      egress = side(subject(src), false, dst, hop);
    }
    CiliumVerdict.Side ingress;
    if (!dst.isPod()) {
      ingress =
          new CiliumVerdict.Side(
              CiliumVerdict.Outcome.NOT_ENFORCED,
              dst.name() + " is not a Cilium endpoint: only the sender's egress applies (C3)");
    } else if (src.kind() == Peer.Kind.HOST
        && world.policyEnforcement() != PolicyEnforcement.NEVER) {
      ingress =
          new CiliumVerdict.Side(
              CiliumVerdict.Outcome.ALLOWED,
              "ingress of "
                  + dst.name()
                  + " from the local host: always allowed"
                  + " (allow-localhost=always, C15)");
    } else {
      ingress = side(subject(dst), true, src, hop);
    }
    return new CiliumVerdict(hop, egress, ingress);
  }

  /** The decision of one side: {@code s} is the endpoint, {@code peer} the other end. */
  private CiliumVerdict.Side side(Subject s, boolean ingress, Peer peer, CiliumHop hop) {
    String dir = ingress ? "ingress" : "egress";
    String who = dir + " of " + s.pod.name();
    if (world.policyEnforcement() == PolicyEnforcement.NEVER) {
      return new CiliumVerdict.Side(
          CiliumVerdict.Outcome.ALLOWED, who + ": policy enforcement is 'never' (C2)");
    }
    Direction d = ingress ? s.ingress : s.egress;
    Peer dstPod = hop.destination();
    String what = describePeer(peer) + " on " + hop.protocol() + " " + hop.port();
    // C4: a matching deny rule wins over every allow
    for (Selected sel : d.denies) {
      String pm =
          sel.element.peerMatch(
              peer, d.requirements, hop.learnedNames(), world.dns(), world.clusterName());
      if (pm != null && sel.element.portMatch(hop.port(), hop.protocol(), dstPod) != null) {
        return new CiliumVerdict.Side(
            CiliumVerdict.Outcome.DENIED,
            who
                + " denied: "
                + sel.rule.ref()
                + " "
                + sel.element.label
                + " ("
                + pm
                + ") matches "
                + what
                + "; deny rules take precedence (C4)");
      }
    }
    boolean defaultDeny = world.policyEnforcement() == PolicyEnforcement.ALWAYS || d.defaultDeny;
    List<Selected> matching = new ArrayList<>();
    List<String> how = new ArrayList<>();
    List<RuleElement.PortMatch> ports = new ArrayList<>();
    for (Selected sel : d.allows) {
      RuleElement.PortMatch port = sel.element.portMatch(hop.port(), hop.protocol(), dstPod);
      if (port == null) {
        continue;
      }
      String pm =
          sel.element.peerMatch(
              peer, d.requirements, hop.learnedNames(), world.dns(), world.clusterName());
      if (pm != null) {
        matching.add(sel);
        how.add(pm);
        ports.add(port);
      }
    }
    if (!defaultDeny) {
      String base =
          who
              + ": not in "
              + dir
              + " default deny (no rule selecting it has an "
              + dir
              + " section"
              + (d.additiveOnly.isEmpty() ? "" : "; " + d.additiveOnly + " only add, R3")
              + "), so allowed";
      return new CiliumVerdict.Side(CiliumVerdict.Outcome.ALLOWED, base + s.rejectedNote());
    }
    if (matching.isEmpty()) {
      String selecting = d.sections.isEmpty() ? "no policy" : String.join(", ", d.sections);
      String why =
          world.policyEnforcement() == PolicyEnforcement.ALWAYS
              ? "policy enforcement is 'always' (C2)"
              : "default deny by " + String.join(", ", d.defaultDenyBy);
      return new CiliumVerdict.Side(
          CiliumVerdict.Outcome.DENIED,
          "no "
              + dir
              + " rule of "
              + selecting
              + " admits "
              + what
              + "; "
              + s.pod.name()
              + " is in "
              + dir
              + " "
              + why
              + s.rejectedNote());
    }
    // L7: a plain L4 match on the same port and peer lifts the L7 restriction (C14)
    int plain = -1;
    for (int i = 0; i < matching.size(); i++) {
      if (!ports.get(i).hasL7()) {
        plain = i;
        break;
      }
    }
    if (plain < 0) {
      Selected sel = matching.get(0);
      RuleElement.PortMatch pm = ports.get(0);
      boolean http = false;
      for (RuleElement.PortMatch p : ports) {
        http |= p.rule.http != null;
      }
      if (http && hop.isHbone()) {
        return new CiliumVerdict.Side(
            CiliumVerdict.Outcome.DENIED,
            who
                + ": "
                + sel.rule.ref()
                + " "
                + sel.element.label
                + " puts HTTP rules on HBONE"
                + " traffic; Cilium's proxy cannot parse mTLS, the connection breaks (R2)");
      }
      if (http && hop.method() != null) {
        for (int i = 0; i < matching.size(); i++) {
          PortRule r = ports.get(i).rule;
          if (r.http == null) {
            continue;
          }
          for (PortRule.HttpMatch m : r.http) {
            if (m.matches(hop.method(), hop.path() == null ? "/" : hop.path(), hop.host())) {
              return new CiliumVerdict.Side(
                  CiliumVerdict.Outcome.ALLOWED,
                  who
                      + " allowed by "
                      + matching.get(i).rule.ref()
                      + " "
                      + matching.get(i).element.label
                      + " ("
                      + how.get(i)
                      + ", "
                      + ports.get(i)
                      + "): HTTP rule "
                      + m
                      + " matches (C14)");
            }
          }
        }
        return new CiliumVerdict.Side(
            CiliumVerdict.Outcome.DENIED,
            who
                + ": the connection is allowed at L4 by "
                + sel.rule.ref()
                + " "
                + sel.element.label
                + ", but no HTTP rule matches "
                + hop.method()
                + " "
                + hop.path()
                + ": Cilium's proxy answers 403 (C14)");
      }
      return new CiliumVerdict.Side(
          CiliumVerdict.Outcome.ALLOWED,
          who
              + " allowed by "
              + sel.rule.ref()
              + " "
              + sel.element.label
              + " ("
              + how.get(0)
              + ", "
              + pm
              + ")"
              + (http ? "; requests are filtered by Cilium's HTTP rules (C14)" : ""));
    }
    Selected sel = matching.get(plain);
    return new CiliumVerdict.Side(
        CiliumVerdict.Outcome.ALLOWED,
        who
            + " allowed by "
            + sel.rule.ref()
            + " "
            + sel.element.label
            + " ("
            + how.get(plain)
            + ", "
            + ports.get(plain)
            + ")");
  }

  /** A peer and the identity labels a selector would look at, compactly. */
  private static String describePeer(Peer p) {
    java.util.List<String> parts = new java.util.ArrayList<>();
    p.identity()
        .forEach(
            (k, v) -> {
              String key = k;
              if (k.startsWith("k8s:io.cilium.k8s.namespace.labels.")) {
                return; // namespace labels: long, and rarely the point
              }
              if (k.equals("k8s:io.kubernetes.pod.namespace")) {
                key = "ns";
              } else if (k.equals("k8s:io.cilium.k8s.policy.serviceaccount")) {
                key = "sa";
              } else if (k.equals("k8s:io.cilium.k8s.policy.cluster")) {
                return;
              }
              parts.add(v.isEmpty() ? key : key + "=" + v);
            });
    return p.name() + " {" + String.join(", ", parts) + "}";
  }

  // ------------------------------------------------------------------ DNS

  /**
   * One DNS query of {@code queryName} from {@code pod} to kube-dns on UDP 53: whether it gets
   * through at L4, whether Cilium's DNS proxy intercepts it (some rule on port 53 to kube-dns has
   * {@code rules.dns}), and whether the name is allowed (a matching DNS rule, or a plain L4 rule on
   * the same port and peer, which lifts the filter, C14). A proxied query for a name no rule allows
   * is answered REFUSED.
   */
  public DnsQuery query(Peer pod, String queryName) {
    Peer dns = world.kubeDns();
    CiliumVerdict l4 = evaluate(CiliumHop.of(pod, dns, 53, Protocol.UDP));
    if (!l4.allowed()) {
      return new DnsQuery(queryName, false, false, false, l4.reason());
    }
    if (!pod.isPod() || world.policyEnforcement() == PolicyEnforcement.NEVER) {
      return new DnsQuery(queryName, true, false, true, "not proxied");
    }
    Subject s = subject(pod);
    Direction d = s.egress;
    boolean proxied = false;
    boolean wildcard = false;
    String allowedBy = null;
    boolean specific = false;
    for (Selected sel : d.allows) {
      RuleElement.PortMatch pm = sel.element.portMatch(53, Protocol.UDP, dns);
      if (pm == null || pm.port == null || !pm.port.isSpecificTo(53, Protocol.UDP)) {
        continue;
      }
      if (sel.element.peerMatch(dns, d.requirements, Set.of(), world.dns(), world.clusterName())
          == null) {
        continue;
      }
      specific = true;
      if (pm.rule.dns != null) {
        proxied = true;
        for (FqdnPattern f : pm.rule.dns) {
          if (allowedBy == null && f.matches(queryName)) {
            allowedBy = sel.rule.ref() + " " + sel.element.label + " dns " + f;
          }
        }
      } else if (!pm.rule.hasL7()) {
        wildcard = true;
        if (allowedBy == null) {
          allowedBy =
              sel.rule.ref()
                  + " "
                  + sel.element.label
                  + " (a plain L4 rule on port 53: the DNS name filter is lifted, C14)";
        }
      }
    }
    if (!specific) {
      return new DnsQuery(
          queryName, true, false, true, "allowed at L4 without a DNS rule on port 53: not proxied");
    }
    if (!d.defaultDeny && world.policyEnforcement() != PolicyEnforcement.ALWAYS) {
      // R3: L7 rules of an endpoint not in default deny are wildcarded
      return new DnsQuery(
          queryName,
          true,
          proxied,
          true,
          "egress not in default deny: DNS rules are wildcarded (R3)");
    }
    if (wildcard || allowedBy != null) {
      return new DnsQuery(queryName, true, proxied, true, "allowed by " + allowedBy);
    }
    return new DnsQuery(
        queryName,
        true,
        true,
        false,
        "Cilium's DNS proxy answers REFUSED: no rules.dns entry of "
            + pod.name()
            + "'s egress to kube-dns matches "
            + queryName);
  }

  /** One DNS query and what Cilium did with it. */
  public static final class DnsQuery {
    private final String name;
    private final boolean reachesKubeDns;
    private final boolean proxied;
    private final boolean nameAllowed;
    private final String reason;

    DnsQuery(String name, boolean reaches, boolean proxied, boolean nameAllowed, String reason) {
      this.name = name;
      this.reachesKubeDns = reaches;
      this.proxied = proxied;
      this.nameAllowed = nameAllowed;
      this.reason = reason;
    }

    /** The name queried. */
    public String name() {
      return name;
    }

    /** Whether the query reaches kube-dns (L4 allows UDP 53 both ways). */
    public boolean reachesKubeDns() {
      return reachesKubeDns;
    }

    /** Whether Cilium's DNS proxy intercepts it (and so learns the answer). */
    public boolean proxied() {
      return proxied;
    }

    /** Whether the name is allowed (otherwise the proxy answers REFUSED). */
    public boolean nameAllowed() {
      return nameAllowed;
    }

    /** Why. */
    public String reason() {
      return reason;
    }
  }

  /**
   * {@code pod}'s resolver resolving {@code name}: each query of its search list in turn (ndots 5),
   * until one is answered. A dropped query fails the lookup; a REFUSED one ends it too when the
   * world's resolver stops at REFUSED (musl, c-ares), else the walk goes on; NXDOMAIN goes on.
   */
  public DnsResolution resolve(Peer pod, String name) {
    List<String> steps = new ArrayList<>();
    for (String q : world.dns().queries(name, pod.namespace())) {
      DnsQuery r = query(pod, q);
      if (!r.reachesKubeDns()) {
        steps.add(q + ": dropped (" + r.reason() + ")");
        return new DnsResolution(
            name, null, null, false, steps, "the query for " + q + " is dropped: " + r.reason());
      }
      if (!r.nameAllowed()) {
        steps.add(q + ": REFUSED (" + r.reason() + ")");
        if (world.resolverStopsAtRefused()) {
          return new DnsResolution(
              name,
              null,
              null,
              false,
              steps,
              "REFUSED for " + q + " ends the search-list walk (musl, c-ares): " + r.reason());
        }
        continue;
      }
      java.util.Optional<String> ip = world.dns().resolve(q);
      if (ip.isEmpty()) {
        steps.add(q + ": NXDOMAIN");
        continue;
      }
      steps.add(q + ": " + ip.get() + (r.proxied() ? " (via Cilium's DNS proxy)" : ""));
      return new DnsResolution(name, q, ip.get(), r.proxied(), steps, null);
    }
    return new DnsResolution(name, null, null, false, steps, "NXDOMAIN for every query");
  }

  // ------------------------------------------------------------------ per-endpoint view

  private Subject subject(Peer pod) {
    return subjects.computeIfAbsent(pod.name() + "@" + pod.ip(), k -> new Subject(pod));
  }

  private static final class Selected {
    final PolicyRule rule;
    final RuleElement element;

    Selected(PolicyRule rule, RuleElement element) {
      this.rule = rule;
      this.element = element;
    }
  }

  private static final class Direction {
    final List<Selected> allows = new ArrayList<>();
    final List<Selected> denies = new ArrayList<>();
    final List<EndpointSelector> requirements = new ArrayList<>();
    final Set<String> sections = new LinkedHashSet<>();
    final Set<String> defaultDenyBy = new LinkedHashSet<>();
    final Set<String> additiveOnly = new LinkedHashSet<>();
    boolean defaultDeny;
  }

  /** The rules that select one pod, per direction (computed once per pod). */
  private final class Subject {
    final Peer pod;
    final Direction ingress = new Direction();
    final Direction egress = new Direction();
    final List<String> rejectedSelecting = new ArrayList<>();

    Subject(Peer pod) {
      this.pod = pod;
      Map<String, String> id = pod.identity();
      for (PolicyRule r : rules) {
        if (!r.subject.matches(id)) {
          continue;
        }
        fill(ingress, r, true);
        fill(egress, r, false);
        ingress.requirements.addAll(r.fromRequires);
        egress.requirements.addAll(r.toRequires);
      }
      for (PolicyParser.Parsed p : rejected) {
        for (EndpointSelector s : p.rejectedSubjects) {
          if (s.matches(id)) {
            rejectedSelecting.add(p.ref);
            break;
          }
        }
      }
    }

    private void fill(Direction d, PolicyRule r, boolean in) {
      List<RuleElement> allow = in ? r.ingress : r.egress;
      List<RuleElement> deny = in ? r.ingressDeny : r.egressDeny;
      allow.forEach(e -> d.allows.add(new Selected(r, e)));
      deny.forEach(e -> d.denies.add(new Selected(r, e)));
      if (r.hasSection(in)) {
        d.sections.add(r.ref());
      }
      if (r.defaultDeny(in)) {
        d.defaultDeny = true;
        d.defaultDenyBy.add(r.ref());
      } else if (r.hasSection(in)) {
        d.additiveOnly.add(
            r.ref() + " (enableDefaultDeny." + (in ? "ingress" : "egress") + ": false)");
      }
    }

    String rejectedNote() {
      if (rejectedSelecting.isEmpty()) {
        return "";
      }
      return "; note: "
          + String.join(", ", rejectedSelecting)
          + " would select "
          + pod.name()
          + " but the agent rejects it (see findings)";
    }
  }
}
