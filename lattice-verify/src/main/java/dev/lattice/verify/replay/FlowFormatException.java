package dev.lattice.verify.replay;

/**
 * A flow export line that is not a Hubble flow: not JSON, not an object, or a field of the wrong
 * type. Carries where: the source's name, the 1-based line and, when known, the column.
 */
public final class FlowFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final long line;
  private final int column;
  private final String problem;

  FlowFormatException(String source, long line, int column, String problem) {
    super(source + ":" + line + (column > 0 ? ":" + column : "") + ": " + problem);
    this.source = source;
    this.line = line;
    this.column = column;
    this.problem = problem;
  }

  /** The name of what was read (a file name, or {@code -} for standard input). */
  public String source() {
    return source;
  }

  /** The 1-based line. */
  public long line() {
    return line;
  }

  /** The 1-based column, or 0 when not known. */
  public int column() {
    return column;
  }

  /** What is wrong, without the location. */
  public String problem() {
    return problem;
  }
}
