package dev.lattice.spec;

import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.diagnostics.LatticeException;
import dev.lattice.graph.ServiceGraph;
import java.util.List;
import java.util.Optional;

/**
 * What loading specs gave: every diagnostic found while reading them, and the graph they declare
 * when none of those is an error (never a partial graph).
 *
 * <pre>{@code
 * SpecResult result = Specs.load(Path.of("specs"));
 * result.diagnostics().forEach(System.err::println);
 * Topology topology = result.orThrow().resolve().orThrow();
 * }</pre>
 */
public final class SpecResult {
  private final List<Diagnostic> diagnostics;
  private final ServiceGraph graph;

  SpecResult(List<Diagnostic> diagnostics, ServiceGraph graph) {
    this.diagnostics = List.copyOf(diagnostics);
    this.graph = graph;
  }

  /**
   * Every diagnostic of loading, sorted by location: errors, warnings (an empty file) and notes (a
   * skipped kind, a LoadBalancer's exposed ports). Resolution's own come from {@code
   * graph().resolve()}, which repeats these.
   */
  public List<Diagnostic> diagnostics() {
    return diagnostics;
  }

  /** Whether any diagnostic is an error; then there is no graph. */
  public boolean hasErrors() {
    return graph == null;
  }

  /**
   * The declared graph, carrying the warnings and notes of loading; empty when any diagnostic is an
   * error.
   */
  public Optional<ServiceGraph> graph() {
    return Optional.ofNullable(graph);
  }

  /**
   * The declared graph.
   *
   * @throws LatticeException carrying every diagnostic, when some are errors
   */
  public ServiceGraph orThrow() {
    if (graph == null) {
      throw new LatticeException(diagnostics);
    }
    return graph;
  }

  /** {@code 2 services, 1 diagnostic (0 errors)}. */
  @Override
  public String toString() {
    long errors = diagnostics.stream().filter(Diagnostic::isError).count();
    return (graph == null ? "no graph" : graph.services().size() + " services")
        + ", "
        + diagnostics.size()
        + " diagnostics ("
        + errors
        + " errors)";
  }
}
