package dev.lattice.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lattice.graph.ServiceGraph;
import dev.lattice.graph.Topology;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The scale harness runs at a small size so it cannot rot: one JSON line whose counts make sense
 * (no timing is asserted), the neutral graph file read and written, and bad input refused with one
 * line and exit code 2.
 */
class ScaleTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void printsOneJsonLineWithSaneCounts() throws Exception {
    Run r =
        run(
            "--services",
            "200",
            "--namespaces",
            "4",
            "--degree",
            "3",
            "--seed",
            "7",
            "--edits",
            "5");
    assertThat(r.code).as(r.err).isZero();
    assertThat(r.out.lines().count()).isEqualTo(1);
    JsonNode j = JSON.readTree(r.out);
    assertThat(j.path("services").asInt()).isEqualTo(200);
    assertThat(j.path("namespaces").asInt()).isEqualTo(6); // 4, the scraper's and the collector's
    assertThat(j.path("agreements").asInt()).isBetween(450, 750);
    assertThat(j.path("documents").asInt()).isGreaterThan(200);
    assertThat(j.path("waypoints").asInt()).isPositive();
    assertThat(j.path("output_bytes").asLong()).isGreaterThan(100_000);
    for (String phase :
        List.of("resolve", "render_cilium", "render_istio", "merge", "serialise", "total")) {
      assertThat(j.path("ms").path(phase).isNumber()).as(phase).isTrue();
      assertThat(j.path("allocated_bytes").path(phase).isNumber()).as(phase).isTrue();
    }
    assertThat(j.path("peak_heap_bytes").asLong()).isPositive();
    assertThat(j.path("incremental").path("edits").asInt()).isEqualTo(5);
    assertThat(j.path("incremental").path("refused").asInt()).isZero();
  }

  @Test
  void concurrentLayersWriteTheSameBytesAndAccountForBothThreads(@TempDir Path dir)
      throws Exception {
    Path one = dir.resolve("sequential.yaml");
    Path two = dir.resolve("concurrent.yaml");
    JsonNode seq =
        JSON.readTree(
            run("--services", "300", "--seed", "5", "--sequential-layers", "--out", one.toString())
                .out);
    // concurrent is the default, as in lattice render
    JsonNode conc =
        JSON.readTree(run("--services", "300", "--seed", "5", "--out", two.toString()).out);
    assertThat(Files.readAllBytes(two)).isEqualTo(Files.readAllBytes(one));
    assertThat(seq.path("layers_concurrent").asBoolean()).isFalse();
    assertThat(conc.path("layers_concurrent").asBoolean()).isTrue();
    assertThat(conc.path("output_bytes").asLong()).isEqualTo(seq.path("output_bytes").asLong());
    // each layer measured on its own thread; the stage's allocation counts every thread's, the
    // Cilium thread's too, though it ended inside the stage
    JsonNode alloc = conc.path("allocated_bytes");
    assertThat(alloc.path("render_cilium").asLong()).isPositive();
    assertThat(alloc.path("render_istio").asLong()).isPositive();
    assertThat(alloc.path("render").asLong())
        .isGreaterThanOrEqualTo(
            alloc.path("render_cilium").asLong() + alloc.path("render_istio").asLong());
  }

  @Test
  void oneLayerRendersFewerDocuments() throws Exception {
    JsonNode all = JSON.readTree(run("--services", "100", "--seed", "3").out);
    JsonNode cilium =
        JSON.readTree(run("--services", "100", "--seed", "3", "--layer", "cilium").out);
    JsonNode istio = JSON.readTree(run("--services", "100", "--seed", "3", "--layer", "istio").out);
    assertThat(cilium.path("documents").asInt() + istio.path("documents").asInt())
        .isEqualTo(all.path("documents").asInt());
  }

  @Test
  void readsTheGraphItWrites(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("graph.json");
    Run first = run("--services", "150", "--seed", "5", "--write-graph", file.toString());
    assertThat(first.code).as(first.err).isZero();
    Run again = run("--graph", file.toString());
    assertThat(again.code).as(again.err).isZero();
    JsonNode j = JSON.readTree(again.out);
    assertThat(j.path("services").asInt()).isEqualTo(150);
    // every (caller, callee) pair of the file is one agreement
    JsonNode graph = JSON.readTree(file.toFile());
    long pairs =
        java.util.stream.StreamSupport.stream(graph.path("edges").spliterator(), false)
            .map(e -> e.path("from").asText() + ">" + e.path("to").asText())
            .distinct()
            .count();
    assertThat(j.path("agreements").asLong()).isEqualTo(pairs);
  }

  @Test
  void readsTheNeutralForm(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("g.json");
    Files.writeString(
        file,
        "{\"services\":[{\"namespace\":\"shop\",\"name\":\"web\",\"ports\":[8080]},"
            + "{\"namespace\":\"shop\",\"name\":\"api\",\"ports\":[8080,9090]},"
            + "{\"namespace\":\"data\",\"name\":\"db\",\"ports\":[5432]}],"
            + "\"edges\":[{\"from\":\"shop/web\",\"to\":\"shop/api\",\"port\":8080},"
            + "{\"from\":\"shop/api\",\"to\":\"data/db\",\"port\":5432}]}");
    ServiceGraph g = GraphFile.read(Files.newBufferedReader(file));
    Topology t = g.resolve();
    assertThat(t.hasErrors()).isFalse();
    assertThat(t.agreements()).hasSize(2);
    assertThat(t.agreements().get(1).ports()).extracting(p -> p.port()).containsExactly(8080);
    assertThat(t.diagnostics()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "--services x",
        "--services 2",
        "--services 100 --graph g.json",
        "--layer foo --services 10",
        "--degree -1 --services 10",
        "--services 10 --namespaces 20",
        "--bogus 1",
        "--services",
        "stray",
        "--graph does-not-exist.json"
      })
  void refusesBadArgumentsWithOneLine(String args) {
    Run r = run(args.isEmpty() ? new String[0] : args.split(" "));
    assertThat(r.code).isEqualTo(2);
    assertThat(r.out).isEmpty();
    assertThat(r.err.lines().count()).as(r.err).isEqualTo(1);
    assertThat(r.err).startsWith("scale: ").doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void printsItsHelpWithTheDefaultsFromTheAnnotations() {
    Run r = run("--help");
    assertThat(r.code).isZero();
    assertThat(r.err).isEmpty();
    assertThat(r.out)
        .startsWith("usage: Scale ")
        .contains("--services=N", "--degree=D", "(default 3)", "--layer=cilium|istio|all")
        .contains("(default all)", "exit codes:", "1   the graph does not resolve");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "not json",
        "[]",
        "{\"services\":{}}",
        "{\"services\":[{\"namespace\":\"a\"}]}",
        "{\"services\":[{\"namespace\":\"a\",\"name\":\"b\",\"ports\":[70000]}]}",
        "{\"services\":[{\"namespace\":\"a\",\"name\":\"b\",\"ports\":[80]}],"
            + "\"edges\":[{\"from\":\"a/b\",\"to\":\"a/c\",\"port\":80}]}",
        "{\"services\":[{\"namespace\":\"a\",\"name\":\"b\",\"ports\":[80]}],"
            + "\"edges\":[{\"from\":\"a/b\",\"to\":\"a/b\",\"port\":81}]}"
      })
  void refusesABadGraphFileWithOneLine(String content, @TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, content);
    Run r = run("--graph", file.toString());
    assertThat(r.code).isEqualTo(2);
    assertThat(r.err.lines().count()).as(r.err).isEqualTo(1);
    assertThat(r.err).contains("bad.json").doesNotContain("Exception");
  }

  @ParameterizedTest
  @ValueSource(ints = {3, 10, 257, 1000})
  void syntheticGraphsResolveWithoutErrors(int services) {
    for (double degree : new double[] {0, 1, 3, 8}) {
      Topology t =
          SyntheticGraph.generate(
                  SyntheticGraph.Options.of(
                      services, Math.max(1, services / 100), degree, services))
              .resolve();
      assertThat(t.hasErrors()).as(t.diagnostics().toString()).isFalse();
      assertThat(t.services()).hasSize(services);
    }
  }

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Scale.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
