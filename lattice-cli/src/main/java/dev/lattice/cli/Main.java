package dev.lattice.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import picocli.CommandLine;

/**
 * The {@code lattice} command: one class per command ({@link RenderCommand}, {@link CheckCommand},
 * {@link ExplainCommand}, {@link GraphCommand}, {@link DiffCommand}, {@link ReplayCommand}, {@link
 * HelpCommand}), parsed by picocli, whose annotations are the one source of the help and the
 * defaults.
 *
 * <pre>{@code
 * lattice render  [--layer cilium|istio|all] [--format yaml|json] [-o DIR] [settings] PATH...
 * lattice check   [--strict] [settings] PATH...
 * lattice explain --from NS/NAME --to NS/NAME [--port P] [--method M --path P] [settings] PATH...
 * lattice graph   [--format mermaid|dot] [settings] PATH...
 * lattice diff    [--format text|markdown|json] [--fail-on-open] [settings] OLD NEW
 * lattice diff    --base REV [--format ...] [--fail-on-open] [settings] PATH...
 * lattice replay  --flows FILE|- [--format text|json] [settings] PATH...
 * }</pre>
 *
 * <p>Exit codes: 0 success, 1 errors in the specs (diagnostics on stderr as {@code file:line:col:
 * error[code]: message}, nothing on stdout), 2 usage errors, 3 {@code explain}: some layer denies
 * the connection, {@code diff --fail-on-open}: the change opens something. {@link #run} runs a
 * command in-process.
 */
public final class Main {
  static final int OK = 0;
  static final int SPEC_ERRORS = 1;
  static final int USAGE = 2;
  static final int DENIED = 3;

  private Main() {}

  /** Runs the command and exits with its code. */
  public static void main(String[] args) {
    PrintStream out =
        new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
    PrintStream err =
        new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    int code = run(args, new Io(out, err, Progress.stderrIsTerminal()));
    out.flush();
    err.flush();
    System.exit(code);
  }

  /**
   * Runs one command with {@code out} as stdout and {@code err} as stderr; returns the exit code.
   * Never throws for a user mistake.
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, new Io(out, err, false));
  }

  /** Runs one command on {@code io}; returns the exit code. */
  static int run(String[] args, Io io) {
    return commandLine(io).execute(args);
  }

  /** The whole command tree, writing to {@code io}. */
  static CommandLine commandLine(Io io) {
    CommandLine cl = new CommandLine(LatticeCommand.class, new CommandFactory(io));
    // a spec path may start with @: never read it as a file of arguments
    cl.setExpandAtFiles(false);
    // "-o --strict" writes to a directory named --strict, as the user said
    cl.setAllowOptionsAsOptionParameters(true);
    cl.setDefaultValueProvider(new SettingsDefaults());
    cl.setOut(new PrintWriter(new OutputStreamWriter(io.out(), StandardCharsets.UTF_8), true));
    cl.setErr(new PrintWriter(new OutputStreamWriter(io.err(), StandardCharsets.UTF_8), true));
    cl.setParameterExceptionHandler(new UsageErrors(io.err()));
    cl.setExecutionExceptionHandler(
        (e, command, parsed) -> {
          if (e instanceof UsageException) {
            io.err().println("lattice: " + e.getMessage());
            return USAGE;
          }
          if (e instanceof IOException || e instanceof UncheckedIOException) {
            io.err().println("lattice: " + describe(e));
            return USAGE;
          }
          throw e;
        });
    HelpLayout.apply(cl);
    return cl;
  }

  /**
   * An I/O failure in words: Java's messages for file-system errors are often just the path ({@code
   * /proc/x}), which says nothing about what went wrong.
   */
  static String describe(Exception e) {
    Throwable t = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
    if (!(t instanceof FileSystemException)) {
      return String.valueOf(t.getMessage());
    }
    FileSystemException f = (FileSystemException) t;
    String what;
    if (f.getReason() != null) {
      what = f.getReason();
    } else if (f instanceof AccessDeniedException) {
      what = "permission denied";
    } else if (f instanceof NoSuchFileException) {
      what = "no such file or directory";
    } else if (f instanceof NotDirectoryException) {
      what = "not a directory";
    } else if (f instanceof FileAlreadyExistsException) {
      what = "already exists";
    } else {
      what = "I/O error";
    }
    return f.getFile() == null ? what : f.getFile() + ": " + what;
  }
}
