package dev.lattice.verify;

import java.util.Objects;

/** Fluent assertions on a {@link Verifier}'s verdicts; each step returns this, so checks chain. */
public final class VerifierAssert {
  private final Verifier verifier;

  VerifierAssert(Verifier verifier) {
    this.verifier = Objects.requireNonNull(verifier, "verifier");
  }

  /**
   * Asserts that {@code from} may call {@code to} on its Service port {@code port}: Cilium allows,
   * Istio does not deny.
   */
  public VerifierAssert allows(String from, String to, int port) {
    return allows(Query.from(from).to(to, port));
  }

  /**
   * Asserts that {@code from} may send {@code method} {@code path} to {@code to} on its Service
   * port {@code port}.
   */
  public VerifierAssert allows(String from, String to, int port, String method, String path) {
    return allows(Query.from(from).to(to, port).request(method, path));
  }

  /** Asserts that the connection of {@code query} works. */
  public VerifierAssert allows(Query query) {
    Verdict v = verifier.check(query);
    if (!v.allowed()) {
      throw new AssertionError(
          "expected " + query + " to be allowed, but it is denied\n" + v.explain());
    }
    return this;
  }

  /**
   * Asserts that {@code from} may not call {@code to} on its Service port {@code port} (some layer
   * denies).
   */
  public VerifierAssert denies(String from, String to, int port) {
    return denies(Query.from(from).to(to, port));
  }

  /**
   * Asserts that {@code method} {@code path} from {@code from} to {@code to}:{@code port} is denied
   * (some layer denies).
   */
  public VerifierAssert denies(String from, String to, int port, String method, String path) {
    return denies(Query.from(from).to(to, port).request(method, path));
  }

  /** Asserts that the connection of {@code query} does not work. */
  public VerifierAssert denies(Query query) {
    Verdict v = verifier.check(query);
    if (v.allowed()) {
      throw new AssertionError(
          "expected " + query + " to be denied, but it is allowed\n" + v.explain());
    }
    return this;
  }

  /**
   * Asserts that every layer that sees the connection denies it on its own (Cilium DENY; Istio DENY
   * or N/A).
   */
  public VerifierAssert deniesAtEachLayer(String from, String to, int port) {
    return deniesAtEachLayer(Query.from(from).to(to, port));
  }

  /** Asserts that every layer that sees {@code query}'s connection denies it on its own. */
  public VerifierAssert deniesAtEachLayer(Query query) {
    Verdict v = verifier.check(query);
    if (!v.deniedByEachLayer()) {
      throw new AssertionError(
          "expected "
              + query
              + " to be denied by each layer alone, but"
              + " cilium says "
              + v.cilium().decision()
              + " and istio "
              + v.istio().decision()
              + "\n"
              + v.explain());
    }
    return this;
  }

  /** Asserts that {@code layer} decides {@code expected} for {@code query}. */
  public VerifierAssert decides(Layer layer, Decision expected, Query query) {
    Verdict v = verifier.check(query);
    if (v.layer(layer).decision() != expected) {
      throw new AssertionError(
          "expected "
              + layer
              + " to decide "
              + expected
              + " for "
              + query
              + ", but it decides "
              + v.layer(layer).decision()
              + "\n"
              + v.explain());
    }
    return this;
  }
}
