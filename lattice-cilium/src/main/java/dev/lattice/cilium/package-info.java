/**
 * The Cilium (L4) layer of Lattice: {@link dev.lattice.cilium.CiliumRenderer} turns a resolved
 * {@code Topology} into {@code CiliumClusterwideNetworkPolicy} and {@code CiliumNetworkPolicy}
 * documents that allow exactly the agreed edges, each on the path it really takes in Istio ambient:
 *
 * <ul>
 *   <li>TCP between two ambient pods travels as HBONE to TCP 15008 of the destination pod, or of
 *       the callee's waypoint, which forwards it to the pod on 15008 (SEMANTICS M1, M2);
 *   <li>UDP, SCTP and any path with a non-mesh side reach the pod's container port in plaintext
 *       (M3);
 *   <li>DNS goes to kube-dns only with {@code rules.dns} naming what may be resolved, search-path
 *       expansions included (C13);
 *   <li>a caller whose agreement says it dials pod addresses goes to the pods, never to a waypoint
 *       (R5);
 *   <li>every Istio proxy it writes a policy for (waypoints, declared gateways) reaches istiod on
 *       15012 and may look up its name, and nothing wider;
 *   <li>each rule element holds one kind of peer (R1); there are no HTTP rules (R2) and no {@code
 *       fromRequires}/{@code toRequires} (C17).
 * </ul>
 *
 * <p>Prerequisites in Cilium for ambient (R4): {@code cni.exclusive=false}, {@code
 * socketLB.hostNamespaceOnly=true} with kube-proxy replacement, {@code bpf.masquerade=false}, and
 * no BPF host routing (it breaks probe replies, cilium/cilium#36022). Limits of L4 (DESIGN §9):
 * HBONE hides the callee's ports (15008 is all Cilium sees between ambient pods), and a shared
 * waypoint is one L4 hop (a caller that reaches it reaches every service behind it at L4); the
 * Istio layer keeps both per port and per caller.
 *
 * <p>Everything but the renderer and its options is package-private.
 */
package dev.lattice.cilium;
