/** The Istio ambient renderer: {@link dev.lattice.istio.IstioRenderer}. */
module dev.lattice.istio {
  requires transitive dev.lattice.api;

  exports dev.lattice.istio;
}
