package dev.lattice.cli;

/** A mistake in how the command was called: exit code 2 and a one-line hint. */
final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
