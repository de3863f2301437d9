package dev.lattice.cli;

import dev.lattice.verify.replay.Replay;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A long replay's progress for a log, when stderr is not a terminal (a CI job, a file): a plain
 * line at most every {@link #INTERVAL_SECONDS} seconds, the first only once that long has passed,
 * so short runs print nothing. Each line says how many lines were read, at what rate, and how many
 * connection attempts they held.
 *
 * <pre>
 * lattice: replaying flows.json: 2,400,000 lines (3.4 GiB) in 10s, 240,000 lines/s, 1,000,122
 *     connection attempts
 * </pre>
 *
 * <p>The clock is a parameter, so tests drive it without waiting.
 */
final class ReplayLog implements Replay.Progress {
  /** The least time between two lines, and before the first. */
  static final long INTERVAL_SECONDS = 10;

  private final PrintStream err;
  private final String source;
  private final LongSupplier nanos;
  private final long interval;
  private final long start;
  private long last;

  /**
   * A log of the replay of {@code source} on {@code err}, reading the time from {@code nanos} (as
   * {@link System#nanoTime()} gives it), a line at most every {@code intervalNanos}.
   */
  ReplayLog(PrintStream err, String source, LongSupplier nanos, long intervalNanos) {
    this.err = Objects.requireNonNull(err, "err");
    this.source = Objects.requireNonNull(source, "source");
    this.nanos = Objects.requireNonNull(nanos, "nanos");
    if (intervalNanos <= 0) {
      throw new IllegalArgumentException("interval must be positive, got " + intervalNanos);
    }
    this.interval = intervalNanos;
    this.start = nanos.getAsLong();
    this.last = start;
  }

  /** The log of {@code source} on {@code err}, by the system clock, every ten seconds at most. */
  static ReplayLog of(PrintStream err, String source) {
    return new ReplayLog(err, source, System::nanoTime, TimeUnit.SECONDS.toNanos(INTERVAL_SECONDS));
  }

  @Override
  public void update(long lines, long bytes, long attempts) {
    long now = nanos.getAsLong();
    if (now - last < interval) {
      return;
    }
    last = now;
    double seconds = (now - start) / 1e9;
    err.println(
        String.format(
            Locale.ROOT,
            "lattice: replaying %s: %,d lines (%s) in %ds, %,d lines/s, %,d connection attempts",
            source,
            lines,
            size(bytes),
            Math.round(seconds),
            Math.round(lines / seconds),
            attempts));
    err.flush();
  }

  private static String size(long bytes) {
    if (bytes >= 1L << 30) {
      return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
  }
}
