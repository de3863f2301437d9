package dev.lattice.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * The budgets table of BENCHMARKS.md from the JSON lines {@code run-budgets.sh} collects: cold 50k
 * runs of {@link Scale} with edits, and the 5k neutral graph rendered by Lattice and by cdk8s-plus
 * in the same run. Medians over the cold JVMs; the ratio is of the two medians.
 *
 * <pre>
 * java -cp benchmarks.jar dev.lattice.benchmarks.Budgets scale-50k.jsonl lattice-5k.jsonl cdk8s-5k.jsonl
 * </pre>
 */
public final class Budgets {
  private Budgets() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      System.err.println(
          "budgets: give the JSON lines of the 50k runs, of Lattice on the 5k graph and of"
              + " cdk8s-plus on it");
      System.exit(2);
    }
    List<JsonNode> big = read(Path.of(args[0]));
    List<JsonNode> lattice = read(Path.of(args[1]));
    List<JsonNode> cdk8s = read(Path.of(args[2]));
    if (big.isEmpty() || lattice.isEmpty() || cdk8s.isEmpty()) {
      System.err.println("budgets: a file has no runs");
      System.exit(1);
    }
    double total = median(big, n -> n.path("ms").path("total").asDouble());
    double threadCpu = median(big, n -> n.path("thread_cpu_ms").path("total").asDouble());
    double latticeMs = median(lattice, n -> n.path("ms").path("total").asDouble());
    double cdk8sMs = median(cdk8s, n -> n.path("ms").path("total").asDouble());
    double ratio = cdk8sMs / latticeMs;
    // over the wall time of the serialise phase, and over the measuring thread's own CPU time:
    // what a loaded, shared machine moves least
    double mbPerS = median(big, n -> megabytesPerSecond(n, "ms"));
    double mbPerCpuS = median(big, n -> megabytesPerSecond(n, "thread_cpu_ms"));
    double p90 = median(big, n -> n.path("incremental").path("p90_ms").asDouble());
    double p90Cpu = median(big, n -> n.path("incremental").path("p90_cpu_ms").asDouble());
    TreeMap<String, List<Double>> byKind = new TreeMap<>();
    for (JsonNode n : big) {
      n.path("incremental")
          .path("p90_ms_by_kind")
          .properties()
          .forEach(
              e ->
                  byKind
                      .computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                      .add(e.getValue().asDouble()));
    }
    String worstKind = null;
    double worst = 0;
    for (var e : byKind.entrySet()) {
      double m = median(e.getValue());
      if (worstKind == null || m > worst) {
        worstKind = e.getKey();
        worst = m;
      }
    }
    System.out.println("| budget | measured (median) | met? |");
    System.out.println("|---|---:|---|");
    row(
        "50k services / " + big.get(0).path("agreements").asInt() + " agreements, cold, ≤ 4 s",
        String.format(Locale.ROOT, "%.0f ms (thread CPU %.0f ms)", total, threadCpu),
        total <= 4000);
    row(
        "5k neutral graph ≥ 10× faster than cdk8s-plus",
        String.format(Locale.ROOT, "%.1f× (%.0f ms against %.0f ms)", ratio, latticeMs, cdk8sMs),
        ratio >= 10);
    row(
        "serialise ≥ 250 MB/s",
        String.format(Locale.ROOT, "%.0f MB/s (thread CPU: %.0f MB/s)", mbPerS, mbPerCpuS),
        mbPerS >= 250);
    row(
        "every single-service change at 50k ≤ 50 ms p90",
        String.format(
            Locale.ROOT,
            "%.1f ms p90 of all (thread CPU %.1f ms); worst kind %s %.1f ms",
            p90,
            p90Cpu,
            worstKind,
            worst),
        p90 <= 50 && worst <= 50);
    System.out.printf(
        Locale.ROOT,
        "%n%d cold 50k runs, %d + %d 5k runs; load average %.1f to %.1f%n",
        big.size(),
        lattice.size(),
        cdk8s.size(),
        min(big, n -> n.path("load_average").asDouble()),
        max(big, n -> n.path("load_average").asDouble()));
  }

  /** Output MB (10^6 bytes) per second of the serialise phase, timed by {@code clock}. */
  private static double megabytesPerSecond(JsonNode run, String clock) {
    return run.path("output_bytes").asDouble() / 1e3 / run.path(clock).path("serialise").asDouble();
  }

  private static void row(String budget, String measured, boolean met) {
    System.out.println("| " + budget + " | " + measured + " | " + (met ? "yes" : "**no**") + " |");
  }

  private static List<JsonNode> read(Path file) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> out = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(file)) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("{")) {
          out.add(json.readTree(line));
        }
      }
    }
    return out;
  }

  private static double median(List<JsonNode> runs, ToDoubleFunction<JsonNode> f) {
    List<Double> values = new ArrayList<>();
    runs.forEach(n -> values.add(f.applyAsDouble(n)));
    return median(values);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static double min(List<JsonNode> runs, ToDoubleFunction<JsonNode> f) {
    return runs.stream().mapToDouble(f).min().orElse(0);
  }

  private static double max(List<JsonNode> runs, ToDoubleFunction<JsonNode> f) {
    return runs.stream().mapToDouble(f).max().orElse(0);
  }
}
