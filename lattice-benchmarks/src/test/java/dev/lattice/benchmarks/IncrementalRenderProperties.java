package dev.lattice.benchmarks;

import dev.lattice.cilium.CiliumRenderer;
import dev.lattice.graph.ServiceGraph;
import dev.lattice.graph.Topology;
import dev.lattice.graph.TopologyUpdate;
import dev.lattice.istio.IstioRenderer;
import dev.lattice.model.Declaration;
import dev.lattice.model.MeshMode;
import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import dev.lattice.model.Settings;
import dev.lattice.model.WaypointScope;
import dev.lattice.output.Manifest;
import dev.lattice.output.ManifestDiff;
import dev.lattice.output.ManifestUpdate;
import dev.lattice.output.Resource;
import dev.lattice.testing.Graphs;
import dev.lattice.testing.PropertyRunner;
import dev.lattice.testing.RandomGraphs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A controller's incremental path gives what a full render gives: after random chains of edits
 * (services changed, removed, added, their selectors, mesh mode and declarations edited), {@code
 * update(previous, topology.update(...))} of each renderer yields a manifest byte-identical to
 * {@code render(topology)} of the graph resolved from scratch, the same required labels, and the
 * diff {@code ManifestDiff.between} finds — for each layer, and for both layers in one manifest.
 */
class IncrementalRenderProperties {
  private static final CiliumRenderer WHOLE = CiliumRenderer.create();

  /** Splits every policy over 4 KiB into parts: updates must replace and prune parts too. */
  private static final CiliumRenderer PARTS =
      CiliumRenderer.create(
          dev.lattice.cilium.CiliumOptions.builder().maxDocumentBytes(4096).build());

  private static final IstioRenderer ISTIO = IstioRenderer.create();

  /** Every service with two agreements or more is a hub: its policy is patched, not re-rendered. */
  private static final CiliumRenderer HUB_WHOLE = hubs(dev.lattice.cilium.CiliumOptions.defaults());

  private static final CiliumRenderer HUB_PARTS =
      hubs(dev.lattice.cilium.CiliumOptions.builder().maxDocumentBytes(4096).build());

  private static CiliumRenderer hubs(dev.lattice.cilium.CiliumOptions options) {
    System.setProperty("lattice.cilium.hubThreshold", "2");
    try {
      return CiliumRenderer.create(options);
    } finally {
      System.clearProperty("lattice.cilium.hubThreshold");
    }
  }

  /** How many hub policies were patched so far (package-private in lattice-cilium). */
  private static long patches() {
    try {
      java.lang.reflect.Field f = CiliumRenderer.class.getDeclaredField("PATCHES");
      f.setAccessible(true);
      return ((java.util.concurrent.atomic.AtomicLong) f.get(null)).get();
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * The same with hub patching on every service with two agreements or more, wildcard callers (a
   * scraper's declarations) three times as often: each patched policy must equal a full render, and
   * the patch must actually run (a test that always fell back would prove nothing).
   */
  @Test
  void hubPatchEqualsFullRender() {
    long before = patches();
    for (WaypointScope scope : WaypointScope.values()) {
      Settings settings = Settings.builder().waypointScope(scope).build();
      RandomGraphs.Options options = new RandomGraphs.Options();
      options.maxServices = 12;
      options.wildcardRate = 0.3;
      PropertyRunner.forAll(
          "hub patch = full render (" + scope + ")",
          seed -> RandomGraphs.generate(seed, options),
          graph ->
              // the expected manifests come from another renderer: a full render replaces the
              // memo, as a controller's renderer would not do between two updates
              scope == WaypointScope.SERVICE
                  ? check(graph, settings, options, HUB_PARTS, PARTS)
                  : check(graph, settings, options, HUB_WHOLE, WHOLE));
    }
    long patched = patches() - before;
    org.junit.jupiter.api.Assertions.assertTrue(
        patched >= 200, "the hub patch ran only " + patched + " times");
    System.out.println("hub patches: " + patched);
  }

  @Test
  void updateEqualsFullRender() {
    for (WaypointScope scope : WaypointScope.values()) {
      Settings settings = Settings.builder().waypointScope(scope).build();
      RandomGraphs.Options options = new RandomGraphs.Options();
      options.maxServices = 12;
      PropertyRunner.forAll(
          "incremental render = full render (" + scope + ")",
          seed -> RandomGraphs.generate(seed, options),
          graph -> {
            CiliumRenderer l4 = scope == WaypointScope.SERVICE ? PARTS : WHOLE;
            return check(graph, settings, options, l4, l4);
          });
    }
  }

  private static String check(
      ServiceGraph graph,
      Settings settings,
      RandomGraphs.Options options,
      CiliumRenderer l4,
      CiliumRenderer reference) {
    Topology current = graph.resolve(settings);
    if (current.hasErrors()) {
      return null; // the shrinker may make a graph that does not resolve: nothing to render
    }
    long seed = graph.services().size() * 7919L + graph.services().toString().hashCode();
    Random random = new Random(seed);
    List<Service> pool = RandomGraphs.generate(seed, options).services();
    Map<ServiceId, Service> services = new LinkedHashMap<>();
    graph.services().forEach(s -> services.putIfAbsent(s.id(), s));
    Manifest cilium = l4.render(current);
    Manifest istio = ISTIO.render(current);
    Manifest both = cilium.plus(istio);
    for (int step = 0; step < 6; step++) {
      List<Service> upserts = new ArrayList<>();
      List<ServiceId> removals = new ArrayList<>();
      edit(random, services, pool, upserts, removals);
      Map<ServiceId, Service> after = new TreeMap<>(services);
      upserts.forEach(s -> after.put(s.id(), s));
      removals.forEach(after::remove);
      Topology full = ServiceGraph.of(after.values()).resolve(settings);
      if (full.hasErrors()) {
        continue; // an edit a controller would refuse
      }
      TopologyUpdate u = current.update(upserts, removals);
      String where = "step " + step + " (upserts " + upserts + ", removals " + removals + ")";
      if (u.topology().hasErrors()) {
        return where + ": the update reports errors that a full resolution does not";
      }
      Manifest wantCilium = reference.render(full);
      Manifest wantIstio = ISTIO.render(full);
      ManifestUpdate c = l4.update(cilium, u);
      ManifestUpdate i = ISTIO.update(istio, u);
      String problem = compare("cilium " + where, cilium, c, wantCilium);
      if (problem == null) {
        problem = compare("istio " + where, istio, i, wantIstio);
      }
      if (problem == null) {
        // both layers in one manifest, updated one after the other
        ManifestUpdate bc = l4.update(both, u);
        ManifestUpdate bi = ISTIO.update(bc.manifest(), u);
        Manifest wantBoth = wantCilium.plus(wantIstio);
        problem = compare("both layers " + where, bc.manifest(), bi, wantBoth);
      }
      if (problem != null) {
        return problem;
      }
      services.clear();
      services.putAll(after);
      current = u.topology();
      cilium = c.manifest();
      istio = i.manifest();
      both = cilium.plus(istio);
    }
    return null;
  }

  private static String compare(String where, Manifest before, ManifestUpdate got, Manifest want) {
    String gotYaml = got.manifest().toYaml();
    String wantYaml = want.toYaml();
    if (!gotYaml.equals(wantYaml)) {
      return where
          + ": the spliced manifest differs from a full render:\n"
          + firstDifference(wantYaml, gotYaml);
    }
    if (!got.manifest().requiredLabels().equals(want.requiredLabels())) {
      return where
          + ": required labels "
          + got.manifest().requiredLabels()
          + ", want "
          + want.requiredLabels();
    }
    ManifestDiff d = ManifestDiff.between(before, want);
    if (!keys(got.diff().upserts()).equals(keys(d.upserts()))
        || !got.diff().deletes().equals(d.deletes())) {
      return where
          + ": diff "
          + keys(got.diff().upserts())
          + " -"
          + got.diff().deletes()
          + ", want "
          + keys(d.upserts())
          + " -"
          + d.deletes();
    }
    return null;
  }

  private static List<String> keys(List<Resource> resources) {
    List<String> out = new ArrayList<>();
    resources.forEach(r -> out.add(r.key().toString()));
    return out;
  }

  private static String firstDifference(String want, String got) {
    int i = 0;
    while (i < want.length() && i < got.length() && want.charAt(i) == got.charAt(i)) {
      i++;
    }
    // from the start of the line that differs
    int from = Math.max(0, want.lastIndexOf('\n', Math.max(0, i - 1)) + 1);
    int doc = Math.max(0, want.lastIndexOf("---", i));
    return "in "
        + want.substring(doc, Math.min(want.length(), doc + 120)).replace('\n', ' ')
        + "\nwant: "
        + want.substring(from, Math.min(want.length(), i + 300))
        + "\ngot:  "
        + got.substring(from, Math.min(got.length(), i + 300));
  }

  /** One random edit: a service removed, replaced, added, or changed in place. */
  private static void edit(
      Random random,
      Map<ServiceId, Service> services,
      List<Service> pool,
      List<Service> upserts,
      List<ServiceId> removals) {
    List<Service> all = new ArrayList<>(services.values());
    int kind = random.nextInt(5);
    if (all.isEmpty() || kind == 0) {
      upserts.add(pool.get(random.nextInt(pool.size())));
      return;
    }
    Service s = all.get(random.nextInt(all.size()));
    switch (kind) {
      case 1:
        removals.add(s.id());
        break;
      case 2:
        upserts.add(
            Graphs.edit(
                s,
                d -> {
                  d.selector = new LinkedHashMap<>(d.selector);
                  d.selector.put("version", "v" + random.nextInt(3));
                }));
        break;
      case 3:
        upserts.add(
            Graphs.edit(
                s,
                d -> {
                  if (random.nextBoolean()) {
                    d.mesh = d.mesh == MeshMode.AMBIENT ? MeshMode.NONE : MeshMode.AMBIENT;
                  } else {
                    d.serviceAccount = d.serviceAccount + "-x";
                  }
                }));
        break;
      default:
        if (!s.declarations().isEmpty()) {
          List<Declaration> kept = new ArrayList<>(s.declarations());
          kept.remove(random.nextInt(kept.size()));
          upserts.add(Graphs.edit(s, d -> d.declarations = kept));
        } else {
          Service other = pool.get(random.nextInt(pool.size()));
          upserts.add(other);
          if (!other.id().equals(s.id())) {
            removals.add(s.id());
          }
        }
    }
  }
}
