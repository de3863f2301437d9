package dev.lattice.cilium;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.graph.ServiceGraph;
import dev.lattice.graph.Topology;
import dev.lattice.graph.TopologyUpdate;
import dev.lattice.model.ServiceId;
import dev.lattice.output.Manifest;
import dev.lattice.output.Resource;
import dev.lattice.testing.PropertyRunner;
import dev.lattice.testing.RandomGraphs;
import dev.lattice.testing.Seeds;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A full render on two threads (forced here from the first service on, so that small graphs
 * interleave the threads' blocks) gives the very list one thread gives, in the same order, over
 * random graphs with hubs (the threshold lowered), waypoints and egress; and the hub memos it keeps
 * patch as one thread's do.
 */
class ParallelRenderProperties {
  private static final int HUB = 4;

  /**
   * How many graphs had a hub, a waypoint, and how many patches ran: the property must see them.
   */
  private static final AtomicInteger HUBS = new AtomicInteger();

  private static final AtomicInteger WAYPOINTS = new AtomicInteger();

  private static CiliumRenderer renderer() {
    System.setProperty(CiliumRenderer.HUB_THRESHOLD_PROPERTY, Integer.toString(HUB));
    try {
      return CiliumRenderer.create(CiliumOptions.builder().maxDocumentBytes(4096).build());
    } finally {
      System.clearProperty(CiliumRenderer.HUB_THRESHOLD_PROPERTY);
    }
  }

  @Test
  void twoThreadsRenderAsOneDoes() {
    long patches = CiliumRenderer.PATCHES.get();
    RandomGraphs.Options options = new RandomGraphs.Options();
    options.maxServices = 60;
    options.maxNamespaces = 4;
    options.edgeRate = 0.15;
    options.wildcardRate = 0.05;
    PropertyRunner.forAll(
        "two threads = one thread",
        seed -> RandomGraphs.generate(seed, options),
        ParallelRenderProperties::check);
    assertThat(HUBS.get()).as("graphs with a hub").isGreaterThan(Seeds.tries() / 4);
    assertThat(WAYPOINTS.get()).as("graphs with a waypoint").isGreaterThan(Seeds.tries() / 4);
    assertThat(CiliumRenderer.PATCHES.get() - patches).as("hub patches").isPositive();
  }

  private static String check(ServiceGraph graph) {
    Topology topology = graph.resolve();
    if (topology.hasErrors()) {
      return null;
    }
    if (topology.views().stream().anyMatch(v -> v.inbound().size() + v.outbound().size() >= HUB)) {
      HUBS.incrementAndGet();
    }
    if (!topology.waypoints().isEmpty()) {
      WAYPOINTS.incrementAndGet();
    }
    CiliumRenderer oneThread = renderer();
    CiliumRenderer twoThreads = renderer();
    List<Resource> want = oneThread.resources(topology, Integer.MAX_VALUE);
    List<Resource> got = twoThreads.resources(topology, 1);
    if (got.size() != want.size()) {
      return got.size() + " resources on two threads, " + want.size() + " on one";
    }
    for (int i = 0; i < want.size(); i++) {
      if (!got.get(i).key().equals(want.get(i).key())) {
        return "resource " + i + " is " + got.get(i).key() + ", not " + want.get(i).key();
      }
      if (!got.get(i).toYaml().equals(want.get(i).toYaml())) {
        return want.get(i).key() + " differs";
      }
    }
    // the memos the second thread made serve an update, as one thread's do
    if (topology.services().size() < 2) {
      return null;
    }
    ServiceId removed = topology.services().get(topology.services().size() / 2).id();
    TopologyUpdate u = topology.update(List.of(), List.of(removed));
    if (u.topology().hasErrors()) {
      return null;
    }
    String full = oneThread.render(u.topology()).toYaml();
    String patched = twoThreads.update(Manifest.of(got), u).manifest().toYaml();
    return patched.equals(full) ? null : "an update after the two-thread render differs";
  }
}
