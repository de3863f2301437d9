package dev.lattice.model;

import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * What HTTP requests a callee grants a caller: any of the {@code methods} (empty: any method) to
 * any of the {@code paths} (empty: any path). Paths use Istio's syntax: exact ({@code /health}),
 * prefix ({@code /api/*}) or suffix ({@code *.png}).
 */
@Value.Immutable
public abstract class HttpRule {
  HttpRule() {}

  /** Methods, case-sensitive ({@code GET}, {@code POST}, ...); empty means any. */
  public abstract List<String> methods();

  /** Paths; empty means any. */
  public abstract List<String> paths();

  /** Where it was declared, when loaded from YAML. */
  @Value.Auxiliary
  public abstract Optional<SourceLocation> source();

  /** A rule granting {@code methods} on {@code paths}. */
  public static HttpRule of(List<String> methods, List<String> paths) {
    return ImmutableHttpRule.builder().addAllMethods(methods).addAllPaths(paths).build();
  }

  /** This rule, remembered as declared at {@code location}. */
  public HttpRule at(SourceLocation location) {
    return ImmutableHttpRule.builder()
        .addAllMethods(methods())
        .addAllPaths(paths())
        .source(location)
        .build();
  }

  /** {@code GET,POST /a /b*}. */
  @Override
  public String toString() {
    String m = methods().isEmpty() ? "*" : String.join(",", methods());
    String p = paths().isEmpty() ? "*" : String.join(" ", paths());
    return m + " " + p;
  }
}
