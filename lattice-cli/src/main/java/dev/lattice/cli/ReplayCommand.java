package dev.lattice.cli;

import dev.lattice.graph.Topology;
import dev.lattice.verify.Verifier;
import dev.lattice.verify.replay.FlowFormatException;
import dev.lattice.verify.replay.Replay;
import dev.lattice.verify.replay.ReplayReport;
import dev.lattice.verify.replay.ReplayResult;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lattice replay}: streams a Hubble flow export against the rendered policies of the specs
 * and prints what would be dropped, what is observed with no declaration on either side (with the
 * declarations to add), the agreements no flow used, and what lies outside the graph.
 *
 * <pre>{@code
 * hubble observe --since 24h -o json > flows.json
 * lattice replay --flows flows.json specs/
 * hubble observe -f -o json | lattice replay --flows - --format json specs/
 * }</pre>
 */
@Command(
    name = "replay",
    description = {
      "judge observed traffic (a Hubble flow export) against the policies",
      "",
      "Streams a Hubble flow export (hubble observe -o json: one {\"flow\": ...} per line; .gz is"
          + " read too; - reads stdin) and judges every connection attempt against the policies"
          + " rendered from PATH, mapping pods to services by their labels and namespace. Prints"
          + " what would be dropped (which layer, which policy, what to declare), what is observed"
          + " between services that declare nothing about each other (the YAML both would add),"
          + " the agreements no flow used, and flows with an end outside the graph. Ports are the"
          + " pods' ports, as the flows show them. Long replays show their progress on stderr: a"
          + " line redrawn in place on a terminal, otherwise a plain line every ten seconds at"
          + " most; --quiet shows none."
    },
    exitCodeList = {
      "0:replayed",
      "1:errors in the specs, or a line of the export that is not a Hubble flow"
          + " (file:line:col: error: ..., nothing on stdout)",
      "2:usage errors (bad options, missing or unreadable paths or export)"
    })
final class ReplayCommand extends SpecCommand {
  static final String FORMATS = "text|json";

  @Option(
      names = "--flows",
      paramLabel = "FILE",
      description = "the Hubble export (hubble observe -o json > FILE); - for stdin")
  String flows;

  @Option(
      names = "--format",
      paramLabel = FORMATS,
      defaultValue = "text",
      description = "text for people, json for tools (default ${DEFAULT-VALUE})")
  String format;

  @Option(
      names = {"-q", "--quiet"},
      description = "no progress on stderr (errors are still printed)")
  boolean quiet;

  ReplayCommand(Io io) {
    super(io);
  }

  @Override
  public Integer call() throws UsageException {
    if (flows == null) {
      throw new UsageException(
          "replay needs --flows FILE, a Hubble export (hubble observe -o json > FILE), or --flows -"
              + " to read standard input");
    }
    Choice.check("--format", format, FORMATS);
    Path file = null;
    if (!flows.equals("-")) {
      file = Path.of(flows);
      if (!Files.exists(file)) {
        throw new UsageException("--flows " + flows + ": no such file");
      }
      if (Files.isDirectory(file)) {
        throw new UsageException("--flows " + flows + " is a directory; name the export file");
      }
      if (!Files.isReadable(file)) {
        throw new UsageException("cannot read " + flows + ": permission denied");
      }
    }
    ReplayResult result;
    try (Progress progress = quiet ? Progress.off() : Progress.of(io)) {
      Topology topology = load(settings(), false, progress);
      if (topology == null) {
        return Main.SPEC_ERRORS;
      }
      progress.phase("rendering " + topology.services().size() + " services");
      Verifier verifier = Verifier.of(topology, Layers.cilium(topology), Layers.istio(topology));
      progress.phase("replaying " + flows);
      Replay.Progress told = progress(io, quiet, progress, flows);
      try (InputStream in = open(file)) {
        result = Replay.of(verifier).progress(told).run(in, flows);
      } catch (FlowFormatException e) {
        progress.stop();
        io.err()
            .println(
                e.source()
                    + ":"
                    + e.line()
                    + (e.column() > 0 ? ":" + e.column() : "")
                    + ": error: "
                    + e.problem());
        return Main.SPEC_ERRORS;
      } catch (IOException e) {
        throw new UsageException("cannot read " + flows + ": " + Main.describe(e));
      }
      progress.stop();
    }
    io.out()
        .print(
            format.equals("json")
                ? ReplayReport.of(result).json()
                : ReplayReport.of(result).text());
    io.out().flush();
    return Main.OK;
  }

  /** The export, decompressed when its name ends in {@code .gz}; stdin for {@code -}. */
  private static InputStream open(Path file) throws IOException {
    if (file == null) {
      return new BufferedInputStream(System.in, 1 << 16) {
        @Override
        public void close() {
          // standard input stays open
        }
      };
    }
    InputStream in = Files.newInputStream(file);
    if (file.getFileName().toString().endsWith(".gz")) {
      return new GZIPInputStream(in, 1 << 16);
    }
    return in;
  }

  /**
   * How a replay tells its progress: nothing when {@code quiet}; on a terminal, the {@code display}
   * line redrawn in place; otherwise (a CI log, a file) a plain {@link ReplayLog} line every ten
   * seconds at most.
   */
  static Replay.Progress progress(Io io, boolean quiet, Progress display, String flows) {
    if (quiet) {
      return (lines, bytes, attempts) -> {};
    }
    if (!io.errIsTerminal()) {
      return ReplayLog.of(io.err(), flows);
    }
    return (lines, bytes, attempts) ->
        display.phase(
            String.format(
                Locale.ROOT,
                "replaying %s: %,d lines (%.1f MiB), %,d connection attempts",
                flows,
                lines,
                bytes / 1048576.0,
                attempts));
  }
}
