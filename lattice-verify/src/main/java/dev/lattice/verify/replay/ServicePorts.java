package dev.lattice.verify.replay;

import dev.lattice.model.Protocol;
import dev.lattice.verify.Verdict;
import dev.lattice.verify.world.KubeService;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Maps the destination port a flow shows (the pods' port) to the callee's Service ports, and picks
 * the one a connection is reported on. Between two ambient pods Cilium sees only the HBONE port
 * 15008, which maps to every TCP port of the callee (SEMANTICS M1).
 */
final class ServicePorts {
  private static final int HBONE = 15008;

  private ServicePorts() {}

  /** The Service port a connection is reported on, and the verdict there. */
  record Chosen(KubeService.ServicePort port, Verdict verdict) {}

  /** The Service ports a flow's port maps to; HBONE maps to every TCP port of an ambient pod. */
  static List<KubeService.ServicePort> candidates(
      KubeService callee, int port, Protocol proto, boolean hboneAllowed) {
    List<KubeService.ServicePort> out = new ArrayList<>();
    for (KubeService.ServicePort p : callee.ports()) {
      if (p.targetPort() == port && p.protocol() == proto) {
        out.add(p);
      }
    }
    if (out.isEmpty() && hboneAllowed && port == HBONE && proto == Protocol.TCP) {
      for (KubeService.ServicePort p : callee.ports()) {
        if (p.protocol() == Protocol.TCP) {
          out.add(p);
        }
      }
    }
    return out;
  }

  /** Checks each of {@code ports}, in order: the first one allowed, else the first one. */
  static Chosen choose(
      List<KubeService.ServicePort> ports, Function<KubeService.ServicePort, Verdict> check) {
    Verdict chosen = null;
    KubeService.ServicePort chosenPort = null;
    for (KubeService.ServicePort p : ports) {
      Verdict v = check.apply(p);
      if (chosen == null || (v.allowed() && !chosen.allowed())) {
        chosen = v;
        chosenPort = p;
      }
    }
    return new Chosen(chosenPort, chosen);
  }
}
