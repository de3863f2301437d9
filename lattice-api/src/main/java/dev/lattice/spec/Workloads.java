package dev.lattice.spec;

import dev.lattice.diagnostics.DiagnosticCode;
import dev.lattice.model.Service;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** What the readers of {@code LatticeJob} and {@code LatticeModel} share. */
final class Workloads {
  private Workloads() {}

  /**
   * The mapping {@code key} of task or role names to tasks or roles, which must be present and hold
   * at least one: without one the platform refuses the resource.
   */
  static Optional<Fields> parts(Fields spec, String key, String shape, String why) {
    if (!spec.has(key)) {
      spec.missing(key, why);
      return Optional.empty();
    }
    Optional<Fields> parts = spec.mapping(key, shape);
    if (parts.isPresent() && parts.get().entries().isEmpty()) {
      spec.problems()
          .report(
              DiagnosticCode.SPEC_MISSING_FIELD,
              spec.path(key),
              spec.valueAt(key),
              key + " is empty; " + why);
      return Optional.empty();
    }
    return parts;
  }

  /** One task or role; empty when it is null (then only the defaults apply) or not a mapping. */
  static Optional<Fields> part(Node.Entry e, String path, String what, Problems problems) {
    return Fields.of(e.value(), path, what, problems);
  }

  /** "the mesh member a" or "the mesh members a, b". */
  static String names(List<Service> members) {
    return (members.size() == 1 ? "the mesh member " : "the mesh members ")
        + members.stream().map(Service::name).collect(Collectors.joining(", "));
  }
}
