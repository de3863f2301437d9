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
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * {@code lattice replay}: streams a Hubble flow export against the rendered policies of the specs
 * and prints what would be dropped, what is observed with no declaration on either side (with the
 * declarations to add), and the agreements no flow used.
 *
 * <pre>{@code
 * hubble observe --since 24h -o json > flows.json
 * lattice replay --flows flows.json specs/
 * hubble observe -f -o json | lattice replay --flows - --format json specs/
 * }</pre>
 *
 * <p>Exit codes: 0; 1 on errors in the specs or a line that is not a Hubble flow ({@code
 * file:line:col: error: ...}, nothing on stdout); 2 on usage errors.
 */
final class ReplayCommand {
  private static final long FIRST_PROGRESS_NANOS = 3_000_000_000L;
  private static final long PROGRESS_EVERY_NANOS = 5_000_000_000L;

  private ReplayCommand() {}

  static int run(List<String> argv, InputStream stdin, PrintStream out, PrintStream err)
      throws UsageException {
    Set<String> valued = new HashSet<>(SettingsFlags.VALUED);
    valued.addAll(List.of("--flows", "--format"));
    Args args = Args.parse(argv, valued, SettingsFlags.FLAGS, "replay");
    if (!args.has("--flows")) {
      throw new UsageException(
          "replay needs --flows FILE, a Hubble export (hubble observe -o json > FILE), or --flows -"
              + " to read standard input");
    }
    String format = args.options.getOrDefault("--format", "text");
    if (!List.of("text", "json").contains(format)) {
      throw new UsageException("--format is text or json, got \"" + format + "\"");
    }
    String flows = args.get("--flows");
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
    Topology topology = Main.load(args, SettingsFlags.from(args), err, false);
    if (topology == null) {
      return Main.SPEC_ERRORS;
    }
    Verifier verifier = Verifier.of(topology, Layers.cilium(topology), Layers.istio(topology));
    Progress progress = new Progress(err, flows);
    ReplayResult result;
    try (InputStream in = open(file, stdin)) {
      result = Replay.of(verifier).progress(progress).run(in, flows);
    } catch (FlowFormatException e) {
      err.println(
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
    progress.done();
    out.print(
        format.equals("json") ? ReplayReport.of(result).json() : ReplayReport.of(result).text());
    out.flush();
    return Main.OK;
  }

  /** The export, decompressed when its name ends in {@code .gz}. */
  private static InputStream open(Path file, InputStream stdin) throws IOException {
    if (file == null) {
      return new BufferedInputStream(stdin, 1 << 16) {
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

  /** A line on stderr now and then during a long replay, and a last one if any was printed. */
  private static final class Progress implements Replay.Progress {
    private final PrintStream err;
    private final String name;
    private final long start = System.nanoTime();
    private long next = start + FIRST_PROGRESS_NANOS;
    private boolean printed;
    private long lines;
    private long bytes;
    private long attempts;

    Progress(PrintStream err, String name) {
      this.err = err;
      this.name = name;
    }

    @Override
    public void update(long lines, long bytes, long attempts) {
      this.lines = lines;
      this.bytes = bytes;
      this.attempts = attempts;
      long now = System.nanoTime();
      if (now >= next) {
        print(now);
        next = now + PROGRESS_EVERY_NANOS;
      }
    }

    void done() {
      if (printed) {
        print(System.nanoTime());
      }
    }

    private void print(long now) {
      double seconds = Math.max(1e-9, (now - start) / 1e9);
      err.println(
          String.format(
              Locale.ROOT,
              "replay %s: %,d lines (%.1f MiB), %,d connection attempts, %,.0f lines/s",
              name,
              lines,
              bytes / 1048576.0,
              attempts,
              lines / seconds));
      printed = true;
    }
  }
}
