package dev.lattice.spec;

import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.diagnostics.DiagnosticCode;
import dev.lattice.model.SourceLocation;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.reader.ReaderException;

/**
 * Diagnostics for what stops SnakeYAML reading a file: each located, with what to do, and never a
 * stack trace or a Java class name.
 */
final class YamlErrors {
  /** Fully-qualified Java class names, which never belong in a message for a spec author. */
  private static final Pattern CLASS_NAME =
      Pattern.compile("<?\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:\\([^)]*\\))?>?");

  private final String file;

  YamlErrors(String file) {
    this.file = file;
  }

  /** A syntax error: {@code malformed YAML: <message>} at {@code at}. */
  Diagnostic malformed(String message, SourceLocation at) {
    return Diagnostic.of(
        DiagnosticCode.YAML_SYNTAX, file, Optional.of(at), "malformed YAML: " + clean(message));
  }

  /**
   * A diagnostic for whatever stopped SnakeYAML: a marked syntax error, a character YAML does not
   * allow, or (at {@code last}) anything else.
   */
  Diagnostic failure(RuntimeException e, String text, SourceLocation last) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof MarkedYAMLException m) {
        return marked(m, last);
      }
      if (c instanceof ReaderException r) {
        return Diagnostic.of(
            DiagnosticCode.YAML_SYNTAX,
            file,
            Optional.of(atCodePoint(text, r.getPosition())),
            String.format(
                Locale.ROOT,
                "the file contains the character U+%04X, which YAML does not allow; is it a"
                    + " binary file? Remove the character, or quote it as \"\\u%04X\"",
                r.getCodePoint(),
                r.getCodePoint()));
      }
    }
    String message = e.getMessage();
    if (message != null && message.contains("exceeds the limit")) {
      // SnakeYAML's code point limit; read() checks the size first, so this is a backstop
      return Diagnostic.of(
          DiagnosticCode.YAML_TOO_LARGE, file, Optional.of(last), YamlReader.tooLarge("too large"));
    }
    return malformed(message, last);
  }

  private Diagnostic marked(MarkedYAMLException m, SourceLocation last) {
    Mark problemMark = m.getProblemMark() != null ? m.getProblemMark() : m.getContextMark();
    SourceLocation at = problemMark != null ? location(problemMark) : last;
    String problem = clean(m.getProblem()).replaceAll(" got :$", " got ':'");
    String hint;
    if (problem.contains("\\t(TAB)") || problem.contains("'\\t'")) {
      problem = "a tab character cannot start a token";
      hint = "; indent YAML with spaces, never tabs";
    } else if (problem.contains("mapping values are not allowed")) {
      problem = "a ':' where no mapping can start";
      hint = "; check this line's indentation, or quote a value that contains \": \"";
    } else if (problem.contains("cannot start any token")) {
      // '@' and '`' are reserved indicators; SnakeYAML's "(Do not use @ for indentation)" misleads
      problem = problem.replaceAll("\\.?\\s*\\(Do not use .* for indentation\\)", "");
      hint = "; quote the value if the character belongs to it";
    } else if (m.getContext() != null && m.getContext().contains("flow sequence")) {
      hint = "; close the list with ']' (or quote a value that contains ',' or ']')";
    } else if (m.getContext() != null && m.getContext().contains("flow mapping")) {
      hint = "; close the mapping with '}' (or quote a value that contains ',' or '}')";
    } else if (m.getContext() != null && m.getContext().contains("quoted scalar")) {
      hint = "; close the quote";
    } else {
      hint = "; check the indentation and quotes around here";
    }
    String context = "";
    if (m.getContext() != null && m.getContextMark() != null) {
      Mark c = m.getContextMark();
      context =
          " ("
              + clean(m.getContext())
              + " that starts at line "
              + (c.getLine() + 1)
              + ", column "
              + (c.getColumn() + 1)
              + ")";
    }
    return Diagnostic.of(
        DiagnosticCode.YAML_SYNTAX,
        file,
        Optional.of(at),
        "malformed YAML: " + problem + context + hint);
  }

  /** {@code message} without Java class names; a fixed sentence when nothing is left. */
  static String clean(String message) {
    if (message == null || message.isBlank()) {
      return "the YAML could not be read";
    }
    String m = message;
    String stripped = CLASS_NAME.matcher(m).replaceAll("").replaceAll("\\s+", " ").trim();
    if (!stripped.equals(m.replaceAll("\\s+", " ").trim())) {
      // a class name was cut out: drop the punctuation that introduced it
      while (stripped.endsWith(":") || stripped.endsWith(",")) {
        stripped = stripped.substring(0, stripped.length() - 1).trim();
      }
    }
    m = stripped;
    return m.isEmpty() ? "the YAML could not be read" : m;
  }

  private SourceLocation atCodePoint(String text, int codePoint) {
    int line = 1;
    int column = 1;
    int seen = 0;
    for (int i = 0;
        i < text.length() && seen < codePoint;
        i += Character.charCount(text.codePointAt(i))) {
      if (text.charAt(i) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
      seen++;
    }
    return SourceLocation.of(file, line, column);
  }

  private SourceLocation location(Mark m) {
    return SourceLocation.of(file, m.getLine() + 1, m.getColumn() + 1);
  }
}
