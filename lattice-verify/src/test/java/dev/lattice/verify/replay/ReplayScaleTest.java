package dev.lattice.verify.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replay's scale harness runs at a small size so it cannot rot: one JSON line whose counts make
 * sense (no timing is asserted), and the file it writes replays to the same result.
 */
class ReplayScaleTest {
  @Test
  void replaysGeneratedFlowsAndPrintsOneJsonLine(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        ReplayScale.run(
            new String[] {"--lines", "5000", "--seed", "3"},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    JsonNode j = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    assertThat(j.get("lines").asLong()).isEqualTo(5_000);
    // per connection: a lookup, the SYN at both nodes, the reply, maybe an established packet
    assertThat(j.get("attempts").asLong()).isBetween(5_000L * 2 / 5, 5_000L * 3 / 4);
    assertThat(j.get("allowed").asInt()).isPositive();
    assertThat(j.get("undeclared").asInt()).isPositive();
    assertThat(j.get("peak_heap_bytes").asLong()).isPositive();

    Path file = dir.resolve("flows.json");
    assertThat(
            ReplayScale.run(
                new String[] {"--lines", "5000", "--seed", "3", "--out", file.toString()},
                System.out,
                System.err))
        .isZero();
    assertThat(Files.readAllLines(file)).hasSize(5_000);
  }
}
