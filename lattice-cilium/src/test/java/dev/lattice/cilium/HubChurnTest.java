package dev.lattice.cilium;

import static dev.lattice.dsl.Lattice.service;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.graph.ServiceGraph;
import dev.lattice.graph.Topology;
import dev.lattice.graph.TopologyUpdate;
import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import dev.lattice.output.Manifest;
import dev.lattice.output.ManifestDiff;
import dev.lattice.output.Resource;
import dev.lattice.output.ResourceKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * How much of a hub's policy one change rewrites: the diff a controller applies, not only its
 * correctness (that is {@link HubPatchProperties}). A scraper admitted by 300 services is cut into
 * about 190 parts. Adding, dropping or changing one admitting service touches the part holding its
 * ingress element, the part holding its DNS group and its egress element, the part after each when
 * a boundary moves, and renames a part (a delete and a create) when the element that starts it
 * changes: a few parts, whatever the service's place. When parts were named by position ({@code
 * name.2}, {@code name.3}, ...), a part inserted or removed renamed every part after it: over 1,200
 * changes the mean was 54.7 parts and the worst 199; named by content it is 4.2 and 11. {@code
 * -Dlattice.seed=N} replays one seed, {@code -Dlattice.tries=N} sets how many run (default 5).
 */
class HubChurnTest {
  private static final CiliumOptions SMALL = CiliumOptions.builder().maxDocumentBytes(4096).build();
  private static final String SCRAPER_POLICY = "scraper";
  private static final int MAX_REWRITES = 16;

  @Test
  void oneChangeRewritesAFewPartsOfTheHubNotEveryPartAfterIt() {
    CiliumRenderer renderer = CiliumRenderer.create(SMALL);
    int steps = 0;
    int rewrites = 0;
    TreeMap<Integer, Integer> histogram = new TreeMap<>();
    for (long seed : PropertySeeds.list(5)) {
      Random random = new Random(seed);
      TreeMap<ServiceId, Service> services = new TreeMap<>();
      Service scraper = service("ops/scraper").dependsOn("*").ports("metrics").outbound().build();
      services.put(scraper.id(), scraper);
      for (int i = 0; i < 300; i++) {
        Service s = scraped(random, "s" + i, true);
        services.put(s.id(), s);
      }
      Topology topology = ServiceGraph.of(services.values()).resolve();
      Manifest applied = renderer.render(topology);
      assertThat(hubParts(applied)).as("seed %d: the hub is cut into parts", seed).isGreaterThan(8);
      for (int step = 0; step < 30; step++) {
        List<Service> all = new ArrayList<>(services.values());
        all.remove(scraper);
        Service s = all.get(random.nextInt(all.size()));
        List<Service> upserts = new ArrayList<>();
        List<ServiceId> removals = new ArrayList<>();
        switch (random.nextInt(4)) {
          case 0 -> upserts.add(scraped(random, s.name(), true)); // another selector
          case 1 -> upserts.add(scraped(random, s.name(), false)); // drops the scraper
          case 2 -> removals.add(s.id());
          default -> upserts.add(scraped(random, "n" + seed + "x" + step, true));
        }
        upserts.forEach(u -> services.put(u.id(), u));
        removals.forEach(services::remove);
        TopologyUpdate u = topology.update(upserts, removals);
        Manifest next = renderer.update(applied, u).manifest();
        int touched = hubPartsTouched(ManifestDiff.between(applied, next));
        histogram.merge(touched, 1, Integer::sum);
        assertThat(touched)
            .as("seed %d step %d (%s -%s): hub parts rewritten", seed, step, upserts, removals)
            .isLessThanOrEqualTo(MAX_REWRITES);
        steps++;
        rewrites += touched;
        topology = u.topology();
        applied = next;
      }
    }
    // the worst case is bounded above; on average a change touches about four parts
    assertThat((double) rewrites / steps).as("%s", histogram).isLessThan(6.0);
  }

  private static long hubParts(Manifest m) {
    return m.resources().stream().map(Resource::key).filter(HubChurnTest::isHubPart).count();
  }

  private static int hubPartsTouched(ManifestDiff diff) {
    int n = 0;
    for (Resource r : diff.upserts()) {
      n += isHubPart(r.key()) ? 1 : 0;
    }
    for (ResourceKey k : diff.deletes()) {
      n += isHubPart(k) ? 1 : 0;
    }
    return n;
  }

  private static boolean isHubPart(ResourceKey k) {
    return k.kind().equals("CiliumNetworkPolicy")
        && k.namespace().equals("ops")
        && (k.name().equals(SCRAPER_POLICY) || k.name().startsWith(SCRAPER_POLICY + "."));
  }

  /** A service of {@code apps} with a selector of random length, admitting the scraper or not. */
  private static Service scraped(Random random, String name, boolean admits) {
    var b = service("apps/" + name).port("http", 80).port("metrics", 9090).selector("app", name);
    for (int k = random.nextInt(4); k > 0; k--) {
      b.selector("l" + k, "r".repeat(1 + random.nextInt(40)));
    }
    if (admits) {
      b.dependsOn("ops/scraper").ports("metrics").inbound();
    }
    return b.build();
  }
}
