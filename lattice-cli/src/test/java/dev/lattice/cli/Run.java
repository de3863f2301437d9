package dev.lattice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/** One run of the {@code lattice} command: its exit code and what it printed. */
record Run(String command, int code, String out, String err) {

  /** The lines of stderr. */
  List<String> errLines() {
    return err.lines().toList();
  }

  /** Asserts the exit code, showing both streams when it differs. */
  Run exits(int expected) {
    assertThat(code)
        .as("exit code of %s%nstdout:%n%s%nstderr:%n%s", command, out, err)
        .isEqualTo(expected);
    return this;
  }

  /** Asserts that stdout holds an explanation: a verdict line first. */
  Run printsTheExplanation() {
    assertThat(out).as("stdout of %s", command).containsPattern("^\\S.*: (ALLOWED|DENIED)\n");
    return this;
  }

  /** Asserts that stdout is empty: failures print to stderr only. */
  Run printsNothing() {
    assertThat(out).as("stdout of %s", command).isEmpty();
    return this;
  }

  /**
   * Asserts that stderr holds no Java stack trace or exception name (a user error is a sentence)
   * and no terminal escape code (stderr is not a terminal here: no progress line, no colours).
   */
  Run showsNoStackTrace() {
    assertThat(err)
        .as("stderr of %s", command)
        .doesNotContain("\u001b")
        .doesNotContain("Exception")
        .doesNotContain("\tat ")
        .doesNotContain("Caused by");
    return this;
  }

  /** The usage-error shape: exit 2, nothing on stdout, one {@code lattice: ...} line, no trace. */
  Run isUsageError() {
    exits(Main.USAGE).printsNothing().showsNoStackTrace();
    assertThat(errLines()).as("stderr of %s", command).last().asString().startsWith("lattice: ");
    return this;
  }
}
