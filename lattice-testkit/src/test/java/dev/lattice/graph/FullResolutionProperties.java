package dev.lattice.graph;

import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import dev.lattice.model.Settings;
import dev.lattice.model.WaypointScope;
import dev.lattice.testing.PropertyRunner;
import dev.lattice.testing.RandomGraphs;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A full resolution ({@link FullResolution}, built in bulk) leaves exactly the state that an update
 * of the empty state with every service leaves ({@link Resolver#update}, the path every change
 * takes): the same topology, the same indexes entry by entry, and the same next update. Over random
 * graphs with wildcards, unknown peers, one-sided declarations and the implicit metrics scraper, on
 * one thread and on two.
 */
class FullResolutionProperties {

  @Test
  void bulkResolutionEqualsAnUpdateOfTheEmptyState() {
    List<Settings> variants = new ArrayList<>();
    for (WaypointScope scope : WaypointScope.values()) {
      variants.add(Settings.builder().waypointScope(scope).build());
    }
    variants.add(Settings.builder().metricsScraper(ServiceId.of("shop", "web")).build());
    for (Settings settings : variants) {
      RandomGraphs.Options options = new RandomGraphs.Options();
      options.valid = false;
      options.maxServices = 30;
      options.maxNamespaces = 4;
      options.edgeRate = 0.2;
      options.wildcardRate = 0.2;
      PropertyRunner.forAll(
          "bulk resolution = update of the empty state (" + settings.waypointScope() + ")",
          seed -> RandomGraphs.generate(seed, options),
          graph -> check(graph, settings));
    }
  }

  private static String check(ServiceGraph graph, Settings settings) {
    Map<ServiceId, Service> unique = new LinkedHashMap<>();
    graph.services().forEach(s -> unique.putIfAbsent(s.id(), s));
    List<Service> services = new ArrayList<>(unique.values());
    State empty = State.empty(settings);
    Topology plain =
        Resolver.update(empty, services, List.of(), graph.diagnostics(), Integer.MAX_VALUE)
            .topology;
    String want = IncrementalResolutionProperties.fingerprint(plain);
    for (int parallelFrom : new int[] {1, Integer.MAX_VALUE}) {
      Topology bulk = FullResolution.resolve(settings, services, graph.diagnostics(), parallelFrom);
      String got = IncrementalResolutionProperties.fingerprint(bulk);
      if (!got.equals(want)) {
        return "topologies differ (from " + parallelFrom + "):\n" + want + "\nvs\n" + got;
      }
      String differs = sameState(plain.state(), bulk.state());
      if (differs != null) {
        return differs + " (from " + parallelFrom + ")";
      }
      // the next update reads the indexes: the same change from either state, the same outcome
      List<Service> half = new ArrayList<>();
      for (int i = 0; i < services.size(); i += 3) {
        half.add(services.get(i));
      }
      List<ServiceId> removed = services.size() < 2 ? List.of() : List.of(services.get(1).id());
      Resolver.Update u1 = Resolver.update(plain.state(), half, removed, graph.diagnostics());
      Resolver.Update u2 = Resolver.update(bulk.state(), half, removed, graph.diagnostics());
      if (!IncrementalResolutionProperties.fingerprint(u1.topology)
          .equals(IncrementalResolutionProperties.fingerprint(u2.topology))) {
        return "the next update differs";
      }
      if (!u1.affectedServices.equals(u2.affectedServices)
          || !u1.affectedNamespaces.equals(u2.affectedNamespaces)) {
        return "the next update's affected services or namespaces differ";
      }
    }
    return null;
  }

  /** Where two states differ, or null. */
  private static String sameState(State a, State b) {
    if (!a.ids.equals(b.ids)) {
      return "ids: " + a.ids + " vs " + b.ids;
    }
    if (!a.nodes.keySet().equals(b.nodes.keySet())) {
      return "nodes";
    }
    if (a.errorCount != b.errorCount) {
      return "error count " + a.errorCount + " vs " + b.errorCount;
    }
    if (!a.graphDiagnostics.equals(b.graphDiagnostics)) {
      return "graph diagnostics";
    }
    if (!a.names.equals(b.names)) {
      return "names: " + a.names + " vs " + b.names;
    }
    if (!sets(a.admittedBy).equals(sets(b.admittedBy))) {
      return "admittedBy: " + sets(a.admittedBy) + " vs " + sets(b.admittedBy);
    }
    if (!sets(a.namedBy).equals(sets(b.namedBy))) {
      return "namedBy: " + sets(a.namedBy) + " vs " + sets(b.namedBy);
    }
    if (!sets(a.unknownInto).equals(sets(b.unknownInto))) {
      return "unknownInto: " + sets(a.unknownInto) + " vs " + sets(b.unknownInto);
    }
    if (!new TreeMap<>(a.inbound).equals(new TreeMap<>(b.inbound))) {
      return "inbound: " + new TreeMap<>(a.inbound) + " vs " + new TreeMap<>(b.inbound);
    }
    if (!a.results.keySet().equals(b.results.keySet())) {
      return "results' keys";
    }
    for (ServiceId id : a.results.keySet()) {
      State.Results x = a.results.get(id);
      State.Results y = b.results.get(id);
      if (!x.asCaller.equals(y.asCaller)
          || !x.explicit.equals(y.explicit)
          || !x.diagnostics.equals(y.diagnostics)
          || !x.edges.equals(y.edges)
          || !x.unknownNamespaces.equals(y.unknownNamespaces)
          || x.errors != y.errors
          || (x.wild == null) != (y.wild == null)) {
        return "results of " + id;
      }
      for (int i = 0; x.wild != null && i < Math.max(x.wild.size(), y.wild.size()); i++) {
        if (i >= x.wild.size()
            || i >= y.wild.size()
            || !x.wild.get(i).callee.equals(y.wild.get(i).callee)
            || !x.wild.get(i).sameAs(y.wild.get(i))) {
          return "wild pairs of " + id;
        }
      }
    }
    if (!a.namespaces.keySet().equals(b.namespaces.keySet())) {
      return "namespaces: " + a.namespaces.keySet() + " vs " + b.namespaces.keySet();
    }
    for (String ns : a.namespaces.keySet()) {
      State.NamespaceResult x = a.namespaces.get(ns);
      State.NamespaceResult y = b.namespaces.get(ns);
      if (!x.waypoints.equals(y.waypoints)
          || !x.diagnostics.equals(y.diagnostics)
          || !x.fronting.equals(y.fronting)) {
        return "namespace " + ns;
      }
    }
    return null;
  }

  private static <K> Map<K, Set<ServiceId>> sets(Map<K, Set<ServiceId>> index) {
    Map<K, Set<ServiceId>> out = new java.util.HashMap<>();
    index.forEach((k, v) -> out.put(k, new HashSet<>(v)));
    return out;
  }
}
