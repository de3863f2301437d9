package dev.lattice.cli;

import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.diagnostics.DiagnosticCode;
import dev.lattice.diagnostics.Severity;
import dev.lattice.graph.ServiceGraph;
import dev.lattice.graph.Topology;
import dev.lattice.model.Settings;
import dev.lattice.output.Manifest;
import dev.lattice.output.RequiredLabel;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The {@code lattice} command.
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
 * error[code]: message}, nothing on stdout), 2 usage errors. {@link #run} runs a command
 * in-process.
 */
public final class Main {
  static final int OK = 0;
  static final int SPEC_ERRORS = 1;
  static final int USAGE = 2;
  private static final List<String> COMMANDS =
      List.of("render", "check", "explain", "graph", "diff", "replay");

  private Main() {}

  /** Runs the command and exits with its code. */
  public static void main(String[] args) {
    PrintStream out =
        new PrintStream(
            new java.io.FileOutputStream(java.io.FileDescriptor.out),
            false,
            StandardCharsets.UTF_8);
    PrintStream err =
        new PrintStream(
            new java.io.FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8);
    int code = run(args, out, err);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /**
   * Runs one command with {@code out} as stdout and {@code err} as stderr; returns the exit code.
   * Never throws for a user mistake.
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    List<String> list = Arrays.asList(args);
    if (list.isEmpty()) {
      err.print(Help.TOP);
      return USAGE;
    }
    String command = list.get(0);
    List<String> rest = list.subList(1, list.size());
    try {
      switch (command) {
        case "render":
          return render(rest, out, err);
        case "check":
          return check(rest, err);
        case "explain":
          return Explain.run(rest, out, err);
        case "graph":
          return graph(rest, out, err);
        case "diff":
          return DiffCommand.run(rest, out, err);
        case "replay":
          return ReplayCommand.run(rest, System.in, out, err);
        case "help":
        case "--help":
        case "-h":
          if (!rest.isEmpty() && !COMMANDS.contains(rest.get(0))) {
            throw new UsageException(
                "no help for '"
                    + rest.get(0)
                    + "' (commands: render, check, explain, graph, diff, replay)");
          }
          out.print(rest.isEmpty() ? Help.TOP : Help.of(rest.get(0)));
          return OK;
        case "--version":
        case "version":
          out.println("lattice " + version());
          return OK;
        default:
          throw new UsageException(
              "unknown command '"
                  + command
                  + "' (commands: render, check, explain, graph, diff, replay, help)");
      }
    } catch (UsageException e) {
      err.println("lattice: " + e.getMessage());
      return USAGE;
    } catch (IOException | UncheckedIOException e) {
      err.println("lattice: " + describe(e));
      return USAGE;
    }
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

  private static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "(development build)" : v;
  }

  // ---------------------------------------------------------------- render

  private static int render(List<String> argv, PrintStream out, PrintStream err)
      throws UsageException, IOException {
    Set<String> valued = new HashSet<>(SettingsFlags.VALUED);
    valued.addAll(List.of("--layer", "--format", "-o", "--output"));
    Args args = Args.parse(argv, valued, SettingsFlags.FLAGS, "render");
    String layer = args.options.getOrDefault("--layer", "all");
    if (!List.of("cilium", "istio", "all").contains(layer)) {
      throw new UsageException("--layer is cilium, istio or all, got \"" + layer + "\"");
    }
    String format = args.options.getOrDefault("--format", "yaml");
    if (!List.of("yaml", "json").contains(format)) {
      throw new UsageException("--format is yaml or json, got \"" + format + "\"");
    }
    if (args.has("-o") && args.has("--output")) {
      throw new UsageException("-o and --output are the same option; give one");
    }
    String outDir = args.has("-o") ? args.get("-o") : args.get("--output");
    // a usage error is reported before the specs are read, not after their notes
    if (outDir != null && Files.exists(Path.of(outDir)) && !Files.isDirectory(Path.of(outDir))) {
      throw new UsageException("-o " + outDir + " is a file, not a directory");
    }
    Settings settings = SettingsFlags.from(args);
    Topology topology = load(args, settings, err, false);
    if (topology == null) {
      return SPEC_ERRORS;
    }
    Manifest manifest = Layers.render(topology, layer);
    for (RequiredLabel l : manifest.requiredLabels()) {
      err.println("note: " + l + "\n  apply: " + l.kubectl());
    }
    if (outDir != null) {
      List<String> deleted;
      try {
        deleted = OutputDirectory.write(Path.of(outDir), manifest, format);
      } catch (IOException | UncheckedIOException e) {
        throw new UsageException("cannot write " + describe(e));
      }
      err.println(
          "wrote "
              + manifest.resources().size()
              + " resources to "
              + outDir
              + (deleted.isEmpty() ? "" : ", removed " + deleted.size() + " stale"));
      return OK;
    }
    StringBuilder sb = new StringBuilder(manifest.resources().size() * 1024);
    if (format.equals("json")) {
      manifest.writeJson(sb);
    } else {
      manifest.writeYaml(sb);
    }
    out.print(sb);
    out.flush();
    return OK;
  }

  // ---------------------------------------------------------------- check

  private static int check(List<String> argv, PrintStream err) throws UsageException, IOException {
    Set<String> flags = new HashSet<>(SettingsFlags.FLAGS);
    flags.add("--strict");
    Args args = Args.parse(argv, SettingsFlags.VALUED, flags, "check");
    Topology topology = load(args, SettingsFlags.from(args), err, args.has("--strict"));
    if (topology == null) {
      return SPEC_ERRORS;
    }
    err.println(
        "ok: "
            + topology.services().size()
            + " services, "
            + topology.agreements().size()
            + " agreements");
    return OK;
  }

  // ---------------------------------------------------------------- graph

  private static int graph(List<String> argv, PrintStream out, PrintStream err)
      throws UsageException, IOException {
    Set<String> valued = new HashSet<>(SettingsFlags.VALUED);
    valued.add("--format");
    Args args = Args.parse(argv, valued, SettingsFlags.FLAGS, "graph");
    String format = args.options.getOrDefault("--format", "mermaid");
    if (!List.of("mermaid", "dot").contains(format)) {
      throw new UsageException("--format is mermaid or dot, got \"" + format + "\"");
    }
    Topology topology = load(args, SettingsFlags.from(args), err, false);
    if (topology == null) {
      return SPEC_ERRORS;
    }
    out.print(format.equals("dot") ? GraphFormat.dot(topology) : GraphFormat.mermaid(topology));
    out.flush();
    return OK;
  }

  // ---------------------------------------------------------------- shared

  /**
   * Loads and resolves the specs at the command's paths, printing every diagnostic to {@code err};
   * returns null when there are errors (or warnings, when {@code strict}).
   *
   * @throws UsageException when a spec file could not be read (exit 2, like a named path)
   */
  static Topology load(Args args, Settings settings, PrintStream err, boolean strict)
      throws UsageException {
    List<Path> paths = checkPaths(args.paths);
    var loaded = Layers.load(paths);
    List<Diagnostic> diagnostics = new ArrayList<>(loaded.diagnostics());
    Topology topology = null;
    if (loaded.graph().isPresent()) {
      ServiceGraph graph = loaded.graph().get();
      topology = graph.resolve(settings);
      diagnostics = new ArrayList<>(topology.diagnostics());
    }
    boolean failed = topology == null || topology.hasErrors();
    for (Diagnostic d : diagnostics.stream().sorted().toList()) {
      Diagnostic shown =
          strict && d.severity() == Severity.WARNING ? d.withSeverity(Severity.ERROR) : d;
      failed |= shown.isError();
      err.println(shown);
    }
    // a file that could not be read (found in a named directory) is not a mistake in the specs
    if (diagnostics.stream().anyMatch(d -> d.code() == DiagnosticCode.IO_ERROR)) {
      throw new UsageException("cannot read every spec file; see the io-error lines above");
    }
    return failed ? null : topology;
  }

  /** The paths, each existing and readable; a directory must hold some YAML. */
  static List<Path> checkPaths(List<String> given) throws UsageException {
    if (given.isEmpty()) {
      throw new UsageException("no PATH given: name the spec files or directories to read");
    }
    List<Path> paths = new ArrayList<>();
    for (String g : given) {
      Path p = Path.of(g);
      if (!Files.exists(p)) {
        throw new UsageException("no such file or directory: " + g);
      }
      if (!Files.isReadable(p)) {
        throw new UsageException("cannot read " + g + ": permission denied");
      }
      if (Files.isDirectory(p) && !hasYaml(p)) {
        throw new UsageException("directory " + g + " holds no .yaml or .yml files");
      }
      paths.add(p);
    }
    return paths;
  }

  private static boolean hasYaml(Path dir) throws UsageException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.anyMatch(
          f ->
              Files.isRegularFile(f)
                  && (f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")));
    } catch (IOException | UncheckedIOException e) {
      throw new UsageException("cannot read " + dir + ": " + e.getMessage());
    }
  }
}
