package dev.lattice.testing;

import dev.lattice.graph.ServiceGraph;
import java.util.function.Function;

/**
 * Runs a property over seeded random graphs: on the first failure, shrinks the graph and fails with
 * the seed, the command that replays it, the minimal graph as DSL code, and the failure.
 */
public final class PropertyRunner {
  private PropertyRunner() {}

  /** A property: returns null when the graph satisfies it, otherwise what is wrong. */
  @FunctionalInterface
  public interface Check {
    String violation(ServiceGraph graph);
  }

  /** A property that also depends on a per-seed context (e.g. settings), fixed while shrinking. */
  @FunctionalInterface
  public interface ContextCheck<C> {
    String violation(ServiceGraph graph, C context);
  }

  /**
   * Checks {@code property} on the graph {@code generator} makes for each of {@link Seeds#list()}.
   */
  public static void forAll(String name, Function<Long, ServiceGraph> generator, Check property) {
    forAll(name, generator, seed -> "", (g, c) -> property.violation(g));
  }

  /**
   * Checks {@code property} on the graph {@code generator} makes for each seed, with the context
   * {@code context} makes for it; the context stays fixed while the graph shrinks.
   */
  public static <C> void forAll(
      String name,
      Function<Long, ServiceGraph> generator,
      Function<Long, C> context,
      ContextCheck<C> property) {
    for (long seed : Seeds.list()) {
      ServiceGraph g = generator.apply(seed);
      C c = context.apply(seed);
      String violation = property.violation(g, c);
      if (violation == null) {
        continue;
      }
      ServiceGraph minimal = GraphShrinker.shrink(g, x -> property.violation(x, c) != null);
      throw new AssertionError(
          "property \""
              + name
              + "\" fails for seed "
              + seed
              + " (replay: mvn -B verify -Dlattice.seed="
              + seed
              + ")\n"
              + (String.valueOf(c).isEmpty() ? "" : "with " + c + "\n")
              + "minimal counter-example ("
              + minimal.services().size()
              + " of "
              + g.services().size()
              + " services):\n"
              + GraphPrinter.toDsl(minimal)
              + "\n"
              + "violation: "
              + property.violation(minimal, c));
    }
  }
}
