package dev.lattice.graph;

import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import dev.lattice.model.Settings;
import dev.lattice.testing.PropertyRunner;
import dev.lattice.testing.RandomGraphs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Resolution with its independent steps on two threads ({@link dev.lattice.internal.Parallel},
 * forced here from the first item on, so that small graphs interleave the threads' blocks) gives
 * exactly the topology of one thread, over random graphs with wildcards, unknown peers and
 * one-sided declarations, and after an update of some of their services.
 */
class ParallelResolutionProperties {

  @Test
  void twoThreadsResolveAsOneDoes() {
    RandomGraphs.Options options = new RandomGraphs.Options();
    options.valid = false;
    options.maxServices = 40;
    options.maxNamespaces = 4;
    options.edgeRate = 0.15;
    options.wildcardRate = 0.2;
    Settings settings = Settings.builder().metricsScraper(ServiceId.of("shop", "web")).build();
    PropertyRunner.forAll(
        "two threads = one thread",
        seed -> RandomGraphs.generate(seed, options),
        graph -> check(graph, settings));
  }

  private static String check(ServiceGraph graph, Settings settings) {
    Map<ServiceId, Service> unique = new LinkedHashMap<>();
    graph.services().forEach(s -> unique.putIfAbsent(s.id(), s));
    List<Service> services = new ArrayList<>(unique.values());
    State empty = State.empty(settings);
    Topology one =
        Resolver.update(empty, services, List.of(), graph.diagnostics(), Integer.MAX_VALUE)
            .topology;
    Topology two = Resolver.update(empty, services, List.of(), graph.diagnostics(), 1).topology;
    String want = IncrementalResolutionProperties.fingerprint(one);
    String got = IncrementalResolutionProperties.fingerprint(two);
    if (!got.equals(want)) {
      return "full resolution differs";
    }
    // an update of every other service, from the resolved state, the same way
    List<Service> half = new ArrayList<>();
    for (int i = 0; i < services.size(); i += 2) {
      half.add(services.get(i));
    }
    List<ServiceId> removed =
        services.isEmpty() ? List.of() : List.of(services.get(1 % services.size()).id());
    Resolver.Update u1 =
        Resolver.update(one.state(), half, removed, graph.diagnostics(), Integer.MAX_VALUE);
    Resolver.Update u2 = Resolver.update(one.state(), half, removed, graph.diagnostics(), 1);
    if (!IncrementalResolutionProperties.fingerprint(u1.topology)
        .equals(IncrementalResolutionProperties.fingerprint(u2.topology))) {
      return "update differs";
    }
    if (!u1.affectedServices.equals(u2.affectedServices)) {
      return "affected services differ: " + u1.affectedServices + " vs " + u2.affectedServices;
    }
    return null;
  }
}
