package dev.lattice.testing;

import dev.lattice.graph.ServiceGraph;
import java.util.function.Function;

/**
 * Runs a property over seeded random graphs: on the first failure, shrinks the graph and fails
 * with the seed, the command that replays it, the minimal graph as DSL code, and the failure.
 */
public final class PropertyRunner {
  private PropertyRunner() {}

  /** A property: returns null when the graph satisfies it, otherwise what is wrong. */
  @FunctionalInterface
  public interface Check {
    String violation(ServiceGraph graph);
  }

  /**
   * Checks {@code property} on the graph {@code generator} makes for each of {@link
   * Seeds#list()}.
   */
  public static void forAll(String name, Function<Long, ServiceGraph> generator, Check property) {
    for (long seed : Seeds.list()) {
      ServiceGraph g = generator.apply(seed);
      String violation = property.violation(g);
      if (violation == null) {
        continue;
      }
      ServiceGraph minimal = GraphShrinker.shrink(g, x -> property.violation(x) != null);
      throw new AssertionError(
          "property \"" + name + "\" fails for seed " + seed
              + " (replay: mvn -B verify -Dlattice.seed=" + seed + ")\n"
              + "minimal counter-example (" + minimal.services().size() + " of "
              + g.services().size() + " services):\n"
              + GraphPrinter.toDsl(minimal) + "\n"
              + "violation: " + property.violation(minimal));
    }
  }
}
