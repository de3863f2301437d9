package dev.lattice.cilium;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How the Cilium layer is rendered, beyond the cluster facts in {@code Settings}: the node's DNS
 * search domains that kubelet appends to every pod's search path, and how large one policy document
 * may grow before it is split.
 *
 * <pre>{@code
 * CiliumOptions o = CiliumOptions.builder().nodeSearchDomain("ec2.internal").build();
 * }</pre>
 */
public final class CiliumOptions {
  private static final Pattern DOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*");

  /**
   * The default budget of one policy document: below the 256 KiB that client-side {@code kubectl
   * apply} can record in its last-applied annotation, far below etcd's 1.5 MiB object limit.
   */
  public static final int DEFAULT_MAX_DOCUMENT_BYTES = 200_000;

  private static final CiliumOptions DEFAULTS =
      new CiliumOptions(List.of(), DEFAULT_MAX_DOCUMENT_BYTES);

  private final List<String> nodeSearchDomains;
  private final int maxDocumentBytes;

  private CiliumOptions(List<String> nodeSearchDomains, int maxDocumentBytes) {
    this.nodeSearchDomains = List.copyOf(nodeSearchDomains);
    this.maxDocumentBytes = maxDocumentBytes;
  }

  /** No node search domains. */
  public static CiliumOptions defaults() {
    return DEFAULTS;
  }

  /** Starts options from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The search domains of the nodes' {@code resolv.conf}, in order, which kubelet appends to each
   * pod's search path after the cluster ones. A resolver walks them for any name with fewer dots
   * than {@code ndots}, and the DNS proxy must allow those expansions too: musl stops at the first
   * REFUSED. Empty by default.
   */
  public List<String> nodeSearchDomains() {
    return nodeSearchDomains;
  }

  /**
   * About how many bytes of YAML one policy document may take. A service's (or waypoint's) rules
   * that need more are split over several documents, {@code <name>}, {@code <name>.2}, ..., which
   * Cilium unions (C4); a wildcard caller at the scale of thousands of services needs this, or the
   * API server refuses its policy. Default {@link #DEFAULT_MAX_DOCUMENT_BYTES}.
   */
  public int maxDocumentBytes() {
    return maxDocumentBytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CiliumOptions
        && ((CiliumOptions) o).nodeSearchDomains.equals(nodeSearchDomains)
        && ((CiliumOptions) o).maxDocumentBytes == maxDocumentBytes;
  }

  @Override
  public int hashCode() {
    return nodeSearchDomains.hashCode() * 31 + maxDocumentBytes;
  }

  @Override
  public String toString() {
    return "CiliumOptions{nodeSearchDomains="
        + nodeSearchDomains
        + ", maxDocumentBytes="
        + maxDocumentBytes
        + "}";
  }

  /** Builds {@link CiliumOptions}. */
  public static final class Builder {
    private final List<String> nodeSearchDomains = new ArrayList<>();
    private int maxDocumentBytes = DEFAULT_MAX_DOCUMENT_BYTES;

    private Builder() {}

    /**
     * About how many bytes of YAML one policy document may take before it is split.
     *
     * @throws IllegalArgumentException when below 4096 (one rule element must always fit)
     */
    public Builder maxDocumentBytes(int bytes) {
      if (bytes < 4096) {
        throw new IllegalArgumentException("maxDocumentBytes must be at least 4096, got " + bytes);
      }
      this.maxDocumentBytes = bytes;
      return this;
    }

    /**
     * Adds a node search domain, e.g. {@code us-west-2.compute.internal}.
     *
     * @throws IllegalArgumentException when it is not a lower-case DNS name without trailing dot
     */
    public Builder nodeSearchDomain(String domain) {
      Objects.requireNonNull(domain, "domain");
      if (domain.length() > 253 || !DOMAIN.matcher(domain).matches()) {
        throw new IllegalArgumentException(
            "node search domain must be a lower-case DNS name without trailing dot, got \""
                + domain
                + "\"");
      }
      if (!nodeSearchDomains.contains(domain)) {
        nodeSearchDomains.add(domain);
      }
      return this;
    }

    /** The options. */
    public CiliumOptions build() {
      return new CiliumOptions(nodeSearchDomains, maxDocumentBytes);
    }
  }
}
