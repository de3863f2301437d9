package dev.lattice.benchmarks;

import dev.lattice.cilium.CiliumRenderer;
import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.graph.ServiceGraph;
import dev.lattice.graph.Topology;
import dev.lattice.istio.IstioRenderer;
import dev.lattice.output.Manifest;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One run of resolve → render → merge → serialise, measured phase by phase. With both layers and
 * {@code concurrent}, the layers render through {@link Manifest#both}: Cilium on a second thread
 * while Istio renders on this one. That stage is the phase {@code render} (the merge included);
 * each layer's own wall time, thread CPU and allocation are in {@link #layers}, measured on its
 * thread.
 */
final class Pipeline {
  final ServiceGraph graph;
  final boolean cilium;
  final boolean istio;
  final boolean concurrent;

  /** The phases that ran one after another, in order: their sum is the run. */
  final Map<String, Meter.Reading> phases = new LinkedHashMap<>();

  /** Each layer's own reading, when the layers rendered concurrently. */
  final Map<String, Meter.Reading> layers = new LinkedHashMap<>();

  Topology topology;
  Manifest manifest;
  Manifest ciliumManifest;
  Manifest istioManifest;
  long bytes;

  Pipeline(ServiceGraph graph, boolean cilium, boolean istio, boolean concurrent) {
    this.graph = graph;
    this.cilium = cilium;
    this.istio = istio;
    this.concurrent = concurrent && cilium && istio;
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
    if (concurrent) {
      Manifest[] each = new Manifest[2];
      Meter.Reading[] own = new Meter.Reading[2];
      manifest =
          Manifest.both(
              layer(() -> CiliumRenderer.create().render(topology), each, own, 0),
              layer(() -> IstioRenderer.create().render(topology), each, own, 1));
      t = phase("render", t);
      ciliumManifest = each[0];
      istioManifest = each[1];
      layers.put("render_cilium", own[0]);
      layers.put("render_istio", own[1]);
    } else {
      Manifest c = cilium ? CiliumRenderer.create().render(topology) : Manifest.of(List.of());
      t = phase("render_cilium", t);
      Manifest i = istio ? IstioRenderer.create().render(topology) : Manifest.of(List.of());
      t = phase("render_istio", t);
      ciliumManifest = cilium ? c : null;
      istioManifest = istio ? i : null;
      manifest = c.plus(i);
      t = phase("merge", t);
    }
    // the manifest's own UTF-8 stream: one 64 KiB buffer, no Writer, no text held
    CountingStream counter = new CountingStream(file);
    manifest.writeYaml(counter);
    counter.close();
    bytes = counter.count;
    phase("serialise", t);
  }

  /** {@code render}, keeping its result in {@code each[i]} and its thread's reading in own[i]. */
  private static Supplier<Manifest> layer(
      Supplier<Manifest> render, Manifest[] each, Meter.Reading[] own, int i) {
    return () -> {
      Meter.Reading start = Meter.readThread();
      Manifest m = render.get();
      own[i] = Meter.readThread().minus(start);
      each[i] = m;
      return m;
    };
  }

  private Meter.Reading phase(String name, Meter.Reading start) {
    Meter.Reading now = Meter.read();
    phases.put(name, now.minus(start));
    return now;
  }

  /** The graph does not resolve. */
  static final class GraphException extends Exception {
    private static final long serialVersionUID = 1L;

    GraphException(String message) {
      super(message);
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
