package dev.lattice.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.cilium.PolicyMapEstimate;
import dev.lattice.graph.ServiceGraph;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Reader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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
 * Its options, defaults and exit codes are declared once, in the picocli annotations below, and
 * {@code --help} prints them.
 */
@Command(
    name = "Scale",
    sortOptions = false,
    usageHelpWidth = 100,
    synopsisHeading = "usage: ",
    optionListHeading = "%noptions:%n",
    exitCodeListHeading = "%nexit codes:%n",
    description = {
      "",
      "Builds a random graph (--services) or reads one (--graph), runs resolve, render and"
          + " serialise once (after --warmup runs), and prints one JSON line: sizes, milliseconds"
          + " and allocated bytes per phase, GC, peak heap."
    },
    exitCodeList = {
      "0:done",
      "1:the graph does not resolve",
      "2:bad arguments or an unreadable graph file"
    })
public final class Scale implements Callable<Integer> {
  @Option(
      names = "--services",
      paramLabel = "N",
      description = "a random graph of N services (at least 3)")
  Integer services;

  @Option(
      names = "--namespaces",
      paramLabel = "K",
      description = "its namespaces, at most N (default: N / 250, at least 1)")
  Integer namespaces;

  @Option(
      names = "--degree",
      paramLabel = "D",
      defaultValue = "3",
      description = "mean dependencies per service, 0..1000 (default ${DEFAULT-VALUE})")
  double degree;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "1",
      description = "the random graph's seed (default ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--graph",
      paramLabel = "FILE",
      description = "read the graph from FILE (the neutral JSON form) instead")
  Path graph;

  @Option(
      names = "--layer",
      paramLabel = "cilium|istio|all",
      defaultValue = "all",
      description = "the layers to render (default ${DEFAULT-VALUE})")
  String layer;

  @Option(
      names = "--sequential-layers",
      arity = "0",
      description =
          "render Cilium, then Istio, on this thread (default: Cilium on a second thread while"
              + " Istio renders on this one, through Manifest.both, as lattice render does)")
  boolean sequentialLayers;

  @Option(
      names = "--concurrent-layers",
      arity = "0",
      hidden = true,
      description = "the default; kept so that older command lines still run")
  boolean concurrentLayers;

  @Option(
      names = "--warmup",
      paramLabel = "W",
      defaultValue = "0",
      description = "runs before the measured one (default ${DEFAULT-VALUE})")
  int warmup;

  @Option(
      names = "--edits",
      paramLabel = "E",
      defaultValue = "0",
      description = "then measure E one-service incremental updates (default ${DEFAULT-VALUE})")
  int edits;

  @Option(
      names = "--capacity",
      arity = "0",
      description =
          "after the measured run, estimate each endpoint's Cilium policy-map entries and report"
              + " the largest and how many pass the limit (not timed in the phases)")
  boolean capacity;

  @Option(names = "--out", paramLabel = "FILE", description = "write the rendered YAML to FILE")
  Path out;

  @Option(
      names = "--write-graph",
      paramLabel = "FILE",
      description = "write the graph to FILE in the neutral JSON form")
  Path writeGraph;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "print this help")
  boolean help;

  private PrintStream stdout;
  private PrintStream stderr;

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

  /** Runs the harness; returns the exit code. Never throws for bad input. */
  static int run(String[] argv, PrintStream out, PrintStream err) {
    Scale scale = new Scale();
    scale.stdout = out;
    scale.stderr = err;
    CommandLine cl = new CommandLine(scale);
    cl.setExpandAtFiles(false);
    cl.setOut(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true));
    cl.setErr(new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true));
    cl.setParameterExceptionHandler(
        (e, args) -> {
          err.println("scale: " + e.getMessage() + " (scale --help lists the options)");
          return 2;
        });
    cl.setExecutionExceptionHandler(
        (e, command, parsed) -> {
          if (e instanceof UsageException) {
            err.println("scale: " + e.getMessage() + " (scale --help lists the options)");
            return 2;
          }
          throw e;
        });
    return cl.execute(argv);
  }

  /** The checks the annotations cannot express; fills the namespaces' default. */
  private void validate() throws UsageException {
    if (graph == null && services == null) {
      throw new UsageException("give --services N (a random graph) or --graph FILE");
    }
    if (graph != null && services != null) {
      throw new UsageException("give either --services or --graph, not both");
    }
    if (services != null && services < 3) {
      throw new UsageException("--services needs a whole number of at least 3, got " + services);
    }
    if (namespaces != null && namespaces < 1) {
      throw new UsageException(
          "--namespaces needs a whole number of at least 1, got " + namespaces);
    }
    if (!(degree >= 0 && degree <= 1000)) {
      throw new UsageException("--degree needs a number from 0 to 1000, got " + degree);
    }
    if (!List.of("cilium", "istio", "all").contains(layer)) {
      throw new UsageException("--layer must be cilium, istio or all, got \"" + layer + "\"");
    }
    if (sequentialLayers && concurrentLayers) {
      throw new UsageException("give either --sequential-layers or --concurrent-layers, not both");
    }
    if (warmup < 0 || edits < 0) {
      throw new UsageException("--warmup and --edits need whole numbers of at least 0");
    }
    if (graph == null && namespaces == null) {
      namespaces = Math.max(1, services / 250);
    }
    if (graph == null && namespaces > services) {
      throw new UsageException(
          "--namespaces (" + namespaces + ") cannot exceed --services (" + services + ")");
    }
  }

  @Override
  public Integer call() throws UsageException {
    validate();
    PrintStream err = stderr;
    ServiceGraph graph;
    Meter.Reading g0 = Meter.read();
    try {
      graph = graph();
    } catch (UsageException e) {
      err.println("scale: " + e.getMessage());
      return 2;
    }
    double generateMs = Meter.read().minus(g0).millis();
    try {
      ObjectNode json = measure(graph, generateMs);
      if (json == null) {
        return 1;
      }
      stdout.println(new ObjectMapper().writeValueAsString(json));
      return 0;
    } catch (Pipeline.GraphException e) {
      err.println("scale: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("scale: cannot write: " + e.getMessage());
      return 2;
    }
  }

  private ServiceGraph graph() throws UsageException {
    if (graph == null) {
      return SyntheticGraph.generate(SyntheticGraph.Options.of(services, namespaces, degree, seed));
    }
    Path file = graph;
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return GraphFile.read(r);
    } catch (NoSuchFileException e) {
      throw new UsageException("no such graph file: " + file);
    } catch (GraphFile.FormatException e) {
      throw new UsageException(file + ": " + e.getMessage());
    } catch (IOException e) {
      throw new UsageException("cannot read " + file + ": " + e);
    }
  }

  /** The phases, in order. */
  private static final List<String> PHASES =
      List.of("resolve", "render_cilium", "render_istio", "merge", "serialise");

  private ObjectNode measure(ServiceGraph graph, double generateMs)
      throws Pipeline.GraphException, IOException {
    boolean cilium = !layer.equals("istio");
    boolean istio = !layer.equals("cilium");
    for (int i = 0; i < warmup; i++) {
      Pipeline p = new Pipeline(graph, cilium, istio, !sequentialLayers);
      p.run(null);
    }
    System.gc();
    Meter.resetPeaks();
    Pipeline p = new Pipeline(graph, cilium, istio, !sequentialLayers);
    if (out != null) {
      try (OutputStream file = Files.newOutputStream(out)) {
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
    json.put("layer", layer);
    json.put("documents", p.manifest.resources().size());
    json.put("output_bytes", p.bytes);
    ObjectNode ms = json.putObject("ms");
    ObjectNode cpu = json.putObject("cpu_ms");
    ObjectNode threadCpu = json.putObject("thread_cpu_ms");
    ObjectNode alloc = json.putObject("allocated_bytes");
    // the phases that ran one after another add up to the run; with concurrent layers, "render"
    // is both layers and their merge, and each layer's own reading (its thread's) is beside it
    double total = 0;
    long totalAlloc = 0;
    double cpuTotal = 0;
    double threadCpuTotal = 0;
    for (Map.Entry<String, Meter.Reading> e : p.phases.entrySet()) {
      Meter.Reading r = e.getValue();
      long allocated = r.allocated(); // every thread's, those that ended in the phase too
      if (e.getKey().equals("render")) {
        // the Cilium thread ended inside the phase; its own CPU is read on it
        threadCpuTotal += p.layers.get("render_cilium").threadCpuMillis();
      }
      put(e.getKey(), r, allocated, ms, cpu, threadCpu, alloc);
      total += r.millis();
      totalAlloc += allocated;
      cpuTotal += r.processCpuMillis();
      threadCpuTotal += r.threadCpuMillis();
    }
    p.layers.forEach((k, r) -> put(k, r, r.allocated(), ms, cpu, threadCpu, alloc));
    for (String phase : PHASES) {
      if (!ms.has(phase)) {
        put(phase, new Meter.Reading(0, 0, 0, 0, 0, 0), 0, ms, cpu, threadCpu, alloc);
      }
    }
    json.put("layers_concurrent", p.concurrent);
    ms.put("total", round(total));
    cpu.put("total", round(cpuTotal));
    threadCpu.put("total", round(threadCpuTotal));
    json.put(
        "load_average", round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
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
    if (edits > 0) {
      json.set(
          "incremental", Edits.measure(p.topology, p.ciliumManifest, p.istioManifest, edits, seed));
    }
    if (capacity && p.ciliumManifest != null) {
      Meter.Reading c0 = Meter.read();
      PolicyMapEstimate estimate = PolicyMapEstimate.of(p.topology, p.ciliumManifest);
      double capacityMs = Meter.read().minus(c0).millis();
      ObjectNode c = json.putObject("policy_map");
      estimate
          .largest()
          .ifPresent(
              e -> {
                c.put("largest", e.name());
                c.put("largest_entries", e.total());
              });
      c.put("limit", p.topology.settings().policyMapLimit());
      c.put("over_limit", estimate.diagnostics().size());
      c.put("ms", round(capacityMs));
    }
    json.put("peak_heap_bytes", peak);
    json.put("live_heap_after_bytes", live);
    json.put("max_heap_bytes", Meter.maxHeap());
    json.put("generate_ms", round(generateMs));
    json.put("warmup_runs", warmup);
    if (this.graph == null) {
      json.put("seed", seed);
      json.put("degree", degree);
    }
    json.put("processors", Runtime.getRuntime().availableProcessors());
    json.put("java", System.getProperty("java.version"));
    if (writeGraph != null) {
      try (OutputStream o = Files.newOutputStream(writeGraph)) {
        GraphFile.write(p.topology, o);
      }
    }
    return json;
  }

  private static void put(
      String phase,
      Meter.Reading r,
      long allocated,
      ObjectNode ms,
      ObjectNode cpu,
      ObjectNode threadCpu,
      ObjectNode alloc) {
    ms.put(phase, round(r.millis()));
    cpu.put(phase, round(r.processCpuMillis()));
    threadCpu.put(phase, round(r.threadCpuMillis()));
    alloc.put(phase, allocated);
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
