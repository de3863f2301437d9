package dev.lattice.verify.cilium;

import java.util.List;

/**
 * One rule of a Cilium policy (its {@code spec}, or one of its {@code specs}) after the agent's
 * processing: the subject selector with its namespace scope, the four element lists, the default
 * deny posture per direction, and the requirement selectors.
 */
final class PolicyRule {
  /** {@code CiliumNetworkPolicy shop/api} or {@code CiliumClusterwideNetworkPolicy name}. */
  final String policy;

  /** {@code spec} or {@code specs[i]}. */
  final String where;

  final boolean clusterwide;
  final EndpointSelector subject;
  final List<RuleElement> ingress;
  final List<RuleElement> ingressDeny;
  final List<RuleElement> egress;
  final List<RuleElement> egressDeny;

  /** The explicit {@code enableDefaultDeny.ingress}, or null. */
  final Boolean defaultDenyIngress;

  /** The explicit {@code enableDefaultDeny.egress}, or null. */
  final Boolean defaultDenyEgress;

  final List<EndpointSelector> fromRequires;
  final List<EndpointSelector> toRequires;

  PolicyRule(
      String policy,
      String where,
      boolean clusterwide,
      EndpointSelector subject,
      List<RuleElement> ingress,
      List<RuleElement> ingressDeny,
      List<RuleElement> egress,
      List<RuleElement> egressDeny,
      Boolean defaultDenyIngress,
      Boolean defaultDenyEgress,
      List<EndpointSelector> fromRequires,
      List<EndpointSelector> toRequires) {
    this.policy = policy;
    this.where = where;
    this.clusterwide = clusterwide;
    this.subject = subject;
    this.ingress = List.copyOf(ingress);
    this.ingressDeny = List.copyOf(ingressDeny);
    this.egress = List.copyOf(egress);
    this.egressDeny = List.copyOf(egressDeny);
    this.defaultDenyIngress = defaultDenyIngress;
    this.defaultDenyEgress = defaultDenyEgress;
    this.fromRequires = List.copyOf(fromRequires);
    this.toRequires = List.copyOf(toRequires);
  }

  /**
   * Whether this rule puts its subjects in default deny for a direction (C1, R3; {@code
   * Rule.Sanitize}): the explicit {@code enableDefaultDeny} value, else whether the direction's
   * allow or deny list is non-empty.
   */
  boolean defaultDeny(boolean ingressDirection) {
    if (ingressDirection) {
      return defaultDenyIngress != null
          ? defaultDenyIngress
          : !ingress.isEmpty() || !ingressDeny.isEmpty();
    }
    return defaultDenyEgress != null
        ? defaultDenyEgress
        : !egress.isEmpty() || !egressDeny.isEmpty();
  }

  /** Whether it has a section for the direction at all (allow or deny). */
  boolean hasSection(boolean ingressDirection) {
    return ingressDirection
        ? !ingress.isEmpty() || !ingressDeny.isEmpty()
        : !egress.isEmpty() || !egressDeny.isEmpty();
  }

  String ref() {
    return policy + ("spec".equals(where) ? "" : " " + where);
  }

  @Override
  public String toString() {
    return ref();
  }
}
