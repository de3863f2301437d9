package dev.lattice.verify.diff;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.cilium.CiliumRenderer;
import dev.lattice.graph.ServiceGraph;
import dev.lattice.graph.Topology;
import dev.lattice.istio.IstioRenderer;
import dev.lattice.model.Declaration;
import dev.lattice.model.Direction;
import dev.lattice.model.PeerRef;
import dev.lattice.model.Port;
import dev.lattice.model.Service;
import dev.lattice.output.Manifest;
import dev.lattice.testing.Graphs;
import dev.lattice.verify.Verifier;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The diff's scale harness (test scope): generates a platform repository of {@code --services N}
 * ({@link PlatformGraph}), makes a one-service change to it, renders and judges both sides, and
 * diffs them, printing one JSON line with the process CPU time (every thread: the diff judges rows
 * in parallel; GC and the JIT included) and the wall time of each phase, and the changes found.
 * {@code --exhaustive} also runs the exhaustive diff (every pair judged) and checks that it finds
 * the same changes.
 *
 * <p>The changes ({@code --change}): {@code edge} (default) — a service starts calling another of
 * its namespace, which admits it (two specs change, as in most pull requests); {@code port} — a
 * service gains a port.
 *
 * <pre>{@code
 * mvn -B -q -pl lattice-verify -am test-compile
 * mvn -B -q -pl lattice-verify dependency:build-classpath -Dmdep.outputFile=cp.txt
 * java -Xmx4g -cp lattice-verify/target/test-classes:lattice-verify/target/classes:$(cat cp.txt) \
 *     dev.lattice.verify.diff.DiffScale --services 2000 [--change edge|port] [--exhaustive]
 * }</pre>
 */
public final class DiffScale {
  private DiffScale() {}

  /** Runs the harness; exit code 2 on bad arguments. */
  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    int services = 100;
    long seed = 1;
    String change = "edge";
    boolean exhaustive = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--exhaustive")) {
        exhaustive = true;
        continue;
      }
      if (i + 1 >= args.length) {
        err.println("diff-scale: " + a + " needs a value");
        return 2;
      }
      String v = args[++i];
      switch (a) {
        case "--services":
          services = Integer.parseInt(v);
          break;
        case "--seed":
          seed = Long.parseLong(v);
          break;
        case "--change":
          change = v;
          break;
        default:
          err.println("diff-scale: unknown option " + a);
          return 2;
      }
    }
    if (!List.of("edge", "port").contains(change)) {
      err.println("diff-scale: --change is edge or port, got " + change);
      return 2;
    }
    ObjectNode j = new ObjectMapper().createObjectNode();
    ServiceGraph before = PlatformGraph.generate(services, seed);
    ServiceGraph after = change(before, change, seed);
    Topology[] t = new Topology[2];
    Manifest[][] m = new Manifest[2][];
    measure(
        j,
        "render",
        () -> {
          t[0] = before.resolve().orThrow();
          t[1] = after.resolve().orThrow();
          m[0] = render(t[0]);
          m[1] = render(t[1]);
          return null;
        });
    j.put("services", t[0].services().size());
    j.put("agreements", t[0].agreements().size());
    j.put("change", change);
    Verifier[] v =
        measure(j, "verifiers", () -> new Verifier[] {judge(t[0], m[0]), judge(t[1], m[1])});
    // what the change touches, alone (the diff works it out again)
    Affected touched = measure(j, "affected", () -> Affected.of(v[0], v[1]));
    if (System.getProperty("diffscale.debug") != null) {
      err.println(touched);
    }
    ConnectivityDiff fast = measure(j, "diff", () -> ConnectivityDiff.between(v[0], v[1]));
    j.put("changes", fast.changes().size());
    j.put("opened", fast.opened().size());
    j.put("closed", fast.closed().size());
    if (exhaustive) {
      // fresh verifiers: the first diff's verdicts are cached in its own
      Verifier[] w = {judge(t[0], m[0]), judge(t[1], m[1])};
      ConnectivityDiff full =
          measure(j, "exhaustive_diff", () -> ConnectivityDiff.exhaustive(w[0], w[1]));
      j.put(
          "same_changes",
          DiffReport.of(full).json().equals(DiffReport.of(fast).json())
              && DiffReport.of(full).text().equals(DiffReport.of(fast).text()));
    }
    out.println(j);
    return 0;
  }

  private static Manifest[] render(Topology t) {
    return new Manifest[] {CiliumRenderer.create().render(t), IstioRenderer.create().render(t)};
  }

  private static Verifier judge(Topology t, Manifest[] m) {
    return Verifier.of(t, m[0], m[1]);
  }

  private static <T> T measure(ObjectNode j, String phase, Supplier<T> work) {
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu = os.getProcessCpuTime();
    long start = System.nanoTime();
    T r = work.get();
    j.put(phase + "_cpu_seconds", Math.round((os.getProcessCpuTime() - cpu) / 1e7) / 100.0);
    j.put(phase + "_seconds", Math.round((System.nanoTime() - start) / 1e7) / 100.0);
    return r;
  }

  /** {@code g} after the one-service change {@code what}. */
  static ServiceGraph change(ServiceGraph g, String what, long seed) {
    List<Service> services = new ArrayList<>(g.services());
    int apps = services.size() - 1;
    int n = services.size();
    // the services sort by namespace and name; find the generator's service i and a neighbour
    int i = (int) Math.floorMod(seed * 7919, apps);
    String ns = PlatformGraph.namespaceOf(i, n);
    Service caller = find(services, ns, PlatformGraph.nameOf(i));
    if (what.equals("port")) {
      replace(
          services,
          caller,
          Graphs.edit(caller, d -> d.ports.add(Port.builder().name("admin").port(8443).build())));
      return ServiceGraph.of(services);
    }
    int namespaces = Math.max(1, n / 40);
    Service callee = null;
    List<Integer> members = new ArrayList<>();
    for (int k = i % namespaces; k < apps; k += namespaces) {
      members.add(k);
    }
    int at = members.indexOf(i);
    for (int step = 1; step < members.size() && callee == null; step++) {
      int k = members.get((at + step) % members.size());
      Service c = find(services, ns, PlatformGraph.nameOf(k));
      boolean declared =
          caller.declarations().stream()
              .anyMatch(d -> d.peer().resolve(ns).equals(c.id()) && !d.peer().isWildcard());
      if (!declared && c.isAmbient() == caller.isAmbient()) {
        callee = c;
      }
    }
    if (callee == null) {
      throw new IllegalStateException("no callee for " + caller.id());
    }
    Service to = callee;
    replace(
        services,
        caller,
        Graphs.edit(
            caller,
            d ->
                d.declarations.add(
                    Declaration.builder()
                        .peer(PeerRef.named(to.name()))
                        .direction(Direction.OUTBOUND)
                        .build())));
    replace(
        services,
        to,
        Graphs.edit(
            to,
            d ->
                d.declarations.add(
                    Declaration.builder()
                        .peer(PeerRef.named(caller.name()))
                        .direction(Direction.INBOUND)
                        .build())));
    return ServiceGraph.of(services);
  }

  private static Service find(List<Service> services, String ns, String name) {
    return services.stream()
        .filter(s -> s.namespace().equals(ns) && s.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static void replace(List<Service> services, Service old, Service now) {
    services.set(services.indexOf(old), now);
  }
}
