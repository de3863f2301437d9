package dev.lattice.benchmarks.jmh;

import dev.lattice.benchmarks.SyntheticGraph;
import dev.lattice.cilium.CiliumRenderer;
import dev.lattice.graph.ServiceGraph;
import dev.lattice.graph.Topology;
import dev.lattice.istio.IstioRenderer;
import dev.lattice.output.Manifest;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Wildcards at scale must stay linear: a scraper that calls {@code "*"} and that every service
 * admits, and a collector that admits {@code "*"} and that every mesh service calls. Compare the
 * per-op times across {@code services}: ten times the services should cost about ten times as much,
 * not a hundred.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx3g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class WildcardBenchmark {
  @Param({"1000", "10000"})
  public int services;

  private ServiceGraph graph;
  private Topology topology;

  @Setup
  public void setUp() {
    SyntheticGraph.Options o =
        SyntheticGraph.Options.of(services, Math.max(1, services / 250), 1, 1);
    o.collectorCallerRate = 1.0; // every mesh service calls the collector, which admits "*"
    graph = SyntheticGraph.generate(o);
    topology = graph.resolve().orThrow();
  }

  @Benchmark
  public Topology resolve() {
    Topology t = graph.resolve();
    t.hasErrors();
    return t;
  }

  @Benchmark
  public Manifest renderBoth() {
    return CiliumRenderer.create().render(topology).plus(IstioRenderer.create().render(topology));
  }
}
