package dev.lattice.internal;

/** The second threads of a render, a resolution or a write: started and joined the same way. */
public final class Threads {
  private Threads() {}

  /**
   * Waits for {@code worker} to end, whatever interrupts arrive meanwhile (the caller's results
   * depend on the worker's), then restores the caller's interrupt status. A join orders the
   * worker's writes before the caller's next reads.
   */
  public static void joinUninterruptibly(Thread worker) {
    boolean interrupted = false;
    while (true) {
      try {
        worker.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Throws {@code thrown}, a worker's or the caller's {@code RuntimeException} or {@code Error},
   * unchanged; does nothing when it is null.
   */
  public static void rethrow(Throwable thrown) {
    if (thrown instanceof RuntimeException e) {
      throw e;
    }
    if (thrown instanceof Error e) {
      throw e;
    }
  }
}
