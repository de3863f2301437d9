/**
 * The judge of rendered policies: {@link dev.lattice.verify.Verifier} answers {@link
 * dev.lattice.verify.Query}s with a {@link dev.lattice.verify.Verdict} per layer (Cilium, Istio)
 * and the reasons; {@link dev.lattice.verify.ConnectivityMatrix} lists every service pair and port;
 * {@link dev.lattice.verify.LatticeAssertions} wraps verdicts for users' tests. The path model
 * (SEMANTICS M1–M4) lives here; the layers' evaluators in {@code cilium} and {@code istio}; the
 * world in {@code world}. CRD conformance is a separate module, lattice-crd.
 */
package dev.lattice.verify;
