package dev.lattice.cli;

import dev.lattice.crd.CrdConformance;
import dev.lattice.crd.Violation;
import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.diagnostics.Severity;
import dev.lattice.graph.Topology;
import dev.lattice.output.Manifest;
import dev.lattice.output.Resource;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lattice check}: the diagnostics of the specs; with {@code --crds DIR}, also every rendered
 * document against the CustomResourceDefinitions of the user's own cluster.
 */
@Command(
    name = "check",
    description = {
      "report problems in the specs; --crds DIR also checks the policies against your CRDs",
      "",
      "Prints every diagnostic as file:line:col: severity[code]: message and exits 1 on errors"
          + " (with --strict, on warnings too). With --crds DIR, also renders both layers and"
          + " checks every document as your API server would on create: the CRD's schema, its CEL"
          + " rules, ObjectMeta, and the checks of the Cilium agent and istiod. DIR (or a file)"
          + " holds what 'kubectl get crd NAME... -o yaml' prints: single CRDs, Lists of them,"
          + " several documents per file; CRDs of kinds Lattice does not render are ignored. Each"
          + " violation is printed as KIND NAMESPACE/NAME FIELD: error[RULE]: message."
    },
    exitCodeList = {
      "0:no errors (and, with --crds, every document passes)",
      "1:errors in the specs (with --strict, warnings too), or documents your CRDs reject",
      "2:usage errors (bad options, missing or unreadable paths, CRDs that cannot be read)"
    })
final class CheckCommand extends SpecCommand {
  @Option(names = "--strict", arity = "0", description = "treat warnings as errors")
  boolean strict;

  @Option(
      names = "--crds",
      paramLabel = "DIR",
      description =
          "check the rendered documents against the CRDs in DIR (kubectl get crd ... -o yaml)")
  String crds;

  CheckCommand(Io io) {
    super(io);
  }

  @Override
  public Integer call() throws UsageException {
    if (crds != null && !Files.exists(Path.of(crds))) {
      throw new UsageException("--crds " + crds + ": no such file or directory");
    }
    Topology topology;
    String conformance = "";
    try (Progress progress = Progress.of(io)) {
      topology = load(settings(), strict, progress);
      if (topology == null) {
        return Main.SPEC_ERRORS;
      }
      progress.phase("rendering " + topology.services().size() + " services");
      Manifest cilium = Layers.cilium(topology);
      boolean failedCapacity = false;
      progress.clear();
      for (Diagnostic d : Layers.capacity(topology, cilium)) {
        Diagnostic shown = strict ? d.withSeverity(Severity.ERROR) : d;
        failedCapacity |= shown.isError();
        io.err().println(shown);
      }
      if (failedCapacity) {
        return Main.SPEC_ERRORS;
      }
      if (crds != null) {
        Manifest manifest = cilium.plus(Layers.istio(topology));
        progress.phase("checking " + manifest.resources().size() + " documents against " + crds);
        CrdConformance checker = loadCrds(manifest);
        int failed = 0;
        for (Resource r : manifest.resources()) {
          var violations = checker.validate(r.document());
          if (violations.isEmpty()) {
            continue;
          }
          failed++;
          progress.clear();
          for (Violation v : violations) {
            io.err().println(describe(r, v));
          }
        }
        progress.clear();
        if (failed > 0) {
          io.err()
              .println(
                  failed
                      + " of "
                      + manifest.resources().size()
                      + " documents would be rejected by the CRDs in "
                      + crds);
          return Main.SPEC_ERRORS;
        }
        conformance = "; " + manifest.resources().size() + " documents pass the CRDs in " + crds;
      }
    }
    io.err()
        .println(
            "ok: "
                + topology.services().size()
                + " services, "
                + topology.agreements().size()
                + " agreements"
                + conformance);
    return Main.OK;
  }

  /** The CRDs of the kinds {@code manifest} holds, or a usage error naming what is wrong. */
  private CrdConformance loadCrds(Manifest manifest) throws UsageException {
    Set<String> kinds = new TreeSet<>();
    for (Resource r : manifest.resources()) {
      String apiVersion = r.document().path("apiVersion").asText();
      int slash = apiVersion.lastIndexOf('/');
      kinds.add(r.kind() + "." + (slash < 0 ? "" : apiVersion.substring(0, slash)));
    }
    try {
      return CrdConformance.load(Path.of(crds), kinds);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new UsageException("--crds " + crds + ": " + oneLine(e.getMessage()));
    } catch (UncheckedIOException e) {
      throw new UsageException(
          "--crds " + crds + ": " + e.getMessage() + ": " + oneLine(Main.describe(e)));
    }
  }

  /** A usage error is one line: the loader lists its problems on lines of their own. */
  private static String oneLine(String message) {
    return message.replaceAll("\\s*\\n\\s*", "; ").replace(":; ", ": ");
  }

  /** {@code CiliumNetworkPolicy shop/web spec.ingress[0]: error[pattern]: message}. */
  private static String describe(Resource r, Violation v) {
    String name = r.namespace().isEmpty() ? r.name() : r.namespace() + "/" + r.name();
    return r.kind()
        + " "
        + name
        + (v.path().isEmpty() ? "" : " " + v.path())
        + ": error["
        + v.rule()
        + "]: "
        + v.message();
  }
}
