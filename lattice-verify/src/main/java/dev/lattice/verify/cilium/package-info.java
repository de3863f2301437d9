/**
 * The Cilium judge: evaluates rendered {@code CiliumNetworkPolicy} and {@code
 * CiliumClusterwideNetworkPolicy} documents, hop by hop, as the Cilium agent would (SEMANTICS
 * C1–C15, R1, R3, R8). The entry point is {@link dev.lattice.verify.cilium.CiliumEvaluator}; the
 * parsing and matching model (selectors, elements, ports, FQDN patterns) is package-private.
 */
package dev.lattice.verify.cilium;
