package dev.lattice.verify.diff;

import dev.lattice.cilium.CiliumRenderer;
import dev.lattice.graph.ServiceGraph;
import dev.lattice.graph.Topology;
import dev.lattice.istio.IstioRenderer;
import dev.lattice.model.MeshMode;
import dev.lattice.model.Service;
import dev.lattice.model.Settings;
import dev.lattice.model.WaypointScope;
import dev.lattice.testing.Graphs;
import dev.lattice.testing.PropertyRunner;
import dev.lattice.testing.RandomGraphs;
import dev.lattice.verify.ConnectivityMatrix;
import dev.lattice.verify.Decision;
import dev.lattice.verify.Layer;
import dev.lattice.verify.Verifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The diff over seeded random graph pairs, rendered by both renderers and judged by the evaluators:
 * a rendering compared with itself has no change; the service-to-service part of {@code diff(A, B)}
 * is exactly the difference of A's and B's connectivity matrices (cell by cell, a missing cell
 * being absent), each cell classified opened, closed or changed by the definitions of {@link
 * Change}; and {@code diff(B, A)} is {@code diff(A, B)} mirrored.
 *
 * <p>B is either an independent random graph or A after one edit (a service, a declaration or a
 * port removed, a service taken out of the mesh), repaired until it resolves. {@code
 * -Dlattice.seed=N} replays one seed; a failure prints a shrunk A.
 */
class ConnectivityDiffProperties {
  private static final CiliumRenderer CILIUM = CiliumRenderer.create();
  private static final IstioRenderer ISTIO = IstioRenderer.create();

  /** What a seed runs with besides A: the settings, and how B is made from A. */
  record Pair(Settings settings, String edit, UnaryOperator<ServiceGraph> toB) {
    @Override
    public String toString() {
      return "B = " + edit + ", " + settings;
    }
  }

  private static Pair pair(long seed) {
    Settings settings =
        Settings.builder()
            .waypointScope(seed % 2 == 0 ? WaypointScope.NAMESPACE : WaypointScope.SERVICE)
            .loadBalancerPreservesSourceIp(seed % 3 == 0)
            .build();
    int which = (int) (seed % 5);
    int at = (int) ((seed >>> 8) % 97);
    UnaryOperator<ServiceGraph> edit;
    String what;
    switch (which) {
      case 0:
        what = "an independent random graph (seed " + (seed ^ 0x5A5A) + ")";
        edit = a -> RandomGraphs.generate(seed ^ 0x5A5A);
        break;
      case 1:
        what = "A without service #" + at;
        edit = a -> a.services().isEmpty() ? a : Graphs.remove(a, at % a.services().size());
        break;
      case 2:
        what = "A without one declaration (#" + at + ")";
        edit = a -> dropDeclaration(a, at);
        break;
      case 3:
        what = "A without one port (#" + at + ")";
        edit = a -> dropPort(a, at);
        break;
      default:
        what = "A with service #" + at + " moved in or out of the mesh";
        edit =
            a ->
                a.services().isEmpty()
                    ? a
                    : Graphs.replace(
                        a,
                        at % a.services().size(),
                        s ->
                            Graphs.edit(
                                s,
                                d ->
                                    d.mesh =
                                        d.mesh == MeshMode.AMBIENT
                                            ? MeshMode.NONE
                                            : MeshMode.AMBIENT));
    }
    UnaryOperator<ServiceGraph> repaired = a -> RandomGraphs.repair(edit.apply(a), settings);
    return new Pair(settings, what, repaired);
  }

  private static ServiceGraph dropDeclaration(ServiceGraph g, int at) {
    List<Service> services = g.services();
    for (int k = 0; k < services.size(); k++) {
      int i = (at + k) % services.size();
      Service s = services.get(i);
      if (!s.declarations().isEmpty()) {
        int idx = at % s.declarations().size();
        return Graphs.replace(g, i, x -> Graphs.edit(x, d -> d.declarations.remove(idx)));
      }
    }
    return g;
  }

  private static ServiceGraph dropPort(ServiceGraph g, int at) {
    List<Service> services = g.services();
    for (int k = 0; k < services.size(); k++) {
      int i = (at + k) % services.size();
      Service s = services.get(i);
      if (!s.ports().isEmpty()) {
        int idx = at % s.ports().size();
        return Graphs.replace(g, i, x -> Graphs.edit(x, d -> d.ports.remove(idx)));
      }
    }
    return g;
  }

  /** A rendering judged; null when the graph does not resolve (shrinking went too far). */
  private static Verifier judge(ServiceGraph g, Settings settings) {
    Topology t = g.resolve(settings);
    if (t.hasErrors()) {
      return null;
    }
    return Verifier.of(t, CILIUM.render(t), ISTIO.render(t));
  }

  @Test
  void aRenderingComparedWithItselfHasNoChange() {
    PropertyRunner.forAll(
        "diff(A, A) is empty",
        RandomGraphs::generate,
        ConnectivityDiffProperties::pair,
        (g, pair) -> {
          Verifier one = judge(g, pair.settings());
          Verifier two = judge(g, pair.settings());
          if (one == null) {
            return null;
          }
          ConnectivityDiff d = ConnectivityDiff.between(one, two);
          return d.isEmpty() ? null : "diff(A, A) reports " + d.changes();
        });
  }

  @Test
  void theServicePartIsTheDifferenceOfTheTwoMatrices() {
    Map<String, Integer> seen = new TreeMap<>();
    PropertyRunner.forAll(
        "diff(A, B) is the difference of the connectivity matrices, and diff(B, A) its mirror",
        RandomGraphs::generate,
        ConnectivityDiffProperties::pair,
        (g, pair) -> {
          Verifier a = judge(g, pair.settings());
          Verifier b = a == null ? null : judge(pair.toB().apply(g), pair.settings());
          if (b == null) {
            return null;
          }
          ConnectivityDiff d = ConnectivityDiff.between(a, b);
          List<String> expected = expected(a.matrix(), b.matrix(), seen);
          List<String> actual = new ArrayList<>();
          for (Change c : d.changes()) {
            if (c.kind() == Change.Kind.SERVICE) {
              actual.add(describe(c));
            }
          }
          Collections.sort(actual);
          if (!expected.equals(actual)) {
            return "the diff's service changes differ from the matrices' difference\nexpected: "
                + expected
                + "\nactual:   "
                + actual;
          }
          ConnectivityDiff back = ConnectivityDiff.between(b, a);
          List<String> mirrored = back.changes().stream().map(c -> mirror(c)).sorted().toList();
          List<String> forward = d.changes().stream().map(c -> describe(c)).sorted().toList();
          if (!mirrored.equals(forward)) {
            return "diff(B, A) is not the mirror of diff(A, B)\nforward:  "
                + forward
                + "\nmirrored: "
                + mirrored;
          }
          return null;
        });
    System.out.println("matrix cells by how they changed: " + seen);
    for (String what : List.of("opened", "closed", "unchanged", "absent")) {
      if (seen.getOrDefault(what, 0) == 0) {
        throw new AssertionError("no pair had a cell that is " + what + ": " + seen);
      }
    }
  }

  /** Absent is the fourth state a layer's cell can be in. */
  private static final String ABSENT = "ABSENT";

  /**
   * The expected changes, from the matrices alone: per cell of either matrix, each layer's state
   * before and after; a layer <em>stops</em> the connection when it denies or the cell is absent.
   */
  static List<String> expected(
      ConnectivityMatrix before, ConnectivityMatrix after, Map<String, Integer> seen) {
    Map<String, ConnectivityMatrix.Entry[]> cells = new TreeMap<>();
    for (ConnectivityMatrix.Entry e : before.entries()) {
      cells.computeIfAbsent(key(e), k -> new ConnectivityMatrix.Entry[2])[0] = e;
    }
    for (ConnectivityMatrix.Entry e : after.entries()) {
      cells.computeIfAbsent(key(e), k -> new ConnectivityMatrix.Entry[2])[1] = e;
    }
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, ConnectivityMatrix.Entry[]> cell : cells.entrySet()) {
      ConnectivityMatrix.Entry b = cell.getValue()[0];
      ConnectivityMatrix.Entry a = cell.getValue()[1];
      Set<String> opened = new TreeSet<>();
      Set<String> closed = new TreeSet<>();
      Set<String> changed = new TreeSet<>();
      StringBuilder states = new StringBuilder();
      for (Layer l : Layer.values()) {
        String sb = state(b, l);
        String sa = state(a, l);
        states.append(' ').append(l).append(' ').append(sb).append("->").append(sa);
        boolean stopsBefore = sb.equals(ABSENT) || sb.equals("DENY");
        boolean stopsAfter = sa.equals(ABSENT) || sa.equals("DENY");
        if (stopsBefore && !stopsAfter && !(sb.equals(ABSENT) && sa.equals("N_A"))) {
          opened.add(l.name());
        }
        if (!stopsBefore && stopsAfter && !(sa.equals(ABSENT) && sb.equals("N_A"))) {
          closed.add(l.name());
        }
        if (!sb.equals(sa) && Set.of("ALLOW", "N_A").containsAll(List.of(sb, sa))) {
          changed.add(l.name());
        }
      }
      if (b == null || a == null) {
        seen.merge("absent", 1, Integer::sum);
      }
      if (!opened.isEmpty()) {
        seen.merge("opened", 1, Integer::sum);
      }
      if (!closed.isEmpty()) {
        seen.merge("closed", 1, Integer::sum);
      }
      if (!changed.isEmpty()) {
        seen.merge("changed", 1, Integer::sum);
      }
      if (b != null && a != null && opened.isEmpty() && closed.isEmpty() && changed.isEmpty()) {
        seen.merge("unchanged", 1, Integer::sum);
      }
      if (!opened.isEmpty() || !closed.isEmpty() || !changed.isEmpty()) {
        out.add(
            cell.getKey()
                + ":"
                + states
                + " opened "
                + opened
                + " closed "
                + closed
                + " changed "
                + changed);
      }
    }
    Collections.sort(out);
    return out;
  }

  private static String key(ConnectivityMatrix.Entry e) {
    return e.from() + " -> " + e.to() + " " + e.port() + "/" + e.protocol();
  }

  private static String state(ConnectivityMatrix.Entry e, Layer l) {
    if (e == null) {
      return ABSENT;
    }
    Decision d = l == Layer.CILIUM ? e.cilium() : e.istio();
    return d.name();
  }

  /** A change in the form {@link #expected} writes. */
  private static String describe(Change c) {
    StringBuilder states = new StringBuilder();
    for (Layer l : Layer.values()) {
      states
          .append(' ')
          .append(l)
          .append(' ')
          .append(c.before(l).map(Enum::name).orElse(ABSENT))
          .append("->")
          .append(c.after(l).map(Enum::name).orElse(ABSENT));
    }
    return c.connection()
        + ":"
        + states
        + " opened "
        + names(c.openedLayers())
        + " closed "
        + names(c.closedLayers())
        + " changed "
        + names(c.changedLayers());
  }

  /** A change of diff(B, A) described as the change of diff(A, B) it mirrors. */
  private static String mirror(Change c) {
    StringBuilder states = new StringBuilder();
    for (Layer l : Layer.values()) {
      states
          .append(' ')
          .append(l)
          .append(' ')
          .append(c.after(l).map(Enum::name).orElse(ABSENT))
          .append("->")
          .append(c.before(l).map(Enum::name).orElse(ABSENT));
    }
    return c.connection()
        + ":"
        + states
        + " opened "
        + names(c.closedLayers())
        + " closed "
        + names(c.openedLayers())
        + " changed "
        + names(c.changedLayers());
  }

  private static Set<String> names(Set<Layer> layers) {
    Set<String> out = new TreeSet<>();
    layers.forEach(l -> out.add(l.name()));
    return out;
  }
}
