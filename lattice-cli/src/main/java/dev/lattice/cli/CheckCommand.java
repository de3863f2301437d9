package dev.lattice.cli;

import dev.lattice.graph.Topology;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lattice check}: the diagnostics of the specs, and nothing else. */
@Command(
    name = "check",
    description = {
      "report problems in the specs; --strict fails on warnings too",
      "",
      "Prints every diagnostic as file:line:col: severity[code]: message and exits 1 on errors"
          + " (with --strict, on warnings too)."
    },
    exitCodeList = {
      "0:no errors",
      "1:errors in the specs (with --strict, warnings too)",
      "2:usage errors (bad options, missing or unreadable paths)"
    })
final class CheckCommand extends SpecCommand {
  @Option(names = "--strict", arity = "0", description = "treat warnings as errors")
  boolean strict;

  CheckCommand(Io io) {
    super(io);
  }

  @Override
  public Integer call() throws UsageException {
    Topology topology = load(settings(), strict);
    if (topology == null) {
      return Main.SPEC_ERRORS;
    }
    io.err()
        .println(
            "ok: "
                + topology.services().size()
                + " services, "
                + topology.agreements().size()
                + " agreements");
    return Main.OK;
  }
}
