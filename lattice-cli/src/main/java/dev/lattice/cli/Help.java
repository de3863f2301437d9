package dev.lattice.cli;

/** The help texts. */
final class Help {
  static final String TOP =
      "usage: lattice <command> [options] PATH...\n"
          + "\n"
          + "Compiles LatticeService / LatticeMeshMember specs into Cilium (L4) and Istio ambient (L7)\n"
          + "policies. PATH is a spec file or a directory of them (*.yaml, *.yml).\n"
          + "\n"
          + "commands:\n"
          + "  render   print the policies (or write them with -o DIR)\n"
          + "  check    report problems in the specs; --strict fails on warnings too\n"
          + "  explain  say whether one connection is allowed, layer by layer, and why\n"
          + "  graph    draw the declared graph (Mermaid or DOT)\n"
          + "  help     lattice help <command>\n"
          + "\n"
          + "exit codes: 0 ok, 1 errors in the specs, 2 usage errors (bad options, missing or\n"
          + "unreadable paths)\n";

  static final String RENDER =
      "usage: lattice render [--layer cilium|istio|all] [--format yaml|json] [-o DIR] [settings] PATH...\n"
          + "\n"
          + "Prints a deterministic multi-document YAML stream (or a JSON List) of the policies.\n"
          + "With -o DIR, writes one file per resource as DIR/<namespace or _cluster>/<kind>-<name>.yaml,\n"
          + "each atomically, and removes files an earlier render wrote that are no longer produced.\n"
          + "Labels Lattice needs on objects it does not own are printed to stderr as notes.\n"
          + "\n"
          + SettingsFlags.HELP;

  static final String CHECK =
      "usage: lattice check [--strict] [settings] PATH...\n"
          + "\n"
          + "Prints every diagnostic as file:line:col: severity[code]: message and exits 1 on errors\n"
          + "(with --strict, on warnings too).\n"
          + "\n"
          + SettingsFlags.HELP;

  static final String EXPLAIN =
      "usage: lattice explain --from NS/NAME --to NS/NAME [--port P] [--method M --path P] [settings] PATH...\n"
          + "\n"
          + "Renders both layers and evaluates one connection against each, printing the verdict and the\n"
          + "policy and rule responsible. --from may also be world, kube-apiserver or an IP address;\n"
          + "--port is the callee's Service port (number or name); without it, every port is explained.\n"
          + "\n"
          + SettingsFlags.HELP;

  static final String GRAPH =
      "usage: lattice graph [--format mermaid|dot] [settings] PATH...\n"
          + "\n"
          + "Draws services grouped by namespace, and every declared edge: agreed (solid, labelled with\n"
          + "its ports and HTTP rules), one-sided or to an unknown peer (dashed), wildcard (dotted).\n";

  private Help() {}

  static String of(String command) {
    switch (command) {
      case "render":
        return RENDER;
      case "check":
        return CHECK;
      case "explain":
        return EXPLAIN;
      case "graph":
        return GRAPH;
      default:
        return TOP;
    }
  }
}
