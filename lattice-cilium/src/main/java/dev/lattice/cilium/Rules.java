package dev.lattice.cilium;

/** Where a policy's allow rules go: a {@link RuleSet}, or a hub's counted rules. */
interface Rules {
  void allowIngress(Peer from, L4Port port);

  void allowEgress(Peer to, L4Port port);

  /** Egress to {@code to} on every port and protocol (a rule without {@code toPorts}, C12). */
  void allowEgressAllPorts(Peer to);
}
