package dev.lattice.verify.replay;

import dev.lattice.model.ServiceId;

/**
 * What one end of a flow is, as far as the declared graph can tell: a declared service's pod, an
 * identity outside the cluster's pods (world, the API server, a node, the ambient probe source), a
 * pod the graph does not declare (or declares twice), or plumbing a replay steps over (kube-dns,
 * waypoints).
 */
record Party(Kind kind, ServiceId service, String label, String serviceAccount) {
  /** The kinds of party. */
  enum Kind {
    /** A pod that exactly one declared service selects. */
    SERVICE,
    /** Outside the cluster (Cilium's world identity, a CIDR or FQDN identity). */
    WORLD,
    /** The ambient probe source 169.254.7.127 (kubelet probes SNATed by ztunnel). */
    PROBE,
    /** The Kubernetes API server. */
    KUBE_APISERVER,
    /** The local node or a host-network pod. */
    HOST,
    /** Another node. */
    REMOTE_NODE,
    /** kube-dns: lookups are judged as part of each connection, not on their own. */
    KUBE_DNS,
    /** A waypoint proxy: the flow's other end is hidden behind it (M2). */
    WAYPOINT,
    /** A pod that no declared service selects. */
    POD,
    /** A pod that more than one declared service selects. */
    AMBIGUOUS,
    /** Another reserved identity (health, init, ingress, unmanaged). */
    RESERVED,
    /** Nothing Hubble could name (no labels, no namespace). */
    UNKNOWN
  }

  static Party service(ServiceId id, String serviceAccount) {
    return new Party(Kind.SERVICE, id, id.toString(), serviceAccount);
  }

  static Party of(Kind kind, String label) {
    return new Party(kind, null, label, "");
  }

  /** Whether a flow from or to this party is judged against a declared service. */
  boolean isService() {
    return kind == Kind.SERVICE;
  }
}
