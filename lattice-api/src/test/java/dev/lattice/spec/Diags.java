package dev.lattice.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.diagnostics.DiagnosticCode;
import dev.lattice.graph.ServiceGraph;
import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import java.util.Collection;
import java.util.List;

/** Assertions on diagnostics and loaded graphs, shared by the spec tests. */
final class Diags {
  private Diags() {}

  /** The one diagnostic with {@code code}; fails listing them all when there is not exactly one. */
  static Diagnostic single(Collection<Diagnostic> diagnostics, DiagnosticCode code) {
    List<Diagnostic> found = diagnostics.stream().filter(d -> d.code() == code).toList();
    assertThat(found).as("diagnostics with code %s among %s", code, diagnostics).hasSize(1);
    return found.get(0);
  }

  /** The one diagnostic with {@code code} in {@code result}. */
  static Diagnostic single(SpecResult result, DiagnosticCode code) {
    return single(result.diagnostics(), code);
  }

  /** {@code file:line:col}, or {@code -} when the diagnostic has no location. */
  static String at(Diagnostic d) {
    return d.location().map(Object::toString).orElse("-");
  }

  /** The graph of a result that must have no errors. */
  static ServiceGraph graph(SpecResult result) {
    assertThat(result.diagnostics()).filteredOn(Diagnostic::isError).isEmpty();
    assertThat(result.graph()).isPresent();
    return result.graph().get();
  }

  /** The service {@code ns/name} of {@code graph}. */
  static Service service(ServiceGraph graph, String id) {
    return graph.services().stream()
        .filter(s -> s.id().equals(ServiceId.parse(id, "default")))
        .findFirst()
        .orElseThrow(() -> new AssertionError(id + " not in " + graph.services()));
  }
}
