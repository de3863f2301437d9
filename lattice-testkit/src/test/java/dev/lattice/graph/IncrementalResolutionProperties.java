package dev.lattice.graph;

import static dev.lattice.dsl.Lattice.service;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.dsl.ServiceBuilder;
import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import dev.lattice.model.Settings;
import dev.lattice.model.WaypointScope;
import dev.lattice.testing.Graphs;
import dev.lattice.testing.PropertyRunner;
import dev.lattice.testing.RandomGraphs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link Topology#update} gives exactly what resolving the changed graph from scratch gives, over
 * random graphs and random chains of edits (services changed, removed, added); it leaves the
 * previous topology untouched; and every service whose view or peers changed is reported as
 * affected.
 */
class IncrementalResolutionProperties {

  @Test
  void updateEqualsFullResolution() {
    List<Settings> variants = new ArrayList<>();
    for (WaypointScope scope : WaypointScope.values()) {
      variants.add(Settings.builder().waypointScope(scope).build());
    }
    // the implicit scraper: its per-service declarations and its one graph diagnostic follow edits
    variants.add(Settings.builder().metricsScraper(ServiceId.of("shop", "web")).build());
    for (Settings settings : variants) {
      RandomGraphs.Options options = new RandomGraphs.Options();
      options.valid = false;
      PropertyRunner.forAll(
          "update = full resolution ("
              + settings.waypointScope()
              + settings.metricsScraper().map(s -> ", scraper " + s).orElse("")
              + ")",
          seed -> RandomGraphs.generate(seed, options),
          graph -> check(graph, settings, graph.services().size() * 7919L + 17));
    }
  }

  /**
   * A wildcard caller with hundreds of callees (the metrics scraper, admitted through each callee's
   * metrics port or an explicit declaration) while single services, or a few dozen at once, drop or
   * add what admits it, leave and come back, change their ports, or become its explicit callees:
   * its agreements and the callees' inbound lists are then patched one callee at a time, or rebuilt
   * when too many change, and must equal a full resolution after every step.
   */
  @Test
  void aHubGainingOrLosingCalleesEqualsFullResolution() {
    ServiceId hub = ServiceId.of("mon", "prom");
    Settings settings = Settings.builder().metricsScraper(hub).build();
    for (long seed = 1; seed <= 6; seed++) {
      Random random = new Random(seed);
      int n = 300;
      boolean[] admits = new boolean[n];
      int[] port = new int[n];
      Map<ServiceId, Service> services = new LinkedHashMap<>();
      Set<Integer> named = new java.util.TreeSet<>(Set.of(1));
      services.put(hub, hub(named));
      for (int i = 0; i < n; i++) {
        admits[i] = true;
        port[i] = 9100;
        Service c = callee(i, true, 9100);
        services.put(c.id(), c);
      }
      Topology current = ServiceGraph.of(services.values()).resolve(settings);
      for (int step = 0; step < 40; step++) {
        List<Service> upserts = new ArrayList<>();
        List<ServiceId> removals = new ArrayList<>();
        int kind = random.nextInt(6);
        int many = kind == 4 ? 20 : kind == 5 ? 60 : 1;
        for (int k = 0; k < many; k++) {
          int i = random.nextInt(n);
          ServiceId id = calleeId(i);
          if (kind == 1 && services.containsKey(id)) {
            removals.add(id);
          } else if (kind == 2) {
            if (!named.remove(i)) {
              named.add(i);
            }
            upserts.add(hub(named));
          } else {
            if (kind == 3) {
              port[i] = port[i] == 9100 ? 9200 : 9100;
            } else if (kind != 1) {
              admits[i] = !admits[i];
            }
            upserts.add(callee(i, admits[i], port[i]));
          }
        }
        removals.removeIf(id -> upserts.stream().anyMatch(s -> s.id().equals(id)));
        String before = fingerprint(current);
        TopologyUpdate u = current.update(upserts, removals);
        upserts.forEach(s -> services.put(s.id(), s));
        removals.forEach(services::remove);
        String want = fingerprint(ServiceGraph.of(services.values()).resolve(settings));
        String got = fingerprint(u.topology());
        assertThat(got).as("seed %d step %d kind %d", seed, step, kind).isEqualTo(want);
        assertThat(fingerprint(current)).as("the previous topology").isEqualTo(before);
        assertThat(unreported(current, u)).as("unreported").isNull();
        current = u.topology();
      }
    }
  }

  /** The scraper: a wildcard outbound side, explicit callees, and peer traffic (a self pair). */
  private static Service hub(Set<Integer> named) {
    ServiceBuilder b =
        service("mon/prom")
            .port("metrics", 9090)
            .metricsPort("metrics")
            .allowPeerTraffic()
            .dependsOnAny()
            .outbound();
    for (int i : named) {
      b = b.dependsOn(calleeId(i).toString()).outbound();
    }
    return b.build();
  }

  private static ServiceId calleeId(int i) {
    return ServiceId.of("ns" + i % 7, "s" + i);
  }

  /** Callee {@code i}: admits the scraper by its metrics port, a declaration, or both, or not. */
  private static Service callee(int i, boolean admits, int port) {
    ServiceBuilder b = service(calleeId(i).toString()).port("http", 80).port("metrics", port);
    if (admits && i % 3 != 1) {
      b = b.metricsPort("metrics");
    }
    if (admits && i % 3 != 0) {
      b = b.dependsOn("mon/prom").inbound();
    }
    return b.build();
  }

  private static String check(ServiceGraph graph, Settings settings, long seed) {
    Random random = new Random(seed);
    Topology current = graph.resolve(settings);
    Map<ServiceId, Service> services = new LinkedHashMap<>();
    graph.services().forEach(s -> services.putIfAbsent(s.id(), s));
    for (int step = 0; step < 4; step++) {
      String before = fingerprint(current);
      List<Service> upserts = new ArrayList<>();
      List<ServiceId> removals = new ArrayList<>();
      edit(random, services, upserts, removals, seed + step);
      TopologyUpdate u = current.update(upserts, removals);
      upserts.forEach(s -> services.put(s.id(), s));
      removals.forEach(services::remove);
      Topology full = ServiceGraph.of(services.values()).resolve(settings);
      String got = fingerprint(u.topology());
      String want = fingerprint(full);
      if (!got.equals(want)) {
        return "after step "
            + step
            + " (upserts "
            + upserts
            + ", removals "
            + removals
            + "):\n"
            + diff(want, got);
      }
      if (!fingerprint(current).equals(before)) {
        return "update changed the previous topology at step " + step;
      }
      String missing = unreported(current, u);
      if (missing != null) {
        return "step "
            + step
            + " (upserts "
            + upserts
            + " "
            + upserts.stream().map(x -> x.declarations().toString()).toList()
            + ", removals "
            + removals
            + "): "
            + missing;
      }
      current = u.topology();
    }
    return null;
  }

  private static void edit(
      Random random,
      Map<ServiceId, Service> services,
      List<Service> upserts,
      List<ServiceId> removals,
      long seed) {
    List<Service> all = new ArrayList<>(services.values());
    int kind = random.nextInt(4);
    if (kind == 0 && !all.isEmpty()) {
      removals.add(all.get(random.nextInt(all.size())).id());
      return;
    }
    // a service of another random graph: new, or replacing one with the same id
    RandomGraphs.Options o = new RandomGraphs.Options();
    o.valid = false;
    List<Service> donors = RandomGraphs.generate(seed * 31 + 7, o).services();
    if (donors.isEmpty()) {
      return;
    }
    Service donor = donors.get(random.nextInt(donors.size()));
    if (kind == 1 || all.isEmpty()) {
      upserts.add(donor);
    } else {
      Service target = all.get(random.nextInt(all.size()));
      upserts.add(
          Graphs.edit(
              donor,
              d -> {
                d.namespace = target.namespace();
                d.name = target.name();
                if (kind == 3) {
                  d.declarations = new ArrayList<>(target.declarations());
                  if (!d.declarations.isEmpty()) {
                    d.declarations.remove(random.nextInt(d.declarations.size()));
                  }
                }
              }));
    }
  }

  /** Everything a topology says, as text: equal texts mean equal topologies. */
  static String fingerprint(Topology t) {
    StringBuilder sb = new StringBuilder();
    t.services().forEach(s -> sb.append("service ").append(s).append('\n'));
    t.agreements().forEach(a -> sb.append("agreement ").append(a).append('\n'));
    t.diagnostics().forEach(d -> sb.append("diagnostic ").append(d).append('\n'));
    t.waypoints()
        .forEach(
            w ->
                sb.append("waypoint ")
                    .append(w)
                    .append(' ')
                    .append(w.services())
                    .append(w.routesEgress() ? " egress" : "")
                    .append('\n'));
    t.edges()
        .forEach(e -> sb.append("edge ").append(e).append(' ').append(e.httpRules()).append('\n'));
    for (ServiceView v : t.views()) {
      sb.append("view ").append(view(v)).append('\n');
    }
    return sb.toString();
  }

  private static String view(ServiceView v) {
    return v.id()
        + " in "
        + v.inbound()
        + " out "
        + v.outbound()
        + " wp "
        + v.waypoint().map(Object::toString).orElse("-")
        + " egress "
        + v.egressWaypoint().map(Object::toString).orElse("-");
  }

  /** A service whose view or whose peers changed, but that the update did not report. */
  private static String unreported(Topology before, TopologyUpdate u) {
    Set<ServiceId> affected = u.affectedServices();
    for (ServiceView after : u.topology().views()) {
      ServiceId id = after.id();
      ServiceView old = before.view(id).orElse(null);
      boolean changed =
          old == null
              || !old.service().equals(after.service())
              || !view(old).equals(view(after))
              || peersChanged(before, u.topology(), old)
              || peersChanged(before, u.topology(), after);
      if (changed && !affected.contains(id)) {
        return id
            + " changed but is not in affectedServices "
            + affected
            + "\n  before: "
            + (old == null ? "-" : view(old))
            + "\n  after:  "
            + view(after);
      }
    }
    return null;
  }

  /**
   * Whether a fact the renderers read about {@code v}'s peers changed: any peer's declaration
   * (selector, account, mesh, ports), or the waypoint in front of a callee (its callers route to
   * the waypoint).
   */
  private static boolean peersChanged(Topology a, Topology b, ServiceView v) {
    List<Agreement> all = new ArrayList<>(v.inbound());
    all.addAll(v.outbound());
    for (Agreement ag : all) {
      for (ServiceId peer : List.of(ag.caller(), ag.callee())) {
        if (!Objects.equals(a.service(peer), b.service(peer))) {
          return true;
        }
      }
    }
    for (Agreement ag : v.outbound()) {
      if (!Objects.equals(
          a.view(ag.callee()).flatMap(ServiceView::waypoint),
          b.view(ag.callee()).flatMap(ServiceView::waypoint))) {
        return true;
      }
    }
    return false;
  }

  private static String diff(String want, String got) {
    List<String> w = List.of(want.split("\n"));
    List<String> g = List.of(got.split("\n"));
    StringBuilder sb = new StringBuilder();
    w.stream()
        .filter(x -> !g.contains(x))
        .forEach(x -> sb.append("  missing: ").append(x).append('\n'));
    g.stream()
        .filter(x -> !w.contains(x))
        .forEach(x -> sb.append("  extra:   ").append(x).append('\n'));
    return sb.toString();
  }
}
