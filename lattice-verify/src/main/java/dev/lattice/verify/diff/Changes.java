package dev.lattice.verify.diff;

import dev.lattice.model.Port;
import dev.lattice.model.Protocol;
import dev.lattice.verify.Verdict;
import java.util.List;

/**
 * Builds the {@link Change}s of a {@link ConnectivityDiff}: a pair of verdicts becomes a change
 * only when they differ, and only then are the declarations bearing on it looked up.
 */
final class Changes {
  private Changes() {}

  static void add(
      List<Change> out,
      Change.Kind kind,
      String from,
      String to,
      Port port,
      String[] request,
      Verdict before,
      Verdict after,
      java.util.function.Supplier<List<Declared>> declaredBefore,
      java.util.function.Supplier<List<Declared>> declaredAfter) {
    Change c =
        new Change(
            kind,
            from,
            to,
            port.port(),
            port.targetPort(),
            port.name(),
            port.protocol(),
            request == null ? null : request[0],
            request == null ? null : request[1],
            request == null ? null : request[2],
            before,
            after,
            List.of(),
            List.of());
    if (c.isChange()) {
      out.add(withDeclarations(c, declaredBefore.get(), declaredAfter.get()));
    }
  }

  static void add(
      List<Change> out,
      Change.Kind kind,
      String from,
      String to,
      int port,
      Protocol protocol,
      Verdict before,
      Verdict after,
      java.util.function.Supplier<List<Declared>> declaredBefore,
      java.util.function.Supplier<List<Declared>> declaredAfter) {
    Change c =
        new Change(
            kind, from, to, port, null, null, protocol, null, null, null, before, after, List.of(),
            List.of());
    if (c.isChange()) {
      out.add(withDeclarations(c, declaredBefore.get(), declaredAfter.get()));
    }
  }

  private static Change withDeclarations(Change c, List<Declared> before, List<Declared> after) {
    return new Change(
        c.kind(),
        c.from(),
        c.to(),
        c.port(),
        c.targetPort().isPresent() ? c.targetPort().getAsInt() : null,
        c.portName().orElse(null),
        c.protocol(),
        c.method().orElse(null),
        c.path().orElse(null),
        c.requestRule().orElse(null),
        c.before().orElse(null),
        c.after().orElse(null),
        before,
        after);
  }
}
