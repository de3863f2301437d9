package dev.lattice.verify.replay;

import dev.lattice.verify.Verifier;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Replays observed traffic against rendered policies: reads a Hubble flow export ({@code hubble
 * observe -o json}, one {@code {"flow": {...}}} per line) as a stream, keeps every connection
 * attempt (not replies, not the later packets of a connection), maps both ends to the declared
 * services by their pods' labels and namespace — as the rendered selectors see them — and asks the
 * {@link Verifier} whether each layer would let it through.
 *
 * <pre>{@code
 * Verifier verifier = Verifier.of(topology, cilium, istio);
 * try (InputStream in = Files.newInputStream(Path.of("flows.json"))) {
 *   ReplayResult r = Replay.of(verifier).run(in, "flows.json");
 *   r.dropped().forEach(o -> System.out.println("would drop " + o));
 * }
 * }</pre>
 *
 * <p>Memory is bounded by the number of distinct connections (caller, callee, port[, request]), not
 * by the number of flows: each is judged once and counted. Past {@value #MAX_CONNECTIONS} distinct
 * ones (or {@value #MAX_REQUESTS} distinct HTTP requests) further new ones are counted under {@link
 * ReplayResult#skipped()} instead of itemised. Flows whose ends the graph does not declare are
 * reported under {@link ReplayResult#outside()}, never guessed. A line that is not a Hubble flow
 * stops the replay with a {@link FlowFormatException} naming the line.
 *
 * <p>Between two ambient pods Cilium (and so Hubble) sees only the HBONE port 15008; such a flow is
 * judged against every TCP port of the callee (allowed when one is), and hops to or from a waypoint
 * are stepped over, since the waypoint hides the other end (SEMANTICS M1, M2).
 */
public final class Replay {
  /** How many distinct connections are itemised at most. */
  public static final int MAX_CONNECTIONS = 100_000;

  /** How many distinct HTTP requests (method, path) are itemised at most. */
  public static final int MAX_REQUESTS = 10_000;

  private static final int PROGRESS_EVERY = 100_000;

  /** Told of the replay's progress every 100,000 lines, and once at the end. */
  @FunctionalInterface
  public interface Progress {
    /** {@code lines} read so far, {@code bytes} of them, {@code attempts} among their flows. */
    void update(long lines, long bytes, long attempts);
  }

  private final Verifier verifier;
  private final Progress progress;

  private Replay(Verifier verifier, Progress progress) {
    this.verifier = verifier;
    this.progress = progress;
  }

  /** A replay against the documents {@code verifier} judges. */
  public static Replay of(Verifier verifier) {
    return new Replay(Objects.requireNonNull(verifier, "verifier"), (l, b, a) -> {});
  }

  /** This replay, telling {@code progress} how far it got. */
  public Replay progress(Progress progress) {
    return new Replay(verifier, Objects.requireNonNull(progress, "progress"));
  }

  /**
   * Reads {@code in} to its end and judges every connection attempt in it.
   *
   * @param source the name of what is read, for messages ({@code flows.json}, {@code -})
   * @throws FlowFormatException at the first line that is not a Hubble flow
   * @throws IOException when {@code in} cannot be read
   */
  public ReplayResult run(InputStream in, String source) throws IOException {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(source, "source");
    Tally tally = new Tally(verifier.world());
    FlowLines lines = new FlowLines(in);
    FlowParser parser = new FlowParser(tally.parties::knows);
    Flow flow = new Flow();
    while (lines.next()) {
      long n = lines.number();
      if (n % PROGRESS_EVERY == 0) {
        progress.update(n, lines.bytesRead(), tally.attempts);
      }
      if (lines.tooLong()) {
        throw new FlowFormatException(
            source,
            n,
            0,
            "the line is longer than " + (FlowLines.MAX_LINE >> 20) + " MiB: not a Hubble flow");
      }
      if (lines.isBlank()) {
        continue;
      }
      try {
        parser.parse(lines.buffer(), lines.length(), flow);
      } catch (FlowParser.Problem p) {
        throw new FlowFormatException(source, n, p.column, p.getMessage());
      }
      if (!flow.isFlow) {
        tally.skip("events other than flows (" + flow.otherEvent + ")");
        continue;
      }
      tally.observe(flow, n);
    }
    progress.update(lines.number(), lines.bytesRead(), tally.attempts);
    return judge(tally, source, lines.number());
  }

  /** Judges each distinct connection {@code tally} counted, once, and reports what no flow used. */
  private ReplayResult judge(Tally tally, String source, long lines) {
    Findings findings = new Findings();
    Suggestions suggestions = new Suggestions();
    CallJudge calls = new CallJudge(verifier, suggestions, findings);
    BoundaryJudge boundary = new BoundaryJudge(verifier, suggestions, findings);
    tally.calls.forEach(
        (k, s) ->
            guarded(
                findings, () -> calls.call(k, s), k.from().toString(), k.to().toString(), k, s));
    tally.inbound.forEach(
        (k, s) ->
            guarded(
                findings,
                () -> boundary.inbound(k, s),
                k.source().name(),
                k.to().toString(),
                k,
                s));
    tally.outbound.forEach(
        (k, s) ->
            guarded(findings, () -> boundary.outbound(k, s), k.from().toString(), k.cls(), k, s));
    tally.others.forEach((k, s) -> findings.outside(k.from(), k.to(), k, s, k.reason()));
    calls.unused();
    boundary.unused(tally.outbound);
    calls.suggest();
    return findings.result(source, lines, tally);
  }

  /**
   * Runs {@code judging}; a connection the evaluators refuse to judge (a name under the cluster
   * domain seen as external, ...) is reported under outside with their reason, not thrown.
   */
  private static void guarded(
      Findings findings, Runnable judging, String from, String to, Connection k, Seen seen) {
    try {
      judging.run();
    } catch (IllegalArgumentException e) {
      findings.outside(from, to, k, seen, "not judged: " + e.getMessage());
    }
  }
}
