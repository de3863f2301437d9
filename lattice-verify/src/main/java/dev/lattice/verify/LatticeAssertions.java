package dev.lattice.verify;

/**
 * Assertions on rendered policies for users' own tests, without a test library in main scope.
 * Failures throw {@link AssertionError} with both layers' reasons.
 *
 * <pre>{@code
 * import static dev.lattice.verify.LatticeAssertions.assertThat;
 *
 * assertThat(verifier)
 *     .allows("shop/web", "shop/api", 80)
 *     .allows("shop/web", "shop/api", 80, "GET", "/api/x")
 *     .denies("shop/web", "shop/api", 80, "DELETE", "/api/x")
 *     .deniesAtEachLayer("shop/web", "data/db", 5432);
 * }</pre>
 */
public final class LatticeAssertions {
  private LatticeAssertions() {}

  /** Starts assertions on what {@code verifier} decides. */
  public static VerifierAssert assertThat(Verifier verifier) {
    return new VerifierAssert(verifier);
  }
}
