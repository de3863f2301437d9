package dev.lattice.benchmarks.jmh;

import dev.lattice.benchmarks.SyntheticGraph;
import dev.lattice.cilium.CiliumRenderer;
import dev.lattice.graph.ServiceGraph;
import dev.lattice.graph.Topology;
import dev.lattice.graph.TopologyUpdate;
import dev.lattice.istio.IstioRenderer;
import dev.lattice.model.Service;
import dev.lattice.output.Manifest;
import dev.lattice.output.ManifestDiff;
import dev.lattice.output.ManifestUpdate;
import java.io.OutputStream;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Each phase of the pipeline on the synthetic cluster graph ({@link SyntheticGraph}, 3 agreements
 * per service, 250 services per namespace, a scraper every service admits): resolve, render each
 * layer, write the YAML, diff two renders, and the controller's incremental path for one changed
 * service (update, both layers' update, diff).
 *
 * <pre>
 * java -jar lattice-benchmarks/target/benchmarks.jar PipelineBenchmark -p services=10000
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx3g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PipelineBenchmark {
  @Param({"1000", "10000"})
  public int services;

  private final CiliumRenderer cilium = CiliumRenderer.create();
  private final IstioRenderer istio = IstioRenderer.create();
  private ServiceGraph graph;
  private Topology topology;
  private Manifest ciliumManifest;
  private Manifest istioManifest;
  private Manifest manifest;
  private Manifest changedManifest;

  /** Two versions of one ordinary service: a rollout's pod label, on and off. */
  private Service[] versions;

  private int flip;

  @Setup
  public void setUp() {
    graph =
        SyntheticGraph.generate(
            SyntheticGraph.Options.of(services, Math.max(1, services / 250), 3, 1));
    topology = graph.resolve().orThrow();
    ciliumManifest = cilium.render(topology);
    istioManifest = istio.render(topology);
    manifest = ciliumManifest.plus(istioManifest);
    Service s = topology.services().get(services / 2);
    Map<String, String> selector = new LinkedHashMap<>(s.selector());
    selector.put("version", "v2");
    Service changed = rebuild(s, selector, !s.allowPeerTraffic());
    versions = new Service[] {changed, s};
    Topology next = topology.update(List.of(changed), List.of()).topology();
    changedManifest = cilium.render(next).plus(istio.render(next));
  }

  private static Service rebuild(Service s, Map<String, String> selector, boolean peer) {
    return Service.builder()
        .namespace(s.namespace())
        .name(s.name())
        .selector(selector)
        .serviceAccount(s.serviceAccount())
        .addAllPorts(s.ports())
        .mesh(s.mesh())
        .allowPeerTraffic(peer)
        .addAllDeclarations(s.declarations())
        .addAllEgress(s.egress())
        .build();
  }

  @Benchmark
  public Topology resolve() {
    Topology t = graph.resolve();
    t.hasErrors();
    return t;
  }

  @Benchmark
  public Manifest renderCilium() {
    return cilium.render(topology);
  }

  @Benchmark
  public Manifest renderIstio() {
    return istio.render(topology);
  }

  /** The YAML stream as UTF-8 bytes, the way the CLI and the scale harness write it. */
  @Benchmark
  public void serialiseYaml(Blackhole bh) {
    OutputStream sink = OutputStream.nullOutputStream();
    manifest.writeYaml(sink);
    bh.consume(sink);
  }

  /** The YAML stream through a {@code Writer} (bytes decoded back into chars). */
  @Benchmark
  public void serialiseYamlToWriter(Blackhole bh) {
    Writer sink = Writer.nullWriter();
    manifest.writeYaml(sink);
    bh.consume(sink);
  }

  /** A full diff of two whole renders, one service apart. */
  @Benchmark
  public ManifestDiff diff() {
    return ManifestDiff.between(manifest, changedManifest);
  }

  /**
   * One service changes (its pod label and peer traffic, so the scraper's policy changes too):
   * Topology.update, both layers' update() and their diffs, from the same starting point.
   */
  @Benchmark
  public ManifestUpdate incrementalUpdateHub() {
    TopologyUpdate u = topology.update(List.of(versions[0]), List.of());
    cilium.update(ciliumManifest, u);
    return istio.update(istioManifest, u);
  }

  /** One service toggles peer traffic only: the common change, which the scraper does not see. */
  @Benchmark
  public ManifestUpdate incrementalUpdate() {
    Service s = versions[1];
    boolean peer = (flip++ & 1) == 0 ? !s.allowPeerTraffic() : s.allowPeerTraffic();
    Service changed = rebuild(s, s.selector(), peer);
    TopologyUpdate u = topology.update(List.of(changed), List.of());
    cilium.update(ciliumManifest, u);
    return istio.update(istioManifest, u);
  }
}
