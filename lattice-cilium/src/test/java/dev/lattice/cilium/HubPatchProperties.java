package dev.lattice.cilium;

import static dev.lattice.dsl.Lattice.service;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.graph.ServiceGraph;
import dev.lattice.graph.Topology;
import dev.lattice.graph.TopologyUpdate;
import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import dev.lattice.output.Manifest;
import dev.lattice.output.ManifestUpdate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A scraper's policy, patched through chains of single-service changes, equals a full render: the
 * policy has dozens of parts (4 KiB each) and DNS elements, and the services' selectors and names
 * have random lengths, so that a change grows or shrinks an element or a DNS group by a few bytes
 * and moves the end of the parts after it, or removes the element that stopped a part (which may
 * then take the next one). {@code -Dlattice.seed=N} replays one seed, {@code -Dlattice.tries=N}
 * sets how many run (default 25).
 */
class HubPatchProperties {
  private static final CiliumOptions SMALL = CiliumOptions.builder().maxDocumentBytes(4096).build();
  private static final CiliumRenderer PATCHING = hubs();
  private static final CiliumRenderer FULL = CiliumRenderer.create(SMALL);

  private static CiliumRenderer hubs() {
    System.setProperty(CiliumRenderer.HUB_THRESHOLD_PROPERTY, "8");
    try {
      return CiliumRenderer.create(SMALL);
    } finally {
      System.clearProperty(CiliumRenderer.HUB_THRESHOLD_PROPERTY);
    }
  }

  @Test
  void patchedScraperEqualsFullRender() {
    long before = CiliumRenderer.PATCHES.get();
    for (long seed : PropertySeeds.list(25)) {
      String problem = check(seed);
      assertThat(problem).as("seed %d (replay with -Dlattice.seed=%d)", seed, seed).isNull();
    }
    assertThat(CiliumRenderer.PATCHES.get() - before)
        .isGreaterThan(PropertySeeds.list(25).size() * 10L);
  }

  private static String check(long seed) {
    Random random = new Random(seed);
    TreeMap<ServiceId, Service> services = new TreeMap<>();
    Service scraper = service("ops/scraper").dependsOn("*").ports("metrics").outbound().build();
    services.put(scraper.id(), scraper);
    for (int i = 20 + random.nextInt(100); i > 0; i--) {
      Service s = scraped(random, "s" + i + "x".repeat(random.nextInt(12)), true);
      services.put(s.id(), s);
    }
    Topology topology = ServiceGraph.of(services.values()).resolve();
    Manifest applied = PATCHING.render(topology);
    for (int step = 0; step < 25; step++) {
      List<Service> all = new ArrayList<>(services.values());
      Service s = all.get(1 + random.nextInt(all.size() - 1));
      List<Service> upserts = new ArrayList<>();
      List<ServiceId> removals = new ArrayList<>();
      switch (random.nextInt(4)) {
        case 0 -> upserts.add(scraped(random, s.name(), true)); // another selector
        case 1 -> upserts.add(scraped(random, s.name(), false)); // drops the scraper
        case 2 -> removals.add(s.id());
        default -> upserts.add(scraped(random, "n" + step + "y".repeat(random.nextInt(9)), true));
      }
      upserts.forEach(u -> services.put(u.id(), u));
      removals.forEach(services::remove);
      TopologyUpdate u = topology.update(upserts, removals);
      ManifestUpdate m = PATCHING.update(applied, u);
      String want = FULL.render(ServiceGraph.of(services.values()).resolve()).toYaml();
      if (!m.manifest().toYaml().equals(want)) {
        return "step " + step + " (" + upserts + " -" + removals + "): differs from a full render";
      }
      topology = u.topology();
      applied = m.manifest();
    }
    return null;
  }

  /** A service of {@code apps} with a selector of random length, admitting the scraper or not. */
  private static Service scraped(Random random, String name, boolean admits) {
    var b = service("apps/" + name).port("http", 80).port("metrics", 9090).selector("app", name);
    // from one short label to seven long ones: elements from about 100 bytes to about 600
    for (int k = random.nextInt(7); k > 0; k--) {
      b.selector("l" + k, "r".repeat(1 + random.nextInt(60)));
    }
    if (admits) {
      b.dependsOn("ops/scraper").ports("metrics").inbound();
    }
    return b.build();
  }
}
