/**
 * The Istio ambient judge: evaluates rendered {@code AuthorizationPolicy} and {@code
 * PeerAuthentication} documents at the destination's ztunnel (SEMANTICS IZ1–IZ7) and at waypoints
 * (IW1–IW5), with the evaluation order, structure and matching of I1–I7. The entry point is {@link
 * dev.lattice.verify.istio.IstioEvaluator}; the conversion to ztunnel's form and the Envoy rule
 * model are package-private.
 */
package dev.lattice.verify.istio;
