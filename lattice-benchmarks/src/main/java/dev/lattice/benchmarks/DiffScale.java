package dev.lattice.benchmarks;

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
import dev.lattice.verify.Verifier;
import dev.lattice.verify.diff.ConnectivityDiff;
import dev.lattice.verify.diff.DiffReport;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The cost of {@code lattice diff} ({@link ConnectivityDiff#between}) on a one-service change of
 * the {@link SyntheticGraph} of {@code --services N} (about 40 services a namespace, degree 3):
 * renders and judges both sides, diffs them, and prints one JSON line with the process CPU time
 * (every thread: the diff judges callers in parallel; GC and the JIT included) and the wall time of
 * each phase, and the changes found. {@code --exhaustive} also runs {@link
 * ConnectivityDiff#exhaustive} (every pair judged, on fresh verifiers) and says whether it found
 * the same report.
 *
 * <p>The changes ({@code --change}): {@code edge} (default) — a service starts calling another of
 * its namespace, which admits it (two specs change, as in most pull requests); {@code port} — a
 * service gains a port.
 *
 * <pre>{@code
 * mvn -B -q -pl lattice-benchmarks -am package -DskipTests
 * java -Xmx4g -cp lattice-benchmarks/target/benchmarks.jar dev.lattice.benchmarks.DiffScale \
 *     --services 2000 [--change edge|port] [--seed N] [--exhaustive]
 * }</pre>
 */
public final class DiffScale {
  private DiffScale() {}

  /** Runs the harness; exit code 2 on bad arguments. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    int services = 121;
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
      try {
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
      } catch (NumberFormatException e) {
        err.println("diff-scale: " + a + " takes a whole number, got " + v);
        return 2;
      }
    }
    if (!List.of("edge", "port").contains(change) || services < 3) {
      err.println("diff-scale: --change is edge or port, --services at least 3");
      return 2;
    }
    ObjectNode j = new ObjectMapper().createObjectNode();
    ServiceGraph before =
        SyntheticGraph.generate(
            SyntheticGraph.Options.of(services, Math.max(1, services / 40), 3, seed));
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
          "same_report",
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

  /**
   * {@code g} after the one-service change {@code what} of an application service picked by {@code
   * seed}: a port added, or a call to a service of its namespace (same mesh mode) that it does not
   * declare yet, declared by both.
   */
  static ServiceGraph change(ServiceGraph g, String what, long seed) {
    List<Service> services = new ArrayList<>(g.services());
    List<Service> apps = new ArrayList<>();
    for (Service s : services) {
      if (s.name().startsWith("svc-")) {
        apps.add(s);
      }
    }
    Service caller = apps.get(Math.floorMod(seed * 7919, apps.size()));
    if (what.equals("port")) {
      replace(
          services,
          caller,
          Edits.copy(caller, caller.selector(), caller.declarations(), caller.allowPeerTraffic())
              .addPorts(Port.builder().name("admin").port(8443).build())
              .build());
      return ServiceGraph.of(services);
    }
    Service callee = null;
    for (Service c : apps) {
      boolean declared =
          caller.declarations().stream()
              .anyMatch(
                  d ->
                      !d.peer().isWildcard()
                          && d.peer().resolve(caller.namespace()).equals(c.id()));
      if (c != caller
          && c.namespace().equals(caller.namespace())
          && c.isAmbient() == caller.isAmbient()
          && !declared) {
        callee = c;
        break;
      }
    }
    if (callee == null) {
      throw new IllegalStateException("no callee for " + caller.id());
    }
    replace(services, caller, declaring(caller, callee, Direction.OUTBOUND));
    replace(services, callee, declaring(callee, caller, Direction.INBOUND));
    return ServiceGraph.of(services);
  }

  private static Service declaring(Service s, Service peer, Direction direction) {
    List<Declaration> declarations = new ArrayList<>(s.declarations());
    declarations.add(
        Declaration.builder().peer(PeerRef.named(peer.name())).direction(direction).build());
    return Edits.copy(s, s.selector(), declarations, s.allowPeerTraffic()).build();
  }

  private static void replace(List<Service> services, Service old, Service now) {
    services.set(services.indexOf(old), now);
  }
}
