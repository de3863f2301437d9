package dev.lattice.examples.platform;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.graph.Topology;
import dev.lattice.output.RequiredLabel;
import dev.lattice.verify.Exactness;
import dev.lattice.verify.Verifier;
import dev.lattice.verify.world.World;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Judges documents (as rendered, or as checked in) against the declared graph with lattice-verify's
 * {@link Exactness}: every (caller, callee, port) and every (outside source, port) must get, from
 * each layer, the verdict the agreements and exposures call for, up to the tolerated limits of
 * DESIGN §9.
 */
final class Judge {
  final Topology topology;
  final Verifier verifier;
  private final Exactness exactness;

  /**
   * A judge of {@code documents} (both layers) in the world of {@code topology}, with {@code
   * labels} applied to the Services as the operator would.
   */
  Judge(Topology topology, Collection<JsonNode> documents, Collection<RequiredLabel> labels) {
    this.topology = topology;
    List<JsonNode> cilium = new ArrayList<>();
    List<JsonNode> istio = new ArrayList<>();
    for (JsonNode d : documents) {
      (d.path("apiVersion").asText().startsWith("cilium.io/") ? cilium : istio).add(d);
    }
    World world = World.builder(topology).documents(documents).requiredLabels(labels).build();
    this.verifier = Verifier.of(world, cilium, istio);
    this.exactness = Exactness.of(topology, verifier);
  }

  Judge serviceToService() {
    exactness.serviceToService();
    return this;
  }

  Judge outsideSources() {
    exactness.outsideSources();
    return this;
  }

  Judge egress() {
    exactness.egress();
    return this;
  }

  List<String> problems() {
    return exactness.problems();
  }

  Map<String, Integer> seen() {
    return exactness.seen();
  }
}
