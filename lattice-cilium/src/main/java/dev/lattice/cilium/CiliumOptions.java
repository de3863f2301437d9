package dev.lattice.cilium;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How the Cilium layer is rendered, beyond the cluster facts in {@code Settings}: the node's DNS
 * search domains that kubelet appends to every pod's search path.
 *
 * <pre>{@code
 * CiliumOptions o = CiliumOptions.builder().nodeSearchDomain("ec2.internal").build();
 * }</pre>
 */
public final class CiliumOptions {
  private static final Pattern DOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*");

  private static final CiliumOptions DEFAULTS = new CiliumOptions(List.of());

  private final List<String> nodeSearchDomains;

  private CiliumOptions(List<String> nodeSearchDomains) {
    this.nodeSearchDomains = List.copyOf(nodeSearchDomains);
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

  @Override
  public boolean equals(Object o) {
    return o instanceof CiliumOptions
        && ((CiliumOptions) o).nodeSearchDomains.equals(nodeSearchDomains);
  }

  @Override
  public int hashCode() {
    return nodeSearchDomains.hashCode();
  }

  @Override
  public String toString() {
    return "CiliumOptions{nodeSearchDomains=" + nodeSearchDomains + "}";
  }

  /** Builds {@link CiliumOptions}. */
  public static final class Builder {
    private final List<String> nodeSearchDomains = new ArrayList<>();

    private Builder() {}

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
      return new CiliumOptions(nodeSearchDomains);
    }
  }
}
