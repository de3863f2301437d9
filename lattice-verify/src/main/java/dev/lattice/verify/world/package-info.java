/**
 * The world the rendered documents are judged in: pods with their labels, service accounts,
 * container ports and mesh mode; the Kubernetes Services with the labels actually applied;
 * waypoint, kube-dns and istiod pods; nodes, the kube-apiserver, internet clients and the ambient
 * probe source; and a DNS that gives external names stable fake addresses. Built from a {@code
 * Topology} and what the rendered manifests imply ({@link dev.lattice.verify.world.World}).
 */
package dev.lattice.verify.world;
