package dev.lattice.verify.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.cilium.CiliumRenderer;
import dev.lattice.graph.Topology;
import dev.lattice.istio.IstioRenderer;
import dev.lattice.spec.Specs;
import dev.lattice.verify.Verifier;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The replay's scale harness (test scope): generates {@code --lines N} Hubble flow lines over the
 * specs at {@code --specs DIR} (default: the example spec repository) and either replays them in
 * this JVM (a block of 20,000 distinct lines made beforehand off the heap, replayed in a loop),
 * printing one JSON line with the throughput (per second and per CPU second of the replaying
 * thread, which is steadier on a shared machine) and the peak heap, or writes them to {@code --out
 * FILE} ({@code -} for stdout, to pipe into {@code lattice replay --flows -}).
 *
 * <pre>{@code
 * mvn -B -q -pl lattice-verify -am test-compile
 * mvn -B -q -pl lattice-verify dependency:build-classpath -Dmdep.outputFile=cp.txt
 * java -Xmx64m -cp lattice-verify/target/test-classes:lattice-verify/target/classes:$(cat cp.txt) \
 *     dev.lattice.verify.replay.ReplayScale --lines 10000000
 * }</pre>
 */
public final class ReplayScale {
  private ReplayScale() {}

  private static final int BLOCK_LINES = 20_000;

  private static ByteBuffer block(Topology t, long lines, long seed) throws IOException {
    ByteBuffer direct = ByteBuffer.allocateDirect((int) lines * 2048);
    byte[] chunk = new byte[1 << 16];
    try (InputStream in = new FlowGenerator(t, lines, seed)) {
      int n;
      while ((n = in.read(chunk, 0, chunk.length)) > 0) {
        if (direct.remaining() < n) {
          ByteBuffer bigger = ByteBuffer.allocateDirect(direct.capacity() * 2);
          direct.flip();
          bigger.put(direct);
          direct = bigger;
        }
        direct.put(chunk, 0, n);
      }
    }
    return direct.flip();
  }

  /** {@code lines} lines: the block's lines again and again. */
  private static final class Cycle extends InputStream {
    private final ByteBuffer block;
    private final long lines;
    private long emitted;

    Cycle(ByteBuffer block, long lines) {
      this.block = block.duplicate();
      this.lines = lines;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (emitted >= lines) {
        return -1;
      }
      if (!block.hasRemaining()) {
        block.rewind();
      }
      int n = Math.min(len, block.remaining());
      block.get(b, off, n);
      for (int i = off; i < off + n; i++) {
        if (b[i] == '\n' && ++emitted == lines) {
          return i - off + 1;
        }
      }
      return n;
    }
  }

  /** Runs the harness; exit code 2 on bad arguments. */
  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    long lines = 1_000_000;
    long seed = 1;
    Path specs = Path.of("lattice-examples/specs/storefront");
    String file = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (i + 1 >= args.length) {
        err.println("replay-scale: " + a + " needs a value");
        return 2;
      }
      String v = args[++i];
      switch (a) {
        case "--lines":
          lines = Long.parseLong(v);
          break;
        case "--seed":
          seed = Long.parseLong(v);
          break;
        case "--specs":
          specs = Path.of(v);
          break;
        case "--out":
          file = v;
          break;
        default:
          err.println("replay-scale: unknown option " + a);
          return 2;
      }
    }
    if (!Files.isDirectory(specs)) {
      specs = Path.of("..").resolve(specs);
    }
    Topology t = Specs.load(List.of(specs)).orThrow().resolve().orThrow();
    if (file != null) {
      try (InputStream in = new FlowGenerator(t, lines, seed);
          OutputStream o =
              new BufferedOutputStream(
                  file.equals("-") ? out : Files.newOutputStream(Path.of(file)), 1 << 16)) {
        in.transferTo(o);
      }
      return 0;
    }
    Verifier v =
        Verifier.of(t, CiliumRenderer.create().render(t), IstioRenderer.create().render(t));
    // the flows are made beforehand, off the heap: a block of distinct lines, replayed in a loop
    // (line numbers go on), so the heap and the CPU time measured are the replay's own
    ByteBuffer block = block(t, Math.min(lines, BLOCK_LINES), seed);
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      p.resetPeakUsage();
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpu = threads.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    long[] bytes = new long[1];
    ReplayResult r;
    try (InputStream in = new Cycle(block, lines)) {
      r = Replay.of(v).progress((l, b, a) -> bytes[0] = b).run(in, "generated");
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpu) / 1e9;
    long peak = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        peak += p.getPeakUsage().getUsed();
      }
    }
    ObjectNode j = new ObjectMapper().createObjectNode();
    j.put("lines", r.lines());
    j.put("bytes", bytes[0]);
    j.put("attempts", r.attempts());
    j.put("seconds", Math.round(seconds * 100) / 100.0);
    j.put("cpu_seconds", Math.round(cpuSeconds * 100) / 100.0);
    j.put("lines_per_second", Math.round(r.lines() / seconds));
    j.put("lines_per_cpu_second", Math.round(r.lines() / cpuSeconds));
    j.put("mib_per_cpu_second", Math.round(bytes[0] / cpuSeconds / (1 << 20) * 10) / 10.0);
    j.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
    j.put("peak_heap_bytes", peak);
    j.put("allowed", r.allowed().size());
    j.put("dropped", r.dropped().size());
    j.put("undeclared", r.undeclared().size());
    j.put("unused", r.unused().size());
    out.println(j);
    return 0;
  }
}
