package dev.lattice.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * Turns the JSON lines of repeated {@link Scale} runs into a Markdown table of medians, one row per
 * size (and layer and warm-up): {@code java -cp benchmarks.jar dev.lattice.benchmarks.Summary
 * runs.jsonl}.
 */
public final class Summary {
  private static final List<String> PHASES =
      List.of("resolve", "render_cilium", "render_istio", "merge", "serialise", "total");
  private static final double MB = 1048576;

  private Summary() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("summary: give the file of JSON lines that Scale printed");
      System.exit(2);
    }
    ObjectMapper json = new ObjectMapper();
    Map<String, List<JsonNode>> rows = new TreeMap<>();
    try (BufferedReader r = Files.newBufferedReader(Path.of(args[0]))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("{")) {
          JsonNode n = json.readTree(line);
          String key =
              String.format(
                  "%08d %s %d",
                  n.path("services").asInt(),
                  n.path("layer").asText(),
                  n.path("warmup_runs").asInt());
          rows.computeIfAbsent(key, k -> new ArrayList<>()).add(n);
        }
      }
    }
    System.out.println(
        "| services | agreements | documents | MB out | runs | resolve | cilium | istio | merge |"
            + " serialise | total ms | build/serialise | peak heap MB | live heap MB |"
            + " edit median ms (cpu) | edit p90 ms |");
    System.out.println(
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (List<JsonNode> runs : rows.values()) {
      JsonNode first = runs.get(0);
      StringBuilder sb = new StringBuilder("| ");
      sb.append(first.path("services").asInt());
      if (!first.path("layer").asText().equals("all")) {
        sb.append(" (").append(first.path("layer").asText()).append(")");
      }
      if (first.path("warmup_runs").asInt() > 0) {
        sb.append(" warm");
      }
      sb.append(" | ").append(first.path("agreements").asInt());
      sb.append(" | ").append(first.path("documents").asInt());
      sb.append(" | ").append(String.format("%.1f", first.path("output_bytes").asLong() / 1e6));
      sb.append(" | ").append(runs.size());
      for (String phase : PHASES) {
        sb.append(" | ").append(fmt(median(runs, n -> n.path("ms").path(phase).asDouble())));
      }
      double ratio = median(runs, n -> n.path("build_over_serialise").asDouble());
      sb.append(" | ").append(String.format("%.2f", ratio));
      sb.append(" | ").append(fmt(median(runs, n -> n.path("peak_heap_bytes").asDouble() / MB)));
      sb.append(" | ")
          .append(fmt(median(runs, n -> n.path("live_heap_after_bytes").asDouble() / MB)));
      if (first.has("incremental")) {
        sb.append(" | ")
            .append(
                String.format(
                    "%.1f (%.1f)",
                    median(runs, n -> n.path("incremental").path("median_ms").asDouble()),
                    median(runs, n -> n.path("incremental").path("median_cpu_ms").asDouble())));
        sb.append(" | ")
            .append(fmt(median(runs, n -> n.path("incremental").path("p90_ms").asDouble())));
      } else {
        sb.append(" | - | -");
      }
      System.out.println(sb.append(" |"));
    }
  }

  private static String fmt(double v) {
    return String.format("%.0f", v);
  }

  static double median(List<JsonNode> runs, ToDoubleFunction<JsonNode> f) {
    double[] v = runs.stream().mapToDouble(f).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
