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

  /**
   * The rendered {@code layer} ({@code cilium}, {@code istio} or {@code all}): the manifest to
   * write, and the Cilium layer alone (for the capacity estimate; {@code null} without it).
   */
  record Rendered(Manifest manifest, Manifest cilium) {}

  /**
   * Renders {@code layer}. Both layers render at once through {@link Manifest#both}: Cilium on a
   * second thread while Istio renders on this one (the renderers are pure functions of the
   * topology), joined into the same manifest, in the same order, as one after the other.
   */
  static Rendered render(Topology topology, String layer) {
    switch (layer) {
      case "cilium":
        Manifest c = cilium(topology);
        return new Rendered(c, c);
      case "istio":
        return new Rendered(istio(topology), null);
      default:
        Manifest[] first = new Manifest[1];
        // both() joins the second thread before it returns: first[0] is set and visible here
        Manifest all = Manifest.both(() -> first[0] = cilium(topology), () -> istio(topology));
        return new Rendered(all, first[0]);
    }
  }
}
