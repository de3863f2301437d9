package dev.lattice.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A one-line progress display on stderr for long runs: what the command is doing and for how long,
 * redrawn in place. Only when stderr is a terminal (never in a pipe, a file or a CI log), and only
 * once a run has taken {@link #DELAY_MS} ms, so quick runs print nothing. {@link #clear()} erases
 * the line before anything else is printed.
 */
final class Progress implements AutoCloseable {
  /** How long a run goes before the line appears. */
  static final long DELAY_MS = 700;

  private static final long TICK_MS = 250;

  /** Carriage return and ANSI "erase to end of line": the line is redrawn, never scrolled. */
  static final String ERASE = "\r\u001b[K";

  private static final Progress OFF = new Progress(null, 0);

  private final PrintStream err;
  private final long start;
  private ScheduledExecutorService ticker;
  private String phase;
  private boolean shown;

  private Progress(PrintStream err, long start) {
    this.err = err;
    this.start = start;
  }

  /** A display that shows nothing. */
  static Progress off() {
    return OFF;
  }

  /**
   * The display for {@code io}: on stderr, redrawn by a daemon thread, when stderr is a terminal;
   * else {@link #off()}.
   */
  static Progress of(Io io) {
    if (!io.errIsTerminal()) {
      return OFF;
    }
    Progress p = new Progress(io.err(), System.nanoTime());
    p.ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "lattice-progress");
              t.setDaemon(true);
              return t;
            });
    p.ticker.scheduleAtFixedRate(p::tick, DELAY_MS, TICK_MS, TimeUnit.MILLISECONDS);
    return p;
  }

  /** A display drawn only by explicit {@link #tick()} calls: for tests. */
  static Progress manual(PrintStream err) {
    return new Progress(err, System.nanoTime());
  }

  /** Says what the run is doing now. */
  synchronized void phase(String what) {
    if (err != null) {
      phase = what;
    }
  }

  /** Redraws the line. */
  synchronized void tick() {
    if (err == null || phase == null) {
      return;
    }
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
    err.print(ERASE + "lattice: " + phase + "... " + seconds + "s");
    err.flush();
    shown = true;
  }

  /** Erases the line and stops redrawing it; later phases start it again. */
  synchronized void clear() {
    if (err == null) {
      return;
    }
    phase = null;
    if (shown) {
      err.print(ERASE);
      err.flush();
      shown = false;
    }
  }

  /** Erases the line and stops the display for good. */
  @Override
  public void close() {
    stop();
  }

  /** Erases the line and stops the display for good; the same as {@link #close()}. */
  void stop() {
    if (ticker != null) {
      ticker.shutdownNow();
    }
    clear();
  }

  /**
   * Whether this process's stderr is a terminal. The {@code lattice.progress} system property
   * decides when set (the {@code ./lattice} script sets it from {@code [ -t 2 ]}); otherwise, on
   * Linux, where file descriptor 2 points; elsewhere, whether the JVM has a console at all.
   */
  static boolean stderrIsTerminal() {
    String forced = System.getProperty("lattice.progress");
    if (forced != null && !forced.isBlank()) {
      return Boolean.parseBoolean(forced.trim());
    }
    if ("dumb".equals(System.getenv("TERM"))) {
      return false;
    }
    Path fd2 = Path.of("/proc/self/fd/2");
    if (Files.exists(fd2, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      try {
        String target = Files.readSymbolicLink(fd2).toString().toLowerCase(Locale.ROOT);
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
      } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
        return false;
      }
    }
    return System.console() != null;
  }
}
