/**
 * Judges rendered documents: the Cilium and Istio evaluators, the world they are judged in, and the
 * verifier that walks queries through both layers.
 */
module dev.lattice.verify {
  requires transitive dev.lattice.api;

  exports dev.lattice.verify;
  exports dev.lattice.verify.cilium;
  exports dev.lattice.verify.diff;
  exports dev.lattice.verify.istio;
  exports dev.lattice.verify.replay;
  exports dev.lattice.verify.world;
}
