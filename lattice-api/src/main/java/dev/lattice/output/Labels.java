package dev.lattice.output;

/** The labels every rendered resource carries. */
public final class Labels {
  /** {@code app.kubernetes.io/managed-by}, always {@value #MANAGED_BY_VALUE}. */
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

  /** The value of {@link #MANAGED_BY}. */
  public static final String MANAGED_BY_VALUE = "lattice";

  /** {@code lattice.dev/service}: the service a resource belongs to, where it belongs to one. */
  public static final String SERVICE = "lattice.dev/service";

  private Labels() {}
}
