/**
 * The Istio ambient layer of Lattice: {@link dev.lattice.istio.IstioRenderer} turns a resolved
 * {@code Topology} into AuthorizationPolicies (enforced by ztunnel through {@code selector}, by
 * waypoints through {@code targetRefs}), PeerAuthentications for PERMISSIVE ports, ServiceEntries
 * for exact-FQDN egress and waypoint Gateways. Everything except the entry class is
 * package-private; nothing here is shared with the Cilium renderer.
 */
package dev.lattice.istio;
