package dev.lattice.benchmarks;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * Wall time, allocation and GC of one phase, read from the JVM's management beans.
 *
 * <ul>
 *   <li>Allocated bytes: {@code com.sun.management.ThreadMXBean#getTotalThreadAllocatedBytes},
 *       before and after: every thread's, those that start and end inside the phase included (the
 *       second layer's thread, the render's and the resolver's second threads, the YAML writer's).
 *       Until stop 24 this summed the threads alive at each reading, and lost those.
 *   <li>CPU: the process's CPU time (every thread: the phase, the GC and the JIT compiler) and the
 *       measuring thread's own. On a shared machine these move less with the load than wall time
 *       does, so A/B comparisons of a change read them.
 *   <li>GC: collection counts and accumulated times of every {@code GarbageCollectorMXBean}.
 *   <li>Peak heap: the sum of the peak usage of each heap memory pool since {@link #resetPeaks()}.
 *       Pools peak at different moments, so this is an upper bound of the real peak; {@code -Xmx}
 *       is the hard proof.
 * </ul>
 */
final class Meter {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  static {
    if (THREADS.isThreadAllocatedMemorySupported()) {
      THREADS.setThreadAllocatedMemoryEnabled(true);
    }
  }

  /** One reading. */
  record Reading(
      long nanos,
      long allocated,
      long gcCount,
      long gcMillis,
      long processCpuNanos,
      long threadCpuNanos) {
    /** What happened between {@code start} and this reading. */
    Reading minus(Reading start) {
      return new Reading(
          nanos - start.nanos,
          allocated - start.allocated,
          gcCount - start.gcCount,
          gcMillis - start.gcMillis,
          processCpuNanos - start.processCpuNanos,
          threadCpuNanos - start.threadCpuNanos);
    }

    double millis() {
      return nanos / 1e6;
    }

    double processCpuMillis() {
      return processCpuNanos / 1e6;
    }

    double threadCpuMillis() {
      return threadCpuNanos / 1e6;
    }
  }

  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private Meter() {}

  static Reading read() {
    long gcCount = 0;
    long gcMillis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      gcCount += Math.max(0, gc.getCollectionCount());
      gcMillis += Math.max(0, gc.getCollectionTime());
    }
    return new Reading(
        System.nanoTime(),
        allocated(),
        gcCount,
        gcMillis,
        OS.getProcessCpuTime(),
        THREADS.getCurrentThreadCpuTime());
  }

  /**
   * A reading of the calling thread alone: wall time, its own allocation and CPU (in both CPU
   * fields), no GC counts; for work that runs on a thread of its own beside another.
   */
  static Reading readThread() {
    long allocated =
        THREADS.isThreadAllocatedMemorySupported() ? THREADS.getCurrentThreadAllocatedBytes() : -1;
    long cpu = THREADS.getCurrentThreadCpuTime();
    return new Reading(System.nanoTime(), allocated, 0, 0, cpu, cpu);
  }

  /**
   * Bytes allocated so far by every thread, ended ones included; where the JVM cannot say that, by
   * the threads alive now; -1 when it cannot say either.
   */
  static long allocated() {
    if (!THREADS.isThreadAllocatedMemorySupported()) {
      return -1;
    }
    long total = THREADS.getTotalThreadAllocatedBytes();
    if (total >= 0) {
      return total;
    }
    long sum = 0;
    for (long a : THREADS.getThreadAllocatedBytes(THREADS.getAllThreadIds())) {
      if (a > 0) {
        sum += a;
      }
    }
    return sum;
  }

  static void resetPeaks() {
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        p.resetPeakUsage();
      }
    }
  }

  /** The sum of the heap pools' peak usage since {@link #resetPeaks()}. */
  static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
        sum += p.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  /** Heap in use after a full collection: what the objects still reachable take. */
  static long liveHeap() {
    System.gc();
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  static long maxHeap() {
    return Runtime.getRuntime().maxMemory();
  }
}
