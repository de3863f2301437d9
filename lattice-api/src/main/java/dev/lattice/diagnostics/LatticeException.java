package dev.lattice.diagnostics;

import java.util.List;

/** Thrown by callers that want an exception: carries every diagnostic, sorted, errors included. */
public final class LatticeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient List<Diagnostic> diagnostics;

  /** An exception carrying {@code diagnostics}. */
  public LatticeException(List<Diagnostic> diagnostics) {
    super(summary(diagnostics));
    this.diagnostics = diagnostics.stream().sorted().toList();
  }

  /** Every diagnostic, sorted (empty after Java deserialization, which does not carry them). */
  public List<Diagnostic> diagnostics() {
    return diagnostics == null ? List.of() : diagnostics;
  }

  private static String summary(List<Diagnostic> diagnostics) {
    long errors = diagnostics.stream().filter(Diagnostic::isError).count();
    StringBuilder sb = new StringBuilder();
    sb.append(errors).append(errors == 1 ? " error" : " errors");
    diagnostics.stream()
        .sorted()
        .filter(Diagnostic::isError)
        .forEach(d -> sb.append(System.lineSeparator()).append("  ").append(d));
    return sb.toString();
  }
}
