/**
 * CRD conformance: checks rendered Kubernetes documents (Jackson trees, as the API server would
 * receive them) against the upstream CustomResourceDefinitions — structural schema, CEL {@code
 * x-kubernetes-validations} rules, ObjectMeta rules — and against the checks the Cilium agent and
 * istiod's webhook add on top.
 *
 * <p>The public surface is {@link dev.lattice.crd.CrdConformance} (load once, validate many) and
 * {@link dev.lattice.crd.Violation}. Everything else here — the compiled schema tree, the CEL
 * environment, the schema walk, the controller checks — is package-private.
 */
package dev.lattice.crd;
