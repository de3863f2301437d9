package dev.lattice.cli;

import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.diagnostics.DiagnosticCode;
import dev.lattice.diagnostics.Severity;
import dev.lattice.graph.ServiceGraph;
import dev.lattice.graph.Topology;
import dev.lattice.model.Settings;
import dev.lattice.spec.SpecResult;
import dev.lattice.verify.Verifier;
import dev.lattice.verify.diff.ConnectivityDiff;
import dev.lattice.verify.diff.DiffReport;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * {@code lattice diff}: renders two versions of the specs, judges each rendering with the
 * independent evaluators of lattice-verify, and prints every connection whose verdict changes, per
 * layer, with the declarations responsible on each side.
 *
 * <pre>{@code
 * lattice diff [--format text|markdown|json] [--fail-on-open] [settings] OLD NEW
 * lattice diff --base REV [--format ...] [--fail-on-open] [settings] PATH...
 * }</pre>
 *
 * <p>Exit codes: 0, or 3 with {@code --fail-on-open} when anything opens; 1 on spec errors in
 * either version; 2 on usage errors.
 */
final class DiffCommand {
  /** The exit code of {@code --fail-on-open} when something opens. */
  static final int OPENED = 3;

  private DiffCommand() {}

  static int run(List<String> argv, PrintStream out, PrintStream err) throws UsageException {
    Set<String> valued = new HashSet<>(SettingsFlags.VALUED);
    valued.addAll(List.of("--format", "--base"));
    Set<String> flags = new HashSet<>(SettingsFlags.FLAGS);
    flags.add("--fail-on-open");
    Args args = Args.parse(argv, valued, flags, "diff");
    String format = args.options.getOrDefault("--format", "text");
    if (!List.of("text", "markdown", "json").contains(format)) {
      throw new UsageException("--format is text, markdown or json, got \"" + format + "\"");
    }
    Settings settings = SettingsFlags.from(args);
    ConnectivityDiff diff;
    UnaryOperator<String> label;
    if (args.has("--base")) {
      String rev = args.get("--base");
      if (args.paths.isEmpty()) {
        throw new UsageException(
            "diff --base " + rev + " needs the spec PATHs to compare with their state at " + rev);
      }
      List<Path> now = Main.checkPaths(args.paths);
      try (BaseRevision base = BaseRevision.checkout(rev, now)) {
        for (String m : base.missing()) {
          err.println("note: " + m + " does not exist at " + rev + ": everything in it is new");
        }
        Topology before = load(rev, base.paths(), settings, err, base::label);
        Topology after = load("the working tree", now, settings, err, s -> s);
        if (before == null || after == null) {
          return Main.SPEC_ERRORS;
        }
        diff = ConnectivityDiff.between(judge(before), judge(after));
        label = base::label;
        print(diff, format, label, out);
      }
    } else {
      if (args.paths.size() != 2) {
        throw new UsageException(
            "diff takes two spec paths, OLD and NEW (files or directories), or --base REV PATH...;"
                + " got "
                + args.paths.size());
      }
      List<Path> paths = Main.checkPaths(args.paths);
      Topology before = load(args.paths.get(0), List.of(paths.get(0)), settings, err, s -> s);
      Topology after = load(args.paths.get(1), List.of(paths.get(1)), settings, err, s -> s);
      if (before == null || after == null) {
        return Main.SPEC_ERRORS;
      }
      diff = ConnectivityDiff.between(judge(before), judge(after));
      print(diff, format, s -> s, out);
    }
    return args.has("--fail-on-open") && !diff.opened().isEmpty() ? OPENED : Main.OK;
  }

  private static Verifier judge(Topology t) {
    return Verifier.of(t, Layers.cilium(t), Layers.istio(t));
  }

  private static void print(
      ConnectivityDiff diff, String format, UnaryOperator<String> label, PrintStream out) {
    DiffReport report = DiffReport.of(diff).locations(l -> label.apply(l.toString()));
    switch (format) {
      case "markdown":
        out.print(report.markdown());
        break;
      case "json":
        out.print(report.json());
        break;
      default:
        out.print(report.text());
    }
    out.flush();
  }

  /**
   * Loads and resolves one version, printing its errors to {@code err} (its warnings are counted:
   * {@code lattice check} shows them); null when it has errors. No path: no services.
   */
  private static Topology load(
      String side,
      List<Path> paths,
      Settings settings,
      PrintStream err,
      UnaryOperator<String> label)
      throws UsageException {
    if (paths.isEmpty()) {
      return ServiceGraph.of(List.of()).resolve(settings);
    }
    SpecResult loaded = Layers.load(paths);
    List<Diagnostic> diagnostics = new ArrayList<>(loaded.diagnostics());
    Topology topology = null;
    if (loaded.graph().isPresent()) {
      topology = loaded.graph().get().resolve(settings);
      diagnostics = new ArrayList<>(topology.diagnostics());
    }
    boolean failed = topology == null || topology.hasErrors();
    int warnings = 0;
    boolean header = false;
    for (Diagnostic d : diagnostics.stream().sorted().toList()) {
      if (d.severity() == Severity.WARNING) {
        warnings++;
      }
      if (!d.isError()) {
        continue;
      }
      if (!header) {
        err.println("errors in " + side + ":");
        header = true;
      }
      err.println(label.apply(d.toString()));
    }
    if (diagnostics.stream().anyMatch(d -> d.code() == DiagnosticCode.IO_ERROR)) {
      throw new UsageException("cannot read every spec file; see the io-error lines above");
    }
    if (warnings > 0) {
      err.println(
          "note: "
              + side
              + " has "
              + warnings
              + (warnings == 1 ? " warning" : " warnings")
              + " (lattice check shows them)");
    }
    return failed ? null : topology;
  }
}
