/**
 * Lattice on a real cluster, through the fabric8 Kubernetes client: {@link
 * dev.lattice.kubernetes.Applier} brings a cluster to a rendered manifest with server-side apply
 * (field manager {@code lattice}) and prunes only what Lattice manages; {@link
 * dev.lattice.kubernetes.ClusterSpecs} reads the {@code LatticeService}, {@code LatticeMeshMember},
 * {@code LatticeJob} and {@code LatticeModel} objects of a cluster ({@link
 * dev.lattice.kubernetes.SpecKind}) as specs; {@link dev.lattice.kubernetes.KubernetesObjects}
 * turns rendered resources into fabric8 objects. An optional module: the core modules never depend
 * on a Kubernetes client.
 */
package dev.lattice.kubernetes;
