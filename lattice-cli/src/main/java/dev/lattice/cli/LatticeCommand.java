package dev.lattice.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lattice}: the commands, and the overview when none is named. */
@Command(
    name = "lattice",
    versionProvider = VersionProvider.class,
    description =
        "Compiles LatticeService / LatticeMeshMember specs into Cilium (L4) and Istio ambient (L7)"
            + " policies. PATH is a spec file or a directory of them (*.yaml, *.yml).",
    subcommands = {
      RenderCommand.class,
      CheckCommand.class,
      ExplainCommand.class,
      GraphCommand.class,
      DiffCommand.class,
      ReplayCommand.class,
      HelpCommand.class,
      VersionCommand.class
    })
final class LatticeCommand implements Callable<Integer> {
  private final Io io;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "print this overview")
  boolean help;

  @Option(names = "--version", versionHelp = true, description = "print the version")
  boolean version;

  LatticeCommand(Io io) {
    this.io = io;
  }

  /** No command named: the overview on stderr, and a usage error. */
  @Override
  public Integer call() {
    io.err().print(spec.commandLine().getUsageMessage());
    return Main.USAGE;
  }
}
