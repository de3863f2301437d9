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
import java.util.List;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lattice diff}: renders two versions of the specs, judges each rendering with the
 * independent evaluators of lattice-verify, and prints every connection whose verdict changes, per
 * layer, with the declarations responsible on each side.
 */
@Command(
    name = "diff",
    description = {
      "what a change to the specs opens and closes, layer by layer",
      "",
      "Renders both versions of the specs, judges each rendering with the independent evaluators"
          + " and prints every connection whose verdict changes, per layer (Cilium, Istio), with"
          + " the declarations responsible on each side (file:line:col): service to service on"
          + " each Service port, the HTTP requests the rules name, egress (FQDN, CIDR, entities)"
          + " and exposures. PATH is OLD NEW (spec files or directories); with --base REV, the"
          + " PATHs of the working tree are compared with the same paths at the git revision REV."
          + " --format markdown writes a pull-request comment. Ports are Service ports."
    },
    exitCodeList = {
      "0:compared (whatever changed)",
      "1:errors in the specs of either version",
      "2:usage errors (bad options, missing paths, no git or no such revision for --base)",
      "3:--fail-on-open: the change opens something"
    })
final class DiffCommand extends SpecCommand {
  static final String FORMATS = "text|markdown|json";

  /** The exit code of {@code --fail-on-open} when something opens. */
  static final int OPENED = 3;

  @Option(
      names = "--format",
      paramLabel = FORMATS,
      defaultValue = "text",
      description = "text for people, markdown for a pull request, json (default ${DEFAULT-VALUE})")
  String format;

  @Option(names = "--fail-on-open", description = "exit 3 when anything opens")
  boolean failOnOpen;

  @Option(
      names = "--base",
      paramLabel = "REV",
      description = "compare the PATHs with the same paths at the git revision REV")
  String base;

  DiffCommand(Io io) {
    super(io);
  }

  @Override
  public Integer call() throws UsageException {
    Choice.check("--format", format, FORMATS);
    Settings settings = settings();
    PrintStream err = io.err();
    ConnectivityDiff diff;
    if (base != null) {
      if (paths.isEmpty()) {
        throw new UsageException(
            "diff --base " + base + " needs the spec PATHs to compare with their state at " + base);
      }
      List<Path> now = checkPaths(paths);
      try (BaseRevision old = BaseRevision.checkout(base, now)) {
        for (String m : old.missing()) {
          err.println("note: " + m + " does not exist at " + base + ": everything in it is new");
        }
        Topology before = load(base, old.paths(), settings, old::label);
        Topology after = load("the working tree", now, settings, s -> s);
        if (before == null || after == null) {
          return Main.SPEC_ERRORS;
        }
        diff = ConnectivityDiff.between(judge(before), judge(after));
        print(diff, old::label);
      }
    } else {
      if (paths.size() != 2) {
        throw new UsageException(
            "diff takes two spec paths, OLD and NEW (files or directories), or --base REV PATH...;"
                + " got "
                + paths.size());
      }
      List<Path> files = checkPaths(paths);
      Topology before = load(paths.get(0), List.of(files.get(0)), settings, s -> s);
      Topology after = load(paths.get(1), List.of(files.get(1)), settings, s -> s);
      if (before == null || after == null) {
        return Main.SPEC_ERRORS;
      }
      diff = ConnectivityDiff.between(judge(before), judge(after));
      print(diff, s -> s);
    }
    return failOnOpen && !diff.opened().isEmpty() ? OPENED : Main.OK;
  }

  private static Verifier judge(Topology t) {
    return Verifier.of(t, Layers.cilium(t), Layers.istio(t));
  }

  private void print(ConnectivityDiff diff, UnaryOperator<String> label) {
    DiffReport report = DiffReport.of(diff).locations(l -> label.apply(l.toString()));
    PrintStream out = io.out();
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
   * Loads and resolves one version, printing its errors to stderr under a line naming the version
   * (its warnings are counted: {@code lattice check} shows them); null when it has errors. No path:
   * no services.
   */
  private Topology load(
      String side, List<Path> files, Settings settings, UnaryOperator<String> label)
      throws UsageException {
    if (files.isEmpty()) {
      return ServiceGraph.of(List.of()).resolve(settings);
    }
    SpecResult loaded = Layers.load(files);
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
        io.err().println("errors in " + side + ":");
        header = true;
      }
      io.err().println(label.apply(d.toString()));
    }
    if (diagnostics.stream().anyMatch(d -> d.code() == DiagnosticCode.IO_ERROR)) {
      throw new UsageException("cannot read every spec file; see the io-error lines above");
    }
    if (warnings > 0) {
      io.err()
          .println(
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
