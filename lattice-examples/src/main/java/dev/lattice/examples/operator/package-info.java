/**
 * The operator example: the Java Operator SDK watches the {@code LatticeService}, {@code
 * LatticeMeshMember}, {@code LatticeJob} and {@code LatticeModel} custom resources (one SDK
 * operator per kind the cluster serves, see {@link dev.lattice.examples.operator.LatticeOperator}),
 * {@link dev.lattice.examples.operator.ClusterReconciler} renders them incrementally and applies
 * the difference through {@code lattice-kubernetes}, and every object's {@code status.policies}
 * says whether its spec is in force and what is wrong with it. The CRDs and RBAC it needs are
 * resources of this module ({@code operator/crds.yaml}, {@code operator/rbac.yaml}); {@link
 * dev.lattice.examples.operator.OperatorMain} runs it, on the replica that holds the Lease {@code
 * lattice-operator} ({@link dev.lattice.examples.operator.LeaderElectedOperator}).
 */
package dev.lattice.examples.operator;
