package dev.lattice.diagnostics;

/** How serious a diagnostic is. Errors block rendering; warnings and infos do not. */
public enum Severity {
  ERROR,
  WARNING,
  INFO;

  /** {@code error}, {@code warning} or {@code info}, as printed. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
