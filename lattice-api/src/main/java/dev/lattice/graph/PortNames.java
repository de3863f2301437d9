package dev.lattice.graph;

import dev.lattice.model.Port;
import dev.lattice.model.Service;
import java.util.stream.Collectors;

/** The port names diagnostics list when a declaration names a port a service lacks. */
final class PortNames {
  private PortNames() {}

  /** {@code a, b, c}, or {@code none}. */
  static String of(Service s) {
    return s.ports().isEmpty()
        ? "none"
        : s.ports().stream().map(Port::name).collect(Collectors.joining(", "));
  }
}
