package dev.lattice.istio;

import dev.lattice.graph.ServiceGraph;
import dev.lattice.graph.Topology;
import dev.lattice.output.RequiredLabel;
import dev.lattice.output.Resource;
import dev.lattice.testing.PropertyRunner;
import dev.lattice.testing.RandomGraphs;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The services of a full render on two threads (forced here from the first service on, so that
 * small graphs interleave the threads' blocks) give the very resources and required labels one
 * thread gives, in the same order, over random graphs with waypoints, gateways and HTTP rules; and
 * the manifest is the same.
 */
class ParallelRenderProperties {

  @Test
  void twoThreadsRenderAsOneDoes() {
    RandomGraphs.Options options = new RandomGraphs.Options();
    options.maxServices = 60;
    options.maxNamespaces = 4;
    options.edgeRate = 0.15;
    options.wildcardRate = 0.05;
    PropertyRunner.forAll(
        "two threads = one thread",
        seed -> RandomGraphs.generate(seed, options),
        ParallelRenderProperties::check);
  }

  private static String check(ServiceGraph graph) {
    Topology topology = graph.resolve();
    if (topology.hasErrors()) {
      return null;
    }
    List<Resource> want = new ArrayList<>();
    List<RequiredLabel> wantLabels = new ArrayList<>();
    IstioRenderer.services(topology, Integer.MAX_VALUE, want, wantLabels);
    List<Resource> got = new ArrayList<>();
    List<RequiredLabel> gotLabels = new ArrayList<>();
    IstioRenderer.services(topology, 1, got, gotLabels);
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
    if (!gotLabels.equals(wantLabels)) {
      return "required labels differ: " + gotLabels + " vs " + wantLabels;
    }
    IstioRenderer istio = IstioRenderer.create();
    if (!istio
        .render(topology, 1)
        .toYaml()
        .equals(istio.render(topology, Integer.MAX_VALUE).toYaml())) {
      return "the manifests differ";
    }
    return null;
  }
}
