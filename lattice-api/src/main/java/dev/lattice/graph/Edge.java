package dev.lattice.graph;

import dev.lattice.model.HttpRule;
import java.util.List;
import org.immutables.value.Value;

/**
 * A declared edge as the graph sees it, for tools that draw or explain the graph: caller and callee
 * ({@code ns/name}, or {@code *} for a wildcard side), and whether it formed an agreement.
 */
@Value.Immutable
public abstract class Edge implements Comparable<Edge> {
  /** What became of a declared edge. */
  public enum Status {
    /** Both sides declared it: traffic is allowed. */
    AGREED,
    /** Only one side declared it: it stays closed. */
    ONE_SIDED,
    /** It names a service that is not in the graph: it stays closed. */
    UNKNOWN_PEER,
    /** A wildcard declaration; its agreements appear as edges of their own. */
    WILDCARD
  }

  Edge() {}

  /** The calling side, {@code ns/name} or {@code *}. */
  public abstract String caller();

  /** The called side, {@code ns/name} or {@code *}. */
  public abstract String callee();

  /** What became of it. */
  public abstract Status status();

  /** The HTTP rules on it, when agreed with rules. */
  public abstract List<HttpRule> httpRules();

  @Override
  public int compareTo(Edge o) {
    int c = caller().compareTo(o.caller());
    return c != 0 ? c : callee().compareTo(o.callee());
  }

  static ImmutableEdge.Builder builder() {
    return ImmutableEdge.builder();
  }

  @Override
  public String toString() {
    return caller() + " -> " + callee() + " (" + status() + ")";
  }
}
