package dev.lattice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.graph.Topology;
import dev.lattice.spec.Specs;
import dev.lattice.verify.Verifier;
import dev.lattice.verify.replay.Replay;
import dev.lattice.verify.replay.ReplayResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ReplayLog}: the plain progress lines of a replay whose stderr is not a terminal, at most
 * one every ten seconds and none before the first ten; none at all with {@code --quiet}. The clock
 * is a counter the test moves, so nothing here depends on time.
 */
class ReplayLogTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
  private final AtomicLong now = new AtomicLong(1_000 * SECOND);

  private List<String> lines() {
    String s = bytes.toString(StandardCharsets.UTF_8);
    return s.isEmpty() ? List.of() : List.of(s.split("\n"));
  }

  private ReplayLog log() {
    return new ReplayLog(err, "flows.json", now::get, 10 * SECOND);
  }

  @Test
  void aShortRunPrintsNothing() {
    ReplayLog log = log();
    for (int s = 1; s <= 9; s++) {
      now.addAndGet(SECOND);
      log.update(s * 100_000L, s * 60_000_000L, s * 40_000L);
    }
    assertThat(lines()).isEmpty();
  }

  @Test
  void aLongRunPrintsAPlainLineAtMostEveryTenSeconds() {
    ReplayLog log = log();
    now.addAndGet(12 * SECOND);
    log.update(2_400_000, 3_650_722_202L, 1_000_122);
    assertThat(lines())
        .containsExactly(
            "lattice: replaying flows.json: 2,400,000 lines (3.4 GiB) in 12s, 200,000 lines/s,"
                + " 1,000,122 connection attempts");
    // within ten seconds of that line: nothing more, however often it is told
    for (int s = 1; s <= 9; s++) {
      now.addAndGet(SECOND);
      log.update(2_400_000 + s, 3_650_722_202L, 1_000_122);
    }
    assertThat(lines()).hasSize(1);
    now.addAndGet(SECOND);
    log.update(4_400_000, 600L << 20, 1_800_000);
    assertThat(lines())
        .hasSize(2)
        .last()
        .isEqualTo(
            "lattice: replaying flows.json: 4,400,000 lines (600.0 MiB) in 22s, 200,000 lines/s,"
                + " 1,800,000 connection attempts");
    assertThat(String.join("\n", lines())).doesNotContain("\r").doesNotContain("\u001b");
  }

  @Test
  void aReplayTellsTheLogAtItsEnd(@TempDir Path root) throws Exception {
    Topology t = Specs.load(List.of(Fixtures.shop(root))).orThrow().resolve().orThrow();
    Verifier v = Verifier.of(t, Layers.cilium(t), Layers.istio(t));
    String block =
        ReplayCommandTest.syn("shop/web", "shop/api", 8080)
            + ReplayCommandTest.syn("data/db", "shop/web", 8080);
    byte[] flows = block.repeat(1_000).getBytes(StandardCharsets.UTF_8);
    // the replay's last report comes ten seconds after it started: one line
    ReplayLog log = log();
    Replay.Progress late =
        (lines, read, attempts) -> {
          now.addAndGet(10 * SECOND);
          log.update(lines, read, attempts);
        };
    ReplayResult r = Replay.of(v).progress(late).run(new ByteArrayInputStream(flows), "flows");
    assertThat(r.lines()).isEqualTo(2_000);
    assertThat(lines())
        .singleElement()
        .asString()
        .startsWith("lattice: replaying flows.json: 2,000 lines (")
        .endsWith(" in 10s, 200 lines/s, 2,000 connection attempts");
  }

  @Test
  void quietReplaysPrintNoProgressAndLogsGetPlainLines() {
    Io log = new Io(err, err, false);
    Progress display = Progress.manual(err);
    Replay.Progress quiet = ReplayCommand.progress(log, true, display, "flows.json");
    Replay.Progress onTerminal =
        ReplayCommand.progress(new Io(err, err, true), true, display, "flows.json");
    for (long n = 1; n <= 100; n++) {
      quiet.update(n * 1_000_000, n << 30, n * 400_000);
      onTerminal.update(n * 1_000_000, n << 30, n * 400_000);
    }
    display.tick();
    assertThat(lines()).isEmpty();
    assertThat(ReplayCommand.progress(log, false, display, "flows.json"))
        .isInstanceOf(ReplayLog.class);
  }

  @Test
  void quietIsAnOptionOfReplay(@TempDir Path root) throws Exception {
    Path specs = Fixtures.shop(root);
    Path flows = root.resolve("flows.json");
    Files.writeString(flows, ReplayCommandTest.syn("shop/web", "shop/api", 8080));
    assertThat(DiffCommandTest.lattice("replay", "--quiet", "--flows", flows, specs).exits(0).err())
        .isEmpty();
  }
}
