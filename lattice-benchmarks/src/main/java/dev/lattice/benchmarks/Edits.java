package dev.lattice.benchmarks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.cilium.CiliumRenderer;
import dev.lattice.graph.Topology;
import dev.lattice.graph.TopologyUpdate;
import dev.lattice.istio.IstioRenderer;
import dev.lattice.model.Declaration;
import dev.lattice.model.Direction;
import dev.lattice.model.Service;
import dev.lattice.output.Manifest;
import dev.lattice.output.ManifestUpdate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A controller's loop: one service changes, the topology updates, each layer re-renders what the
 * change touched and splices it into the manifest it applied, and the diff is what it applies. The
 * changes are the kinds a cluster sees all day: a new pod label (a rollout), a declaration dropped,
 * a declaration added, peer traffic switched on or off.
 */
final class Edits {
  /** The kinds of change, in the order {@link #change} picks them by number. */
  static final List<String> KINDS =
      List.of("selector", "drop-declaration", "add-declaration", "peer-traffic");

  private Edits() {}

  /** One change of {@code s}, of kind {@code kind}; null when that kind does not apply to it. */
  static Service change(Service s, int kind, Random random, Topology topology) {
    switch (kind) {
      case 0:
        Map<String, String> selector = new LinkedHashMap<>(s.selector());
        selector.put("version", "v" + random.nextInt(1000));
        return copy(s, selector, s.declarations(), s.allowPeerTraffic()).build();
      case 1:
        if (s.declarations().isEmpty()) {
          return null;
        }
        List<Declaration> kept = new ArrayList<>(s.declarations());
        kept.remove(random.nextInt(kept.size()));
        return copy(s, s.selector(), kept, s.allowPeerTraffic()).build();
      case 2:
        // a new outbound side toward a service of the same namespace: one-sided until the callee
        // admits it, so a warning, and the callee's view is touched
        List<Service> neighbours = topology.services(s.namespace());
        Service peer = neighbours.get(random.nextInt(neighbours.size()));
        if (peer.id().equals(s.id())) {
          return null;
        }
        return copy(s, s.selector(), s.declarations(), s.allowPeerTraffic())
            .addDeclarations(
                Declaration.builder()
                    .peer(dev.lattice.model.PeerRef.named(peer.name()))
                    .direction(Direction.OUTBOUND)
                    .build())
            .build();
      default:
        return copy(s, s.selector(), s.declarations(), !s.allowPeerTraffic()).build();
    }
  }

  /** A builder holding {@code s} with another selector, declarations and peer traffic. */
  static Service.Builder copy(
      Service s, Map<String, String> selector, List<Declaration> declarations, boolean peer) {
    Service.Builder b =
        Service.builder()
            .namespace(s.namespace())
            .name(s.name())
            .selector(selector)
            .serviceAccount(s.serviceAccount())
            .addAllPorts(s.ports())
            .mesh(s.mesh())
            .allowPeerTraffic(peer)
            .addAllDeclarations(declarations)
            .addAllEgress(s.egress());
    s.source().ifPresent(b::source);
    return b;
  }

  /**
   * Applies {@code count} random single-service changes in turn and reports the milliseconds of
   * each (update + both layers' update, diffs included): median, 90th percentile, max, and the
   * median number of resources a change upserts or deletes.
   */
  static ObjectNode measure(
      Topology topology, Manifest cilium, Manifest istio, int count, long seed) {
    Random random = new Random(seed * 31 + 7);
    CiliumRenderer c = CiliumRenderer.create();
    IstioRenderer i = IstioRenderer.create();
    if (cilium != null) {
      // a controller updates what its own renderer rendered: that render keeps the hubs' memos
      cilium = c.render(topology);
    }
    List<Service> all = new ArrayList<>(topology.services());
    // no warm-up: the first edits pay the JIT of the update path, as a controller's first
    // changes after a start do; the p90 over 100 edits includes them (conservative)
    List<Double> millis = new ArrayList<>();
    List<Double> cpuMillis = new ArrayList<>();
    long gcMillis = 0;
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    List<Integer> changes = new ArrayList<>();
    Map<String, List<Double>> byKind = new LinkedHashMap<>();
    Map<String, List<Double>> cpuByKind = new LinkedHashMap<>();
    int refused = 0;
    while (millis.size() < count) {
      int index = random.nextInt(all.size());
      Service s = all.get(index);
      int kind = random.nextInt(KINDS.size());
      Service changed = change(s, kind, random, topology);
      if (changed == null) {
        continue;
      }
      Meter.Reading r0 = Meter.read();
      long cpu0 = threads.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      TopologyUpdate u = topology.update(List.of(changed), List.of());
      if (u.topology().hasErrors()) {
        refused++;
        continue;
      }
      int changed0 = 0;
      if (cilium != null) {
        ManifestUpdate mu = c.update(cilium, u);
        cilium = mu.manifest();
        changed0 += mu.diff().upserts().size() + mu.diff().deletes().size();
      }
      if (istio != null) {
        ManifestUpdate mu = i.update(istio, u);
        istio = mu.manifest();
        changed0 += mu.diff().upserts().size() + mu.diff().deletes().size();
      }
      double ms = (System.nanoTime() - t0) / 1e6;
      double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e6;
      cpuMillis.add(cpu);
      cpuByKind.computeIfAbsent(KINDS.get(kind), k -> new ArrayList<>()).add(cpu);
      gcMillis += Meter.read().minus(r0).gcMillis();
      millis.add(ms);
      changes.add(changed0);
      byKind.computeIfAbsent(KINDS.get(kind), k -> new ArrayList<>()).add(ms);
      topology = u.topology();
      all.set(index, changed);
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("edits", count);
    out.put("median_ms", round(percentile(millis, 50)));
    out.put("p90_ms", round(percentile(millis, 90)));
    out.put("max_ms", round(percentile(millis, 100)));
    // the thread's own CPU: no GC pauses (other threads) and no waiting for a shared core
    out.put("median_cpu_ms", round(percentile(cpuMillis, 50)));
    out.put("p90_cpu_ms", round(percentile(cpuMillis, 90)));
    out.put("gc_ms_total", gcMillis);
    out.put("median_resources_changed", changes.stream().sorted().toList().get(changes.size() / 2));
    ObjectNode kinds = out.putObject("median_ms_by_kind");
    byKind.forEach((k, v) -> kinds.put(k, round(percentile(v, 50))));
    // the budget is on every kind of change: the p90 of each, not only of the mix
    ObjectNode p90s = out.putObject("p90_ms_by_kind");
    byKind.forEach((k, v) -> p90s.put(k, round(percentile(v, 90))));
    // and of each kind's thread CPU, which the load of a shared machine hardly moves
    ObjectNode cpuP90s = out.putObject("p90_cpu_ms_by_kind");
    cpuByKind.forEach((k, v) -> cpuP90s.put(k, round(percentile(v, 90))));
    out.put("refused", refused);
    return out;
  }

  static double percentile(List<Double> values, int p) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
