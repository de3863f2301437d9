package dev.lattice.verify;

import dev.lattice.model.Protocol;
import dev.lattice.verify.cilium.CiliumEvaluator;
import dev.lattice.verify.cilium.CiliumHop;
import dev.lattice.verify.cilium.CiliumVerdict;
import dev.lattice.verify.cilium.DnsResolution;
import dev.lattice.verify.istio.IstioVerdict;
import dev.lattice.verify.istio.Request;
import dev.lattice.verify.world.Peer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Collects one query's steps, layer by layer: the hops and lookups Cilium judges (L4) and the
 * decisions of Istio's enforcement points (L7), then folds them into the query's {@link Verdict}.
 */
final class Trace {
  final Query query;
  private final CiliumEvaluator cilium;
  private final List<String> findings;
  final List<Step> l4 = new ArrayList<>();
  final List<Step> l7 = new ArrayList<>();
  String path = "";

  Trace(Query query, CiliumEvaluator cilium, List<String> findings) {
    this.query = query;
    this.cilium = cilium;
    this.findings = findings;
  }

  void hop(Peer from, Peer to, int port, Protocol proto, Set<String> learned, Request request) {
    CiliumHop h = CiliumHop.of(from, to, port, proto).withLearnedNames(learned);
    if (request != null && request.isHttp()) {
      h = h.withRequest(request.method(), request.path(), request.host());
    }
    CiliumVerdict v = cilium.evaluate(h);
    l4.add(
        new Step(
            Step.Kind.HOP,
            h.toString(),
            v.allowed() ? Decision.ALLOW : Decision.DENY,
            "egress: " + v.egress().reason() + "\ningress: " + v.ingress().reason(),
            v.reason()));
  }

  void precondition(Peer from, Peer to, int port, String what) {
    CiliumVerdict v = cilium.evaluate(CiliumHop.of(from, to, port, Protocol.TCP));
    l4.add(
        new Step(
            Step.Kind.PRECONDITION,
            what + ": " + v.hop(),
            v.allowed() ? Decision.ALLOW : Decision.DENY,
            "egress: " + v.egress().reason() + "\ningress: " + v.ingress().reason(),
            v.reason()));
  }

  DnsResolution lookup(Peer pod, String name, String expect, String why) {
    DnsResolution r = cilium.resolve(pod, name);
    boolean ok = r.resolved() && (expect == null || expect.equals(r.address().orElse(null)));
    l4.add(
        new Step(
            Step.Kind.DNS,
            "lookup of " + name + " by " + pod.name(),
            ok ? Decision.ALLOW : Decision.DENY,
            (why == null ? "" : why + "\n") + r.summary() + "\n" + String.join("\n", r.steps()),
            r.summary()));
    return r;
  }

  void note(List<Step> layer, String description, String reason) {
    layer.add(new Step(Step.Kind.NOTE, description, Decision.ALLOW, reason));
  }

  void istio(Step.Kind kind, IstioVerdict v) {
    Decision d =
        switch (v.outcome()) {
          case ALLOW -> Decision.ALLOW;
          case DENY -> Decision.DENY;
          case NOT_APPLICABLE -> Decision.N_A;
        };
    l7.add(new Step(kind, v.enforcementPoint(), d, v.reason()));
  }

  void notApplicable(String where, String why) {
    l7.add(new Step(Step.Kind.NOTE, where, Decision.N_A, why));
  }

  Verdict verdict() {
    return new Verdict(query, path, ciliumLayer(), istioLayer(), findings);
  }

  private LayerVerdict ciliumLayer() {
    for (Step s : l4) {
      if (s.decision() == Decision.DENY) {
        return new LayerVerdict(Decision.DENY, s.description() + ": " + s.summary(), l4);
      }
    }
    long checks = l4.stream().filter(s -> s.kind() != Step.Kind.NOTE).count();
    Step last = null;
    for (Step s : l4) {
      if (s.kind() == Step.Kind.HOP) {
        last = s;
      }
    }
    String reason =
        checks == 1 && last != null
            ? last.description() + ": " + last.summary()
            : "all "
                + checks
                + " checks on the path allowed"
                + (last == null ? "" : " (last hop " + last.description() + ")");
    return new LayerVerdict(Decision.ALLOW, reason, l4);
  }

  private LayerVerdict istioLayer() {
    for (Step s : l7) {
      if (s.decision() == Decision.DENY) {
        return new LayerVerdict(Decision.DENY, s.description() + ": " + s.reason(), l7);
      }
    }
    List<String> allows = new ArrayList<>();
    for (Step s : l7) {
      if (s.decision() == Decision.ALLOW && s.kind() != Step.Kind.NOTE) {
        allows.add(s.description() + ": " + s.reason());
      }
    }
    if (!allows.isEmpty()) {
      return new LayerVerdict(Decision.ALLOW, String.join(" | then ", allows), l7);
    }
    List<String> na = new ArrayList<>();
    for (Step s : l7) {
      if (s.decision() == Decision.N_A) {
        na.add(s.reason());
      }
    }
    return new LayerVerdict(Decision.N_A, String.join("; ", na), l7);
  }
}
