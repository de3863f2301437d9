package dev.lattice.verify.cilium;

import dev.lattice.verify.world.Peer;
import dev.lattice.verify.world.PolicyEnforcement;
import dev.lattice.verify.world.World;
import java.util.ArrayList;
import java.util.List;

/**
 * The decision of one side of a hop, the sender's egress or the receiver's ingress, from the rules
 * that select the endpoint: deny rules win (C4); a direction outside default deny is open (C1, C2,
 * R3); else some allow rule must admit the peer and port (C5–C13), and its L7 rules filter what
 * passes unless a plain L4 rule lifts them (C14); HTTP rules break HBONE (R2).
 */
final class SideDecision {
  private SideDecision() {}

  /** The decision of one side: {@code s} is the endpoint, {@code peer} the other end. */
  static CiliumVerdict.Side decide(
      World world, EndpointPolicies s, boolean ingress, Peer peer, CiliumHop hop) {
    String dir = ingress ? "ingress" : "egress";
    String who = dir + " of " + s.pod.name();
    if (world.policyEnforcement() == PolicyEnforcement.NEVER) {
      return new CiliumVerdict.Side(
          CiliumVerdict.Outcome.ALLOWED, who + ": policy enforcement is 'never' (C2)");
    }
    EndpointPolicies.Direction d = ingress ? s.ingress : s.egress;
    Peer dstPod = hop.destination();
    String what = describePeer(peer) + " on " + hop.protocol() + " " + hop.port();
    // C4: a matching deny rule wins over every allow
    for (EndpointPolicies.Selected sel : d.denies) {
      String pm =
          sel.element()
              .peerMatch(
                  peer, d.requirements, hop.learnedNames(), world.dns(), world.clusterName());
      if (pm != null && sel.element().portMatch(hop.port(), hop.protocol(), dstPod) != null) {
        return new CiliumVerdict.Side(
            CiliumVerdict.Outcome.DENIED,
            who
                + " denied: "
                + sel.rule().ref()
                + " "
                + sel.element().label
                + " ("
                + pm
                + ") matches "
                + what
                + "; deny rules take precedence (C4)");
      }
    }
    boolean defaultDeny = world.policyEnforcement() == PolicyEnforcement.ALWAYS || d.defaultDeny;
    List<EndpointPolicies.Selected> matching = new ArrayList<>();
    List<String> how = new ArrayList<>();
    List<RuleElement.PortMatch> ports = new ArrayList<>();
    for (EndpointPolicies.Selected sel : d.allows) {
      RuleElement.PortMatch port = sel.element().portMatch(hop.port(), hop.protocol(), dstPod);
      if (port == null) {
        continue;
      }
      String pm =
          sel.element()
              .peerMatch(
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
      EndpointPolicies.Selected sel = matching.get(0);
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
                + sel.rule().ref()
                + " "
                + sel.element().label
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
                  allowedBy(who, matching.get(i), how.get(i), ports.get(i))
                      + ": HTTP rule "
                      + m
                      + " matches (C14)");
            }
          }
        }
        return new CiliumVerdict.Side(
            CiliumVerdict.Outcome.DENIED,
            who
                + ": the connection is allowed at L4 by "
                + sel.rule().ref()
                + " "
                + sel.element().label
                + ", but no HTTP rule matches "
                + hop.method()
                + " "
                + hop.path()
                + ": Cilium's proxy answers 403 (C14)");
      }
      return new CiliumVerdict.Side(
          CiliumVerdict.Outcome.ALLOWED,
          allowedBy(who, sel, how.get(0), pm)
              + (http ? "; requests are filtered by Cilium's HTTP rules (C14)" : ""));
    }
    return new CiliumVerdict.Side(
        CiliumVerdict.Outcome.ALLOWED,
        allowedBy(who, matching.get(plain), how.get(plain), ports.get(plain)));
  }

  /** "who allowed by POLICY ELEMENT (how the peer matched, port)": every ALLOWED reason. */
  private static String allowedBy(
      String who, EndpointPolicies.Selected sel, String how, RuleElement.PortMatch port) {
    return who
        + " allowed by "
        + sel.rule().ref()
        + " "
        + sel.element().label
        + " ("
        + how
        + ", "
        + port
        + ")";
  }

  /** A peer and the identity labels a selector would look at, compactly. */
  private static String describePeer(Peer p) {
    List<String> parts = new ArrayList<>();
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
}
