package dev.lattice.diagnostics;

import dev.lattice.model.SourceLocation;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * One problem found in a graph or a spec: its severity, a stable code, the model path it concerns
 * ({@code shop/api.dependsOn[db]}), where in a file it came from, and a message that says what to
 * do about it.
 */
public final class Diagnostic implements Comparable<Diagnostic> {
  private static final Comparator<Diagnostic> ORDER =
      Comparator.<Diagnostic, Optional<SourceLocation>>comparing(
              Diagnostic::location,
              (a, b) ->
                  a.isPresent() && b.isPresent()
                      ? a.get().compareTo(b.get())
                      : Boolean.compare(a.isEmpty(), b.isEmpty()))
          .thenComparing(Diagnostic::path)
          .thenComparing(Diagnostic::severity)
          .thenComparing(d -> d.code().id())
          .thenComparing(Diagnostic::message);

  private final DiagnosticCode code;
  private final Severity severity;
  private final String path;
  private final SourceLocation location;
  private final String message;

  private Diagnostic(
      DiagnosticCode code,
      Severity severity,
      String path,
      SourceLocation location,
      String message) {
    this.code = Objects.requireNonNull(code, "code");
    this.severity = Objects.requireNonNull(severity, "severity");
    this.path = Objects.requireNonNull(path, "path");
    this.location = location;
    this.message = Objects.requireNonNull(message, "message");
  }

  /** A diagnostic with the code's own severity. */
  public static Diagnostic of(
      DiagnosticCode code, String path, Optional<SourceLocation> location, String message) {
    return new Diagnostic(code, code.severity(), path, location.orElse(null), message);
  }

  /** The same diagnostic with another severity (e.g. warnings turned into errors). */
  public Diagnostic withSeverity(Severity newSeverity) {
    return new Diagnostic(code, newSeverity, path, location, message);
  }

  /** The stable code. */
  public DiagnosticCode code() {
    return code;
  }

  /** The severity. */
  public Severity severity() {
    return severity;
  }

  /** Whether this is an error. */
  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /** The model path, e.g. {@code shop/api.dependsOn[data/db]} or {@code services/api.yaml}. */
  public String path() {
    return path;
  }

  /** Where in a spec file, when the problem came from one. */
  public Optional<SourceLocation> location() {
    return Optional.ofNullable(location);
  }

  /** What is wrong and how to fix it. */
  public String message() {
    return message;
  }

  @Override
  public int compareTo(Diagnostic other) {
    return ORDER.compare(this, other);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Diagnostic)) {
      return false;
    }
    Diagnostic d = (Diagnostic) o;
    return code == d.code
        && severity == d.severity
        && path.equals(d.path)
        && Objects.equals(location, d.location)
        && message.equals(d.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(code, severity, path, location, message);
  }

  /**
   * {@code file:line:col: error[code]: message}, or {@code path: error[code]: message} when the
   * problem has no file location, or {@code object: path: error[code]: message} when it was found
   * in an object read from a cluster (which has no lines to point at).
   */
  @Override
  public String toString() {
    String where =
        location == null ? path : location.hasLine() ? location.toString() : location + ": " + path;
    return where + ": " + severity.label() + "[" + code.id() + "]: " + message;
  }
}
