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
          + "  diff     what a change to the specs opens and closes, layer by layer\n"
          + "  replay   judge observed traffic (a Hubble flow export) against the policies\n"
          + "  help     lattice help <command>\n"
          + "\n"
          + "exit codes: 0 ok, 1 errors in the specs (or the flow export), 2 usage errors (bad\n"
          + "options, missing or unreadable paths), 3 diff --fail-on-open found an opening\n";

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

  static final String DIFF =
      "usage: lattice diff [--format text|markdown|json] [--fail-on-open] [settings] OLD NEW\n"
          + "       lattice diff --base REV [--format text|markdown|json] [--fail-on-open] [settings]"
          + " PATH...\n"
          + "\n"
          + "Renders both versions of the specs, judges each with the independent evaluators and\n"
          + "prints every connection whose verdict changes, per layer (Cilium, Istio), with the\n"
          + "declarations responsible on each side (file:line:col): service to service on each\n"
          + "Service port, the HTTP requests the rules name, egress (FQDN, CIDR, entities) and\n"
          + "exposures. OLD and NEW are spec files or directories; with --base REV, the PATHs of the\n"
          + "working tree are compared with the same PATHs at the git revision REV.\n"
          + "--format markdown writes a pull-request comment. Ports are Service ports.\n"
          + "Exit 0; with --fail-on-open, 3 when anything opens.\n"
          + "\n"
          + SettingsFlags.HELP;

  static final String REPLAY =
      "usage: lattice replay --flows FILE|- [--format text|json] [settings] PATH...\n"
          + "\n"
          + "Streams a Hubble flow export (hubble observe -o json: one {\"flow\": ...} per line; .gz\n"
          + "is read too; - reads stdin) and judges every connection attempt against the policies\n"
          + "rendered from PATH, mapping pods to services by their labels and namespace. Prints what\n"
          + "would be dropped (which layer, which policy, what to declare), what is observed between\n"
          + "services that declare nothing about each other (the YAML both would add), the\n"
          + "agreements no flow used, and flows with an end outside the graph. Ports are the pods'\n"
          + "ports, as the flows show them. A progress line goes to stderr during long runs; a line\n"
          + "that is not a flow stops with file:line:col and exit 1.\n"
          + "\n"
          + SettingsFlags.HELP;

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
      case "diff":
        return DIFF;
      case "replay":
        return REPLAY;
      default:
        return TOP;
    }
  }
}
