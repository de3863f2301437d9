package dev.lattice.testing;

import dev.lattice.graph.ServiceGraph;
import dev.lattice.model.Declaration;
import dev.lattice.model.MeshMode;
import dev.lattice.model.Port;
import dev.lattice.model.Service;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Shrinks a failing graph to a small one that still fails: drops services, then declarations,
 * egress and ports, then simplifies what is left (HTTP rules, port subsets, exposures, mesh mode),
 * repeating until no step keeps the failure.
 */
public final class GraphShrinker {
  private GraphShrinker() {}

  /**
   * The smallest graph reachable from {@code failing} by the steps above for which {@code fails}
   * still holds. {@code fails} must return false (not throw) for graphs it cannot judge, e.g.
   * graphs that no longer resolve without errors.
   */
  public static ServiceGraph shrink(ServiceGraph failing, Predicate<ServiceGraph> fails) {
    ServiceGraph current = failing;
    int budget = 2000;
    boolean progress = true;
    while (progress && budget > 0) {
      progress = false;
      for (ServiceGraph candidate : candidates(current)) {
        if (--budget <= 0) {
          break;
        }
        if (safe(fails, candidate)) {
          current = candidate;
          progress = true;
          break;
        }
      }
    }
    return current;
  }

  private static boolean safe(Predicate<ServiceGraph> fails, ServiceGraph g) {
    try {
      return fails.test(g);
    } catch (RuntimeException | AssertionError e) {
      return false;
    }
  }

  /** Smaller or simpler variants of {@code g}, most aggressive first. */
  static List<ServiceGraph> candidates(ServiceGraph g) {
    List<ServiceGraph> out = new ArrayList<>();
    List<Service> services = g.services();
    for (int i = 0; i < services.size(); i++) {
      out.add(Graphs.remove(g, i));
    }
    for (int i = 0; i < services.size(); i++) {
      Service s = services.get(i);
      for (int k = 0; k < s.declarations().size(); k++) {
        int idx = k;
        out.add(Graphs.replace(g, i, x -> Graphs.edit(x, d -> d.declarations.remove(idx))));
      }
      for (int k = 0; k < s.egress().size(); k++) {
        int idx = k;
        out.add(Graphs.replace(g, i, x -> Graphs.edit(x, d -> d.egress.remove(idx))));
      }
      for (int k = 0; k < s.ports().size(); k++) {
        int idx = k;
        out.add(Graphs.replace(g, i, x -> Graphs.edit(x, d -> d.ports.remove(idx))));
      }
      if (s.allowPeerTraffic()) {
        out.add(Graphs.replace(g, i, x -> Graphs.edit(x, d -> d.allowPeerTraffic = false)));
      }
      if (s.mesh() == MeshMode.NONE) {
        out.add(Graphs.replace(g, i, x -> Graphs.edit(x, d -> d.mesh = MeshMode.AMBIENT)));
      }
      if (s.isGateway()) {
        out.add(Graphs.replace(g, i, x -> Graphs.edit(x, d -> d.gateway = false)));
      }
      if (!s.serviceAccount().equals(s.name())) {
        out.add(Graphs.replace(g, i, x -> Graphs.edit(x, d -> d.serviceAccount = d.name)));
      }
      for (int k = 0; k < s.declarations().size(); k++) {
        Declaration decl = s.declarations().get(k);
        int idx = k;
        if (!decl.httpRules().isEmpty()) {
          out.add(
              Graphs.replace(
                  g,
                  i,
                  x ->
                      Graphs.edit(
                          x,
                          d ->
                              d.declarations.set(
                                  idx, Graphs.withParts(decl, decl.ports(), List.of())))));
        }
        if (decl.byPodIp()) {
          out.add(
              Graphs.replace(
                  g,
                  i,
                  x ->
                      Graphs.edit(
                          x,
                          d ->
                              d.declarations.set(
                                  idx,
                                  Graphs.withParts(decl, decl.ports(), decl.httpRules(), false)))));
        }
        if (!decl.ports().isEmpty()) {
          out.add(
              Graphs.replace(
                  g,
                  i,
                  x ->
                      Graphs.edit(
                          x,
                          d ->
                              d.declarations.set(
                                  idx, Graphs.withParts(decl, List.of(), decl.httpRules())))));
        }
      }
      for (int k = 0; k < s.ports().size(); k++) {
        Port p = s.ports().get(k);
        int idx = k;
        if (!p.exposedTo().isEmpty()) {
          out.add(
              Graphs.replace(
                  g, i, x -> Graphs.edit(x, d -> d.ports.set(idx, Graphs.withoutExposures(p)))));
        }
      }
    }
    return out;
  }
}
