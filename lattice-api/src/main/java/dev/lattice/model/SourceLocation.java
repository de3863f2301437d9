package dev.lattice.model;

import java.util.Comparator;
import org.immutables.value.Value;

/**
 * Where in a spec file something was declared: file, 1-based line and column. A spec read from a
 * cluster has no text to point into; its location names the object instead ({@link #of(String)}).
 */
@Value.Immutable
public abstract class SourceLocation implements Comparable<SourceLocation> {
  private static final Comparator<SourceLocation> ORDER =
      Comparator.comparing(SourceLocation::file)
          .thenComparingInt(SourceLocation::line)
          .thenComparingInt(SourceLocation::column);

  SourceLocation() {}

  /**
   * The file as the user named it (relative paths stay relative), or the object a spec was read
   * from.
   */
  @Value.Parameter
  public abstract String file();

  /** The 1-based line; 0 when the location names an object, not a place in a text. */
  @Value.Parameter
  public abstract int line();

  /** The 1-based column; 0 when the location names an object, not a place in a text. */
  @Value.Parameter
  public abstract int column();

  /** A location in {@code file} at {@code line}:{@code column}. */
  public static SourceLocation of(String file, int line, int column) {
    return ImmutableSourceLocation.of(file, line, column);
  }

  /**
   * A location that names an object rather than a place in a text: a custom resource read from a
   * cluster, as in {@code LatticeService shop/api (resourceVersion 4711)}. Its line and column are
   * 0.
   */
  public static SourceLocation of(String origin) {
    return ImmutableSourceLocation.of(origin, 0, 0);
  }

  /** Whether this points at a line and column of a text (not at a whole object). */
  public boolean hasLine() {
    return line() > 0;
  }

  @Override
  public int compareTo(SourceLocation other) {
    return ORDER.compare(this, other);
  }

  /** {@code file:line:col}, the form editors and compilers use; just the object when no line. */
  @Override
  public String toString() {
    return hasLine() ? file() + ":" + line() + ":" + column() : file();
  }
}
