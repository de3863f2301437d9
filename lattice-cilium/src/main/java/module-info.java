/** The Cilium renderer: {@link dev.lattice.cilium.CiliumRenderer} and its options. */
module dev.lattice.cilium {
  requires transitive dev.lattice.api;

  exports dev.lattice.cilium;
}
