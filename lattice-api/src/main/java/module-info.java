/**
 * Lattice's API: the model and its DSL, YAML specs, resolution into agreements, diagnostics, and
 * the output container the renderers fill. {@code dev.lattice.internal} is shared with Lattice's
 * own modules only; anything in it may change without notice.
 */
module dev.lattice.api {
  requires transitive com.fasterxml.jackson.databind;
  requires org.yaml.snakeyaml;
  // Immutables generates the value classes at compile time; nothing of it is needed at run time
  requires static org.immutables.value;

  exports dev.lattice.diagnostics;
  exports dev.lattice.dsl;
  exports dev.lattice.graph;
  exports dev.lattice.model;
  exports dev.lattice.output;
  exports dev.lattice.spec;
  exports dev.lattice.internal to
      dev.lattice.cilium,
      dev.lattice.istio,
      dev.lattice.cli;
}
