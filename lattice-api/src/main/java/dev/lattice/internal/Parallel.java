package dev.lattice.internal;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A pure function over a list, on the caller's thread and one more when the list is long and the
 * JVM has a second processor. The two threads claim blocks of {@value #BLOCK} items in turn (one
 * item can cost far more than another: a {@code "*"} caller pairs with every service that admits
 * it, and a hub's policy names every partner), and each result lands at its item's index, so the
 * result is the same as one thread's. Resolution uses it for the parts of a full resolution that
 * read the state but never write it (building the nodes, each service's pair results, the index
 * fills and the waypoints); the renderers for their per-service policies.
 *
 * <p>Two callers at once (the two layers of {@code Manifest.both}) make four threads on two cores;
 * since the blocks are claimed as each thread gets to them, the layer that ends first stops
 * competing and the other one's two threads take both cores.
 */
public final class Parallel {
  /** Below this many items, a second thread costs more than it saves. */
  public static final int MIN_ITEMS = 1024;

  private static final int BLOCK = 64;

  private Parallel() {}

  /**
   * {@code f} of each item, in the items' order. {@code f} must not write anything the other items
   * read. An exception of {@code f} is thrown here once both threads have stopped.
   */
  public static <T, R> Object[] map(List<T> items, Function<? super T, ? extends R> f) {
    return map(items, f, MIN_ITEMS);
  }

  /** {@link #map(List, Function)} with a second thread from {@code minItems} items on. */
  public static <T, R> Object[] map(
      List<T> items, Function<? super T, ? extends R> f, int minItems) {
    return map(items, () -> null, (none, item) -> f.apply(item), minItems);
  }

  /**
   * {@code f} of each item with a state of its thread's, in the items' order: each thread that
   * works on the list gets one {@code state.get()} (a cache the items of one thread share without
   * locks: the caller's thread gets its own too), and {@code f} must not write anything the other
   * thread reads, but that state. A second thread from {@code minItems} items on.
   */
  public static <S, T, R> Object[] map(
      List<T> items,
      Supplier<? extends S> state,
      BiFunction<? super S, ? super T, ? extends R> f,
      int minItems) {
    int n = items.size();
    Object[] out = new Object[n];
    if (n < minItems || Runtime.getRuntime().availableProcessors() < 2) {
      S mine = state.get();
      for (int i = 0; i < n; i++) {
        out[i] = f.apply(mine, items.get(i));
      }
      return out;
    }
    AtomicInteger next = new AtomicInteger();
    Throwable[] failure = new Throwable[1];
    Thread worker =
        new Thread(
            () -> {
              try {
                run(items, state.get(), f, out, next);
              } catch (RuntimeException | Error e) {
                failure[0] = e;
              }
            },
            "lattice-parallel");
    worker.setDaemon(true);
    worker.start();
    Throwable mine = null;
    try {
      run(items, state.get(), f, out, next);
    } catch (RuntimeException | Error e) {
      mine = e;
      // the worker stops at its next block
      next.set(n);
    }
    Threads.joinUninterruptibly(worker);
    // join() orders the worker's writes (its results, its failure) before these reads
    Throwable thrown = mine != null ? mine : failure[0];
    Threads.rethrow(thrown);
    return out;
  }

  private static <S, T, R> void run(
      List<T> items,
      S state,
      BiFunction<? super S, ? super T, ? extends R> f,
      Object[] out,
      AtomicInteger next) {
    int n = items.size();
    // short lists (the tests force two threads on them) still interleave the threads' blocks
    int block = Math.max(1, Math.min(BLOCK, n / 16));
    while (true) {
      int from = next.getAndAdd(block);
      if (from >= n) {
        return;
      }
      for (int i = from, to = Math.min(n, from + block); i < to; i++) {
        out[i] = f.apply(state, items.get(i));
      }
    }
  }
}
