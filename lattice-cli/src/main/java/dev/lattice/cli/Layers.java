package dev.lattice.cli;

import dev.lattice.cilium.CiliumRenderer;
import dev.lattice.cilium.PolicyMapEstimate;
import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.graph.Topology;
import dev.lattice.istio.IstioRenderer;
import dev.lattice.output.Manifest;
import dev.lattice.spec.SpecResult;
import dev.lattice.spec.Specs;
import java.nio.file.Path;
import java.util.List;

/** The library calls behind the commands: load specs, render one layer or both. */
final class Layers {
  private Layers() {}

  static SpecResult load(List<Path> paths) {
    return Specs.load(paths);
  }

  static Manifest cilium(Topology topology) {
    return CiliumRenderer.create().render(topology);
  }

  static Manifest istio(Topology topology) {
    return IstioRenderer.create().render(topology);
  }

  /**
   * The {@code policy-map-capacity} warnings for {@code cilium}, the rendered Cilium layer: the
   * estimate lives with the Cilium renderer and reads its documents, so the Istio layer neither
   * knows nor pays for it.
   */
  static List<Diagnostic> capacity(Topology topology, Manifest cilium) {
    return PolicyMapEstimate.of(topology, cilium).diagnostics();
  }

  static Manifest render(Topology topology, String layer) {
    switch (layer) {
      case "cilium":
        return cilium(topology);
      case "istio":
        return istio(topology);
      default:
        return cilium(topology).plus(istio(topology));
    }
  }
}
