package dev.lattice.cli;

import dev.lattice.graph.Topology;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lattice graph}: the declared graph as Mermaid or Graphviz DOT. */
@Command(
    name = "graph",
    description = {
      "draw the declared graph (Mermaid or DOT)",
      "",
      "Draws services grouped by namespace, and every declared edge: agreed (solid, labelled with"
          + " its ports and HTTP rules), one-sided or to an unknown peer (dashed), wildcard"
          + " (dotted). Peers that are not services of the specs are drawn as their own nodes,"
          + " labelled \"any service\" for a wildcard and \"(unknown)\" for a name no spec"
          + " declares."
    },
    exitCodeList = {
      "0:drawn",
      "1:errors in the specs",
      "2:usage errors (bad options, missing or unreadable paths)"
    })
final class GraphCommand extends SpecCommand {
  static final String FORMATS = "mermaid|dot";

  @Option(
      names = "--format",
      paramLabel = FORMATS,
      defaultValue = "mermaid",
      description = "Mermaid flowchart or Graphviz DOT (default ${DEFAULT-VALUE})")
  String format;

  GraphCommand(Io io) {
    super(io);
  }

  @Override
  public Integer call() throws UsageException {
    Choice.check("--format", format, FORMATS);
    Topology topology = load(settings(), false);
    if (topology == null) {
      return Main.SPEC_ERRORS;
    }
    io.out()
        .print(format.equals("dot") ? GraphFormat.dot(topology) : GraphFormat.mermaid(topology));
    io.out().flush();
    return Main.OK;
  }
}
