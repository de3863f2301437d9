package dev.lattice.crd;

import java.util.Objects;

/**
 * One reason the API server, or the controller behind it, would reject a rendered document.
 *
 * <p>{@link #path()} names the offending field the way Kubernetes does ({@code
 * spec.ingress[0].toPorts[0].ports[0].port}; map entries as {@code [key]}; the empty string is the
 * document itself), {@link #rule()} names the schema keyword or check that failed ({@code type},
 * {@code required}, {@code enum}, {@code pattern}, {@code oneOf}, {@code x-kubernetes-validations},
 * {@code unknown-field}, {@code controller-check}, ...; the full list is in {@link
 * CrdConformance}), and {@link #message()} says what was expected and what was found.
 */
public final class Violation {
  private final String path;
  private final String rule;
  private final String message;

  private Violation(String path, String rule, String message) {
    this.path = Objects.requireNonNull(path, "path");
    this.rule = Objects.requireNonNull(rule, "rule");
    this.message = Objects.requireNonNull(message, "message");
  }

  static Violation of(String path, String rule, String message) {
    return new Violation(path, rule, message);
  }

  /** The field path, e.g. {@code spec.ingress[0].fromEndpoints}; empty for the document. */
  public String path() {
    return path;
  }

  /** The schema keyword or check that failed, e.g. {@code pattern} or {@code controller-check}. */
  public String rule() {
    return rule;
  }

  /** What was expected and what was found. */
  public String message() {
    return message;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Violation)) {
      return false;
    }
    Violation other = (Violation) o;
    return path.equals(other.path) && rule.equals(other.rule) && message.equals(other.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(path, rule, message);
  }

  @Override
  public String toString() {
    return (path.isEmpty() ? "<document>" : path) + ": [" + rule + "] " + message;
  }
}
