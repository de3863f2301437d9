package dev.lattice.verify.cilium;

import dev.lattice.verify.world.Peer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules that select one pod, per direction: its allow and deny elements, the {@code
 * fromRequires}/{@code toRequires} it must meet, and whether it is in default deny (C1, C2, R3),
 * with the rejected policies that would have selected it. Computed once per pod.
 */
final class EndpointPolicies {
  /** One rule element of a rule that selects the endpoint. */
  record Selected(PolicyRule rule, RuleElement element) {}

  /** The rules of one direction of the endpoint. */
  static final class Direction {
    final List<Selected> allows = new ArrayList<>();
    final List<Selected> denies = new ArrayList<>();
    final List<EndpointSelector> requirements = new ArrayList<>();
    final Set<String> sections = new LinkedHashSet<>();
    final Set<String> defaultDenyBy = new LinkedHashSet<>();
    final Set<String> additiveOnly = new LinkedHashSet<>();
    boolean defaultDeny;
  }

  final Peer pod;
  final Direction ingress = new Direction();
  final Direction egress = new Direction();
  final List<String> rejectedSelecting = new ArrayList<>();

  EndpointPolicies(Peer pod, List<PolicyRule> rules, List<PolicyParser.Parsed> rejected) {
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
