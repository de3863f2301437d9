package dev.lattice.verify.cilium;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.model.Protocol;
import dev.lattice.verify.world.Peer;
import dev.lattice.verify.world.PolicyEnforcement;
import dev.lattice.verify.world.World;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
  private final Map<String, EndpointPolicies> subjects = new ConcurrentHashMap<>();
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
      egress = SideDecision.decide(world, subject(src), false, dst, hop);
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
      ingress = SideDecision.decide(world, subject(dst), true, src, hop);
    }
    return new CiliumVerdict(hop, egress, ingress);
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
    EndpointPolicies.Direction d = subject(pod).egress;
    boolean proxied = false;
    boolean wildcard = false;
    String allowedBy = null;
    boolean specific = false;
    for (EndpointPolicies.Selected sel : d.allows) {
      RuleElement.PortMatch pm = sel.element().portMatch(53, Protocol.UDP, dns);
      if (pm == null || pm.port == null || !pm.port.isSpecificTo(53, Protocol.UDP)) {
        continue;
      }
      if (sel.element().peerMatch(dns, d.requirements, Set.of(), world.dns(), world.clusterName())
          == null) {
        continue;
      }
      specific = true;
      if (pm.rule.dns != null) {
        proxied = true;
        for (FqdnPattern f : pm.rule.dns) {
          if (allowedBy == null && f.matches(queryName)) {
            allowedBy = sel.rule().ref() + " " + sel.element().label + " dns " + f;
          }
        }
      } else if (!pm.rule.hasL7()) {
        wildcard = true;
        if (allowedBy == null) {
          allowedBy =
              sel.rule().ref()
                  + " "
                  + sel.element().label
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

  /**
   * One DNS query and what Cilium did with it.
   *
   * @param name the name queried
   * @param reachesKubeDns whether the query reaches kube-dns (L4 allows UDP 53 both ways)
   * @param proxied whether Cilium's DNS proxy intercepts it (and so learns the answer)
   * @param nameAllowed whether the name is allowed (otherwise the proxy answers REFUSED)
   * @param reason why
   */
  public record DnsQuery(
      String name, boolean reachesKubeDns, boolean proxied, boolean nameAllowed, String reason) {}

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
      Optional<String> ip = world.dns().resolve(q);
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

  private EndpointPolicies subject(Peer pod) {
    return subjects.computeIfAbsent(
        pod.name() + "@" + pod.ip(), k -> new EndpointPolicies(pod, rules, rejected));
  }
}
