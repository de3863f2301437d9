package dev.lattice.diagnostics;

/**
 * The stable codes of every diagnostic Lattice reports. The {@link #id()} is printed ({@code
 * error[unknown-port]}) and never changes meaning; tools may match on it.
 */
public enum DiagnosticCode {
  // --- reading specs ---
  /** The YAML could not be parsed. */
  YAML_SYNTAX("yaml-syntax", Severity.ERROR),
  /** A mapping has the same key twice. */
  YAML_DUPLICATE_KEY("yaml-duplicate-key", Severity.ERROR),
  /** A file, or the expansion of its aliases, is larger than Lattice reads. */
  YAML_TOO_LARGE("yaml-too-large", Severity.ERROR),
  /** A file or directory could not be read. */
  IO_ERROR("io-error", Severity.ERROR),
  /** A value has the wrong type (a list where a mapping belongs, text where a number does). */
  SPEC_TYPE("spec-type", Severity.ERROR),
  /** A field inside the network parts of a spec is not one Lattice knows (often a typo). */
  SPEC_UNKNOWN_FIELD("spec-unknown-field", Severity.ERROR),
  /** A required field is missing. */
  SPEC_MISSING_FIELD("spec-missing-field", Severity.ERROR),
  /** A value is not one of those allowed. */
  SPEC_INVALID_VALUE("spec-invalid-value", Severity.ERROR),
  /** An external endpoint could not be parsed. */
  SPEC_ENDPOINT("spec-endpoint", Severity.ERROR),
  /**
   * A list, mapping or text is empty where reading it as "nothing said" would widen what is allowed
   * (an empty port subset read as every port, an empty HTTP rule list as any request).
   */
  SPEC_EMPTY_VALUE("spec-empty-value", Severity.ERROR),
  /**
   * A spec advertises a service to other clusters ({@code advertise}); Lattice renders one cluster
   * and admits no cross-cluster caller, so those calls stay denied.
   */
  ADVERTISE_IGNORED("advertise-ignored", Severity.INFO),
  /**
   * A {@code LatticeJob} or {@code LatticeModel} was read as the mesh members the platform derives
   * from it, named {@code <name>-<task>} or {@code <name>-<role>}.
   */
  WORKLOAD_MEMBERS("workload-members", Severity.INFO),
  /** A document of another kind was skipped. */
  SPEC_SKIPPED_KIND("spec-skipped-kind", Severity.INFO),
  /** A file holds no document at all. */
  SPEC_EMPTY_FILE("spec-empty-file", Severity.WARNING),
  /**
   * No Lattice document (LatticeService, LatticeMeshMember, LatticeJob, LatticeModel) was found.
   */
  NO_SPECS("no-specs", Severity.ERROR),
  /** A LoadBalancer or NodePort service's ports are exposed to the world and made PERMISSIVE. */
  LOAD_BALANCER_EXPOSED("load-balancer-exposed", Severity.INFO),
  /** A CIDR exposure on a LoadBalancer/NodePort service only matches when no SNAT happens. */
  CIDR_BEHIND_SNAT("cidr-behind-snat", Severity.WARNING),

  /** A setting is not valid (a trust domain with spaces, a waypoint name that is no DNS label). */
  INVALID_SETTINGS("invalid-settings", Severity.ERROR),

  // --- one service ---
  /** A namespace, service or port name is not a DNS-1123 label. */
  INVALID_NAME("invalid-name", Severity.ERROR),
  /** A selector label key or value is not valid Kubernetes label syntax. */
  INVALID_LABEL("invalid-label", Severity.ERROR),
  /** A service account name is not a DNS-1123 subdomain. */
  INVALID_SERVICE_ACCOUNT("invalid-service-account", Severity.ERROR),
  /** A port number is outside 1..65535. */
  PORT_OUT_OF_RANGE("port-out-of-range", Severity.ERROR),
  /** Two ports share a name or a number. */
  DUPLICATE_PORT("duplicate-port", Severity.ERROR),
  /** An egress target (FQDN, CIDR, entity) or its ports are not valid. */
  INVALID_EGRESS("invalid-egress", Severity.ERROR),
  /** An exposure is not valid (e.g. a malformed CIDR). */
  INVALID_EXPOSURE("invalid-exposure", Severity.ERROR),
  /** An exposed TCP port of an ambient service is STRICT, so outside clients could never pass. */
  EXPOSED_STRICT("exposed-strict", Severity.ERROR),
  /** A port's settings contradict each other (e.g. STRICT on a LoadBalancer port). */
  PEER_AUTH_CONFLICT("peer-auth-conflict", Severity.ERROR),
  /** An HTTP method or path is not valid Istio syntax. */
  INVALID_HTTP_RULE("invalid-http-rule", Severity.ERROR),
  /** HTTP rules on an outbound declaration: only the callee's inbound side grants requests. */
  HTTP_ON_OUTBOUND("http-on-outbound", Severity.ERROR),
  /** HTTP rules where no waypoint can see the traffic (a non-mesh side, a UDP/SCTP port). */
  HTTP_WITHOUT_WAYPOINT("http-without-waypoint", Severity.ERROR),
  /** A service is declared an Istio gateway but is not in the mesh, which a gateway always is. */
  GATEWAY_OUTSIDE_MESH("gateway-outside-mesh", Severity.ERROR),
  /** A service names itself as a peer; peer traffic is declared with allowPeerTraffic. */
  SELF_REFERENCE("self-reference", Severity.ERROR),
  /** A wildcard peer with a namespace; {@code "*"} means any service in any namespace. */
  WILDCARD_NAMESPACE("wildcard-namespace", Severity.ERROR),
  /** A service declares the same peer twice for the same direction. */
  DUPLICATE_DECLARATION("duplicate-declaration", Severity.ERROR),

  // --- the whole graph ---
  /** The same service is declared twice with different definitions. */
  DUPLICATE_SERVICE("duplicate-service", Severity.ERROR),
  /** A port subset names a port the callee does not have. */
  UNKNOWN_PORT("unknown-port", Severity.ERROR),
  /** Both sides agree, but their port subsets have no port in common. */
  NO_COMMON_PORT("no-common-port", Severity.ERROR),
  /** A non-mesh caller would reach a STRICT TCP port of a mesh callee: it can never work. */
  PLAINTEXT_TO_STRICT("plaintext-to-strict", Severity.ERROR),
  /** A service's name or account is the name of a waypoint in its namespace. */
  WAYPOINT_NAME_CLASH("waypoint-name-clash", Severity.ERROR),
  /** Only one side declared the edge; it stays closed until the other side does. */
  ONE_SIDED("one-sided", Severity.WARNING),
  /** A declaration names a service that is not in the graph; the edge stays closed. */
  UNKNOWN_SERVICE("unknown-service", Severity.WARNING),
  /** An ambient service in Istio's root namespace: no L7 allow policy can be written for it. */
  ROOT_NAMESPACE("root-namespace", Severity.WARNING),
  /** A service lives in a namespace left out of the cluster-wide default deny. */
  SYSTEM_NAMESPACE("system-namespace", Severity.WARNING),
  /**
   * Several mesh services of one namespace run as the same service account: one identity to Istio,
   * so what one of them is granted at L7, all of them are.
   */
  SHARED_SERVICE_ACCOUNT("shared-service-account", Severity.WARNING),
  /**
   * An endpoint's rendered Cilium policies need more policy-map entries (identities times ports,
   * per direction) than the agent's {@code bpf-policy-map-max}: past it, its traffic drops
   * unpredictably. Reported from the rendered policies, not by resolution.
   */
  POLICY_MAP_CAPACITY("policy-map-capacity", Severity.WARNING);

  private final String id;
  private final Severity severity;

  DiagnosticCode(String id, Severity severity) {
    this.id = id;
    this.severity = severity;
  }

  /** The stable, printed id, e.g. {@code unknown-port}. */
  public String id() {
    return id;
  }

  /** The severity diagnostics with this code have. */
  public Severity severity() {
    return severity;
  }
}
