package dev.lattice.cli;

import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.diagnostics.DiagnosticCode;
import dev.lattice.diagnostics.Severity;
import dev.lattice.graph.ServiceGraph;
import dev.lattice.graph.Topology;
import dev.lattice.model.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * A command that reads a repository of specs: the {@code PATH...} parameters, the settings flags,
 * and loading and resolving them with every diagnostic printed to stderr.
 */
abstract class SpecCommand implements Callable<Integer> {
  final Io io;

  @Mixin(name = SettingsOptions.MIXIN)
  SettingsOptions settingsOptions;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      hidden = true,
      description = "print this command's help")
  boolean help;

  @Parameters(
      paramLabel = "PATH",
      arity = "0..*",
      description = "a spec file or a directory of them (*.yaml, *.yml)")
  List<String> paths = new ArrayList<>();

  SpecCommand(Io io) {
    this.io = io;
  }

  /** The settings the flags name. */
  Settings settings() throws UsageException {
    return settingsOptions.settings();
  }

  /**
   * Loads and resolves the specs at the command's paths, printing every diagnostic to stderr;
   * returns null when there are errors (or warnings, when {@code strict}).
   *
   * @throws UsageException when a spec file could not be read (exit 2, like a named path)
   */
  Topology load(Settings settings, boolean strict) throws UsageException {
    return load(settings, strict, Progress.off());
  }

  /** {@link #load(Settings, boolean)}, telling {@code progress} what it is doing. */
  Topology load(Settings settings, boolean strict, Progress progress) throws UsageException {
    List<Path> files = checkPaths(paths);
    progress.phase("reading specs");
    var loaded = Layers.load(files);
    List<Diagnostic> diagnostics = new ArrayList<>(loaded.diagnostics());
    Topology topology = null;
    if (loaded.graph().isPresent()) {
      ServiceGraph graph = loaded.graph().get();
      progress.phase("resolving " + graph.services().size() + " services");
      topology = graph.resolve(settings);
      diagnostics = new ArrayList<>(topology.diagnostics());
    }
    progress.clear();
    boolean failed = topology == null || topology.hasErrors();
    for (Diagnostic d : diagnostics.stream().sorted().toList()) {
      Diagnostic shown =
          strict && d.severity() == Severity.WARNING ? d.withSeverity(Severity.ERROR) : d;
      failed |= shown.isError();
      io.err().println(shown);
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
