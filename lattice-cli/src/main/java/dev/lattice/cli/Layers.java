package dev.lattice.cli;

import dev.lattice.cilium.CiliumRenderer;
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
