package dev.lattice.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.cilium.CiliumRenderer;
import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.graph.ServiceGraph;
import dev.lattice.graph.Topology;
import dev.lattice.istio.IstioRenderer;
import dev.lattice.output.Manifest;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scale harness: builds a random graph (or reads one), runs resolve, render and serialise once,
 * and prints one JSON line with the sizes, the milliseconds and allocated bytes per phase, GC and
 * peak heap.
 *
 * <pre>
 * java -Xmx2g -cp lattice-benchmarks/target/benchmarks.jar dev.lattice.benchmarks.Scale \
 *     --services 50000 --namespaces 200 --degree 3 --seed 1
 * </pre>
 *
 * Exit codes: 0 done, 1 the graph does not resolve, 2 bad arguments or an unreadable graph file.
 */
public final class Scale {
  static final String USAGE =
      "usage: Scale --services N [--namespaces K] [--degree D] [--seed S] | --graph FILE;"
          + " [--layer cilium|istio|all] [--warmup W] [--edits E] [--out FILE]"
          + " [--write-graph FILE]";

  private Scale() {}

  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  /** Bad arguments: one line for the user, exit code 2. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /** The parsed command line. */
  static final class Args {
    int services = -1;
    int namespaces = -1;
    double degree = 3;
    long seed = 1;
    Path graph;
    String layer = "all";
    int warmup;
    int edits;
    Path out;
    Path writeGraph;
    boolean help;

    static Args parse(String[] argv) throws UsageException {
      Args a = new Args();
      for (int i = 0; i < argv.length; i++) {
        String flag = argv[i];
        if (flag.equals("--help") || flag.equals("-h")) {
          a.help = true;
          continue;
        }
        if (!flag.startsWith("--")) {
          throw new UsageException("unexpected argument \"" + flag + "\"");
        }
        String value;
        int eq = flag.indexOf('=');
        if (eq > 0) {
          value = flag.substring(eq + 1);
          flag = flag.substring(0, eq);
        } else if (i + 1 < argv.length) {
          value = argv[++i];
        } else {
          throw new UsageException(flag + " needs a value");
        }
        switch (flag) {
          case "--services":
            a.services = wholeNumber(flag, value, 3);
            break;
          case "--namespaces":
            a.namespaces = wholeNumber(flag, value, 1);
            break;
          case "--degree":
            a.degree = decimal(flag, value);
            break;
          case "--seed":
            try {
              a.seed = Long.parseLong(value);
            } catch (NumberFormatException e) {
              throw new UsageException(flag + " needs a whole number, got \"" + value + "\"");
            }
            break;
          case "--graph":
            a.graph = Path.of(value);
            break;
          case "--layer":
            if (!List.of("cilium", "istio", "all").contains(value)) {
              throw new UsageException(
                  "--layer must be cilium, istio or all, got \"" + value + "\"");
            }
            a.layer = value;
            break;
          case "--warmup":
            a.warmup = wholeNumber(flag, value, 0);
            break;
          case "--edits":
            a.edits = wholeNumber(flag, value, 0);
            break;
          case "--out":
            a.out = Path.of(value);
            break;
          case "--write-graph":
            a.writeGraph = Path.of(value);
            break;
          default:
            throw new UsageException("unknown option " + flag);
        }
      }
      if (a.help) {
        return a;
      }
      if (a.graph == null && a.services < 0) {
        throw new UsageException("give --services N (a random graph) or --graph FILE");
      }
      if (a.graph != null && a.services >= 0) {
        throw new UsageException("give either --services or --graph, not both");
      }
      if (a.graph == null && a.namespaces < 0) {
        a.namespaces = Math.max(1, a.services / 250);
      }
      if (a.graph == null && a.namespaces > a.services) {
        throw new UsageException(
            "--namespaces (" + a.namespaces + ") cannot exceed --services (" + a.services + ")");
      }
      return a;
    }

    private static int wholeNumber(String flag, String value, int min) throws UsageException {
      try {
        int n = Integer.parseInt(value);
        if (n >= min) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new UsageException(
          flag + " needs a whole number of at least " + min + ", got \"" + value + "\"");
    }

    private static double decimal(String flag, String value) throws UsageException {
      try {
        double d = Double.parseDouble(value);
        if (d >= 0 && d <= 1000) {
          return d;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new UsageException(flag + " needs a number from 0 to 1000, got \"" + value + "\"");
    }
  }

  /** Runs the harness; returns the exit code. Never throws for bad input. */
  static int run(String[] argv, PrintStream out, PrintStream err) {
    Args args;
    try {
      args = Args.parse(argv);
    } catch (UsageException e) {
      err.println("scale: " + e.getMessage() + " (" + USAGE + ")");
      return 2;
    }
    if (args.help) {
      out.println(USAGE);
      return 0;
    }
    ServiceGraph graph;
    Meter.Reading g0 = Meter.read();
    try {
      graph = graph(args);
    } catch (UsageException e) {
      err.println("scale: " + e.getMessage());
      return 2;
    }
    double generateMs = Meter.read().minus(g0).millis();
    try {
      ObjectNode json = measure(args, graph, generateMs);
      if (json == null) {
        return 1;
      }
      out.println(new ObjectMapper().writeValueAsString(json));
      return 0;
    } catch (GraphException e) {
      err.println("scale: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("scale: cannot write: " + e.getMessage());
      return 2;
    }
  }

  /** The graph does not resolve. */
  private static final class GraphException extends Exception {
    private static final long serialVersionUID = 1L;

    GraphException(String message) {
      super(message);
    }
  }

  private static ServiceGraph graph(Args args) throws UsageException {
    if (args.graph == null) {
      return SyntheticGraph.generate(
          SyntheticGraph.Options.of(args.services, args.namespaces, args.degree, args.seed));
    }
    try (Reader r = Files.newBufferedReader(args.graph, StandardCharsets.UTF_8)) {
      return GraphFile.read(r);
    } catch (NoSuchFileException e) {
      throw new UsageException("no such graph file: " + args.graph);
    } catch (GraphFile.FormatException e) {
      throw new UsageException(args.graph + ": " + e.getMessage());
    } catch (IOException e) {
      throw new UsageException("cannot read " + args.graph + ": " + e);
    }
  }

  /** The phases, in order. */
  private static final List<String> PHASES =
      List.of("resolve", "render_cilium", "render_istio", "merge", "serialise");

  private static ObjectNode measure(Args args, ServiceGraph graph, double generateMs)
      throws GraphException, IOException {
    boolean cilium = !args.layer.equals("istio");
    boolean istio = !args.layer.equals("cilium");
    for (int i = 0; i < args.warmup; i++) {
      Pipeline p = new Pipeline(graph, cilium, istio);
      p.run(null);
    }
    System.gc();
    Meter.resetPeaks();
    Pipeline p = new Pipeline(graph, cilium, istio);
    if (args.out != null) {
      try (OutputStream file = Files.newOutputStream(args.out)) {
        p.run(file);
      }
    } else {
      p.run(null);
    }
    long peak = Meter.peakHeap();
    long live = Meter.liveHeap();

    ObjectMapper m = new ObjectMapper();
    ObjectNode json = m.createObjectNode();
    json.put("services", p.topology.services().size());
    json.put("namespaces", p.topology.namespaces().size());
    json.put("agreements", p.topology.agreements().size());
    json.put("waypoints", p.topology.waypoints().size());
    json.put("layer", args.layer);
    json.put("documents", p.manifest.resources().size());
    json.put("output_bytes", p.bytes);
    ObjectNode ms = json.putObject("ms");
    ObjectNode alloc = json.putObject("allocated_bytes");
    double total = 0;
    long totalAlloc = 0;
    for (String phase : PHASES) {
      Meter.Reading r = p.phases.get(phase);
      ms.put(phase, round(r.millis()));
      alloc.put(phase, r.allocated());
      total += r.millis();
      totalAlloc += r.allocated();
    }
    ms.put("total", round(total));
    alloc.put("total", totalAlloc);
    double build = total - p.phases.get("serialise").millis();
    json.put("build_over_serialise", round(build / p.phases.get("serialise").millis()));
    long gcCount = 0;
    long gcMs = 0;
    for (Meter.Reading r : p.phases.values()) {
      gcCount += r.gcCount();
      gcMs += r.gcMillis();
    }
    ObjectNode gc = json.putObject("gc");
    gc.put("collections", gcCount);
    gc.put("ms", gcMs);
    if (args.edits > 0) {
      json.set(
          "incremental",
          Edits.measure(p.topology, p.ciliumManifest, p.istioManifest, args.edits, args.seed));
    }
    json.put("peak_heap_bytes", peak);
    json.put("live_heap_after_bytes", live);
    json.put("max_heap_bytes", Meter.maxHeap());
    json.put("generate_ms", round(generateMs));
    json.put("warmup_runs", args.warmup);
    if (args.graph == null) {
      json.put("seed", args.seed);
      json.put("degree", args.degree);
    }
    json.put("processors", Runtime.getRuntime().availableProcessors());
    json.put("java", System.getProperty("java.version"));
    if (args.writeGraph != null) {
      try (OutputStream o = Files.newOutputStream(args.writeGraph)) {
        GraphFile.write(p.topology, o);
      }
    }
    return json;
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }

  /** One run of resolve → render → merge → serialise, measured phase by phase. */
  private static final class Pipeline {
    final ServiceGraph graph;
    final boolean cilium;
    final boolean istio;
    final Map<String, Meter.Reading> phases = new LinkedHashMap<>();
    Topology topology;
    Manifest manifest;
    Manifest ciliumManifest;
    Manifest istioManifest;
    long bytes;

    Pipeline(ServiceGraph graph, boolean cilium, boolean istio) {
      this.graph = graph;
      this.cilium = cilium;
      this.istio = istio;
    }

    void run(OutputStream file) throws GraphException, IOException {
      Meter.Reading t = Meter.read();
      topology = graph.resolve();
      // the renderers ask for errors first; the sort of the diagnostics is resolution's cost
      boolean errors = topology.hasErrors();
      t = phase("resolve", t);
      if (errors) {
        List<Diagnostic> list = new ArrayList<>();
        for (Diagnostic d : topology.diagnostics()) {
          if (d.isError()) {
            list.add(d);
          }
        }
        throw new GraphException(
            "the graph has " + list.size() + " errors; the first: " + list.get(0));
      }
      Manifest c = cilium ? CiliumRenderer.create().render(topology) : Manifest.of(List.of());
      t = phase("render_cilium", t);
      Manifest i = istio ? IstioRenderer.create().render(topology) : Manifest.of(List.of());
      t = phase("render_istio", t);
      ciliumManifest = cilium ? c : null;
      istioManifest = istio ? i : null;
      manifest = c.plus(i);
      t = phase("merge", t);
      CountingStream counter = new CountingStream(file);
      try (Writer w =
          new BufferedWriter(new OutputStreamWriter(counter, StandardCharsets.UTF_8), 1 << 16)) {
        manifest.writeYaml(w);
      }
      bytes = counter.count;
      phase("serialise", t);
    }

    private Meter.Reading phase(String name, Meter.Reading start) {
      Meter.Reading now = Meter.read();
      phases.put(name, now.minus(start));
      return now;
    }
  }

  /** Counts the bytes written, and passes them on when there is somewhere to write them. */
  private static final class CountingStream extends OutputStream {
    private final OutputStream target;
    long count;

    CountingStream(OutputStream target) {
      this.target = target;
    }

    @Override
    public void write(int b) throws IOException {
      count++;
      if (target != null) {
        target.write(b);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      count += len;
      if (target != null) {
        target.write(b, off, len);
      }
    }

    @Override
    public void close() throws IOException {
      // the caller owns the target
      if (target != null) {
        target.flush();
      }
    }
  }
}
