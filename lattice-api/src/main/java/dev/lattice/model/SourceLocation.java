package dev.lattice.model;

import java.util.Comparator;
import org.immutables.value.Value;

/** Where in a spec file something was declared: file, 1-based line and column. */
@Value.Immutable
public abstract class SourceLocation implements Comparable<SourceLocation> {
  private static final Comparator<SourceLocation> ORDER =
      Comparator.comparing(SourceLocation::file)
          .thenComparingInt(SourceLocation::line)
          .thenComparingInt(SourceLocation::column);

  SourceLocation() {}

  /** The file as the user named it (relative paths stay relative). */
  @Value.Parameter
  public abstract String file();

  /** The 1-based line. */
  @Value.Parameter
  public abstract int line();

  /** The 1-based column. */
  @Value.Parameter
  public abstract int column();

  /** A location in {@code file} at {@code line}:{@code column}. */
  public static SourceLocation of(String file, int line, int column) {
    return ImmutableSourceLocation.of(file, line, column);
  }

  @Override
  public int compareTo(SourceLocation other) {
    return ORDER.compare(this, other);
  }

  /** {@code file:line:col}, the form editors and compilers use. */
  @Override
  public String toString() {
    return file() + ":" + line() + ":" + column();
  }
}
