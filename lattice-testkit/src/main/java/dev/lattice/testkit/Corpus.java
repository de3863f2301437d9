package dev.lattice.testkit;

import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.graph.ServiceGraph;
import dev.lattice.graph.Topology;
import dev.lattice.model.Settings;
import dev.lattice.model.WaypointScope;
import dev.lattice.spec.SpecResult;
import dev.lattice.spec.Specs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The one golden corpus of the renderers, {@code golden/<case>/} at the repository root: {@code
 * input.yaml} holds the case's specs as a user writes them (read with {@link Specs}), {@code
 * cilium.yaml} and {@code istio.yaml} the whole expected output of each layer. Both renderer
 * modules' golden tests read the same inputs and compare their own layer's file with {@link
 * Golden#assertMatches(Path, String)}; {@code -Dgolden.update=true} rewrites them.
 *
 * <p>A few cases are resolved with settings other than the defaults ({@link #settings(String)}):
 * settings are not part of the spec format (the CLI takes them as flags), so they are set here, and
 * each such case's {@code input.yaml} says so in its opening comment.
 */
public final class Corpus {
  /** The file of a case that holds its specs. */
  public static final String INPUT = "input.yaml";

  /** The Cilium layer's expected output. */
  public static final String CILIUM = "cilium.yaml";

  /** The Istio layer's expected output. */
  public static final String ISTIO = "istio.yaml";

  /**
   * The corpus directory: Maven runs a module's tests in the module's directory, one level below
   * the repository root.
   */
  public static final Path ROOT = Path.of("..", "golden");

  private static final Settings SERVICE_SCOPE =
      Settings.builder().waypointScope(WaypointScope.SERVICE).build();

  /**
   * The cases not resolved with {@link Settings#defaults()}, by name (the CLI flags in brackets).
   */
  private static final Map<String, Settings> SETTINGS =
      Map.of(
          // --waypoint-scope service
          "waypoint-scope-service",
          SERVICE_SCOPE,
          "http-rules-waypoint-scope-service",
          SERVICE_SCOPE,
          // --lb-preserves-source-ip
          "exposures-preserved-source-ip",
          Settings.builder().loadBalancerPreservesSourceIp(true).build(),
          // --trust-domain prod.example --root-namespace mesh-root --waypoint-name l7
          "custom-trust-domain",
          Settings.builder()
              .trustDomain("prod.example")
              .rootNamespace("mesh-root")
              .waypointName("l7")
              .build());

  private Corpus() {}

  /** The names of the cases, in name order: every directory of the corpus. */
  public static List<String> cases() {
    try (Stream<Path> dirs = Files.list(ROOT)) {
      return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the golden corpus " + ROOT.toAbsolutePath(), e);
    }
  }

  /** The file {@code name} ({@link #INPUT}, {@link #CILIUM}, {@link #ISTIO}) of case {@code c}. */
  public static Path file(String c, String name) {
    return ROOT.resolve(c).resolve(name);
  }

  /** The settings case {@code c} is resolved with. */
  public static Settings settings(String c) {
    return SETTINGS.getOrDefault(c, Settings.defaults());
  }

  /** The cases resolved with settings other than the defaults. */
  public static List<String> casesWithSettings() {
    return SETTINGS.keySet().stream().sorted().toList();
  }

  /** The graph of case {@code c}'s {@code input.yaml}; an error in it fails the caller's test. */
  public static ServiceGraph graph(String c) {
    SpecResult result = Specs.load(file(c, INPUT));
    if (result.hasErrors()) {
      throw new AssertionError(
          file(c, INPUT)
              + " does not load:\n"
              + result.diagnostics().stream()
                  .map(Diagnostic::toString)
                  .collect(Collectors.joining("\n")));
    }
    return result.orThrow();
  }

  /** Case {@code c} resolved with its {@link #settings(String)}; must resolve without errors. */
  public static Topology topology(String c) {
    return graph(c).resolve(settings(c)).orThrow();
  }
}
