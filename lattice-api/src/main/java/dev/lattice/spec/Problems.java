package dev.lattice.spec;

import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.diagnostics.DiagnosticCode;
import dev.lattice.model.SourceLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The diagnostics found while loading specs, collected rather than thrown. */
final class Problems {
  private final List<Diagnostic> diagnostics = new ArrayList<>();

  /** Records a problem with the code's own severity. */
  void report(DiagnosticCode code, String path, SourceLocation at, String message) {
    diagnostics.add(Diagnostic.of(code, path, Optional.ofNullable(at), message));
  }

  /** Records diagnostics found elsewhere. */
  void addAll(List<Diagnostic> found) {
    diagnostics.addAll(found);
  }

  /** How many diagnostics so far; with {@link #hasErrorsSince(int)}, tells what one step added. */
  int mark() {
    return diagnostics.size();
  }

  /** Whether an error was recorded after {@code mark}. */
  boolean hasErrorsSince(int mark) {
    for (int i = mark; i < diagnostics.size(); i++) {
      if (diagnostics.get(i).isError()) {
        return true;
      }
    }
    return false;
  }

  /** Whether any error was recorded. */
  boolean hasErrors() {
    return hasErrorsSince(0);
  }

  /**
   * Every diagnostic, sorted, each once: defaults shared by a job's tasks are read for each task,
   * and a problem in them is one problem.
   */
  List<Diagnostic> sorted() {
    return diagnostics.stream().distinct().sorted().toList();
  }
}
