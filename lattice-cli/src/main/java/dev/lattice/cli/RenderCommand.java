package dev.lattice.cli;

import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.graph.Topology;
import dev.lattice.model.Settings;
import dev.lattice.output.Manifest;
import dev.lattice.output.RequiredLabel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lattice render}: the policies as one stream on stdout, or one file each under a DIR. */
@Command(
    name = "render",
    description = {
      "print the policies (or write them with -o DIR)",
      "",
      "Prints a deterministic multi-document YAML stream (or a JSON List) of the policies. With -o"
          + " DIR, writes one file per resource as DIR/<namespace or _cluster>/<kind>-<name>.yaml,"
          + " each atomically, and removes files an earlier render wrote that are no longer"
          + " produced; a render that fails leaves DIR untouched. Labels Lattice needs on objects"
          + " it does not own are printed to stderr as notes. On a terminal, long renders show"
          + " their progress on stderr."
    },
    exitCodeList = {
      "0:rendered",
      "1:errors in the specs (nothing on stdout, DIR untouched)",
      "2:usage errors (bad options, missing or unreadable paths, DIR not writable)"
    })
final class RenderCommand extends SpecCommand {
  static final String LAYERS = "cilium|istio|all";
  static final String FORMATS = "yaml|json";

  @Option(
      names = "--layer",
      paramLabel = LAYERS,
      defaultValue = "all",
      description = "the layers to render (default ${DEFAULT-VALUE})")
  String layer;

  @Option(
      names = "--format",
      paramLabel = FORMATS,
      defaultValue = "yaml",
      description = "a YAML stream or a JSON List (default ${DEFAULT-VALUE})")
  String format;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "DIR",
      description = "write one file per resource under DIR")
  String output;

  RenderCommand(Io io) {
    super(io);
  }

  @Override
  public Integer call() throws UsageException {
    Choice.check("--layer", layer, LAYERS);
    Choice.check("--format", format, FORMATS);
    // a usage error is reported before the specs are read, not after their notes
    if (output != null && Files.exists(Path.of(output)) && !Files.isDirectory(Path.of(output))) {
      throw new UsageException("-o " + output + " is a file, not a directory");
    }
    Settings settings = settings();
    try (Progress progress = Progress.of(io)) {
      Topology topology = load(settings, false, progress);
      if (topology == null) {
        return Main.SPEC_ERRORS;
      }
      progress.phase("rendering " + topology.services().size() + " services");
      Layers.Rendered rendered = Layers.render(topology, layer);
      Manifest cilium = rendered.cilium();
      Manifest manifest = rendered.manifest();
      progress.clear();
      if (cilium != null) {
        for (Diagnostic d : Layers.capacity(topology, cilium)) {
          io.err().println(d);
        }
      }
      for (RequiredLabel l : manifest.requiredLabels()) {
        io.err().println("note: " + l + "\n  apply: " + l.kubectl());
      }
      if (output != null) {
        progress.phase("writing " + manifest.resources().size() + " resources to " + output);
        List<String> deleted;
        try {
          deleted = OutputDirectory.write(Path.of(output), manifest, format);
        } catch (IOException | UncheckedIOException e) {
          throw new UsageException("cannot write " + Main.describe(e));
        }
        progress.stop();
        io.err()
            .println(
                "wrote "
                    + manifest.resources().size()
                    + " resources to "
                    + output
                    + (deleted.isEmpty() ? "" : ", removed " + deleted.size() + " stale"));
        return Main.OK;
      }
      progress.phase("serialising " + manifest.resources().size() + " resources");
      // streamed as UTF-8 bytes through the manifest's own buffer: the whole stream is never
      // held as text (it is written only once the render has succeeded: all or nothing)
      progress.stop();
      if (format.equals("json")) {
        manifest.writeJson(io.out());
      } else {
        manifest.writeYaml(io.out());
      }
      io.out().flush();
      return Main.OK;
    }
  }
}
