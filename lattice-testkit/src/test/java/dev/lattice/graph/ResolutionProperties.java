package dev.lattice.graph;

import dev.lattice.diagnostics.DiagnosticCode;
import dev.lattice.model.Declaration;
import dev.lattice.model.Direction;
import dev.lattice.model.HttpRule;
import dev.lattice.model.PeerAuth;
import dev.lattice.model.Port;
import dev.lattice.model.Protocol;
import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import dev.lattice.testing.PropertyRunner;
import dev.lattice.testing.RandomGraphs;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Resolution finds exactly the agreements that a naive pairwise reading of the bilateral rule
 * finds, over random graphs with wildcards, one-sided, unknown and cross-namespace declarations,
 * port subsets, non-mesh services and PERMISSIVE ports — and reports the same one-sided, unknown
 * and no-common-port diagnostics.
 */
class ResolutionProperties {

  @Test
  void agreementsAreExactlyThePairsBothSidesDeclared() {
    RandomGraphs.Options options = RandomGraphs.Options.resolutionOnly();
    options.valid = false;
    PropertyRunner.forAll(
        "agreements = naive pairwise bilateral check",
        seed -> RandomGraphs.generate(seed, options),
        graph -> {
          Topology t = graph.resolve();
          Set<String> expected = new TreeSet<>();
          Set<String> expectedDiagnostics = new TreeSet<>();
          naive(graph.services(), expected, expectedDiagnostics);
          Set<String> actual =
              t.agreements().stream()
                  .map(ResolutionProperties::describe)
                  .collect(Collectors.toCollection(TreeSet::new));
          if (!actual.equals(expected)) {
            return "agreements differ\n  expected: " + expected + "\n  actual:   " + actual;
          }
          Set<String> actualDiagnostics =
              t.diagnostics().stream()
                  .filter(d -> WATCHED.contains(d.code()))
                  .map(d -> d.code().id() + " " + d.path())
                  .collect(Collectors.toCollection(TreeSet::new));
          if (!actualDiagnostics.equals(expectedDiagnostics)) {
            return "diagnostics differ\n  expected: "
                + expectedDiagnostics
                + "\n  actual:   "
                + actualDiagnostics;
          }
          return null;
        });
  }

  private static final Set<DiagnosticCode> WATCHED =
      Set.of(
          DiagnosticCode.ONE_SIDED,
          DiagnosticCode.UNKNOWN_SERVICE,
          DiagnosticCode.NO_COMMON_PORT,
          DiagnosticCode.PLAINTEXT_TO_STRICT);

  private static String describe(Agreement a) {
    return a.caller()
        + "->"
        + a.callee()
        + " "
        + a.ports().stream().map(Port::name).toList()
        + " "
        + a.httpRules();
  }

  /** The oracle: every ordered pair, read straight from the rule in DESIGN §3. */
  private static void naive(
      List<Service> services, Set<String> agreements, Set<String> diagnostics) {
    Map<ServiceId, Service> byId = new HashMap<>();
    services.forEach(s -> byId.put(s.id(), s));
    for (Service a : services) {
      for (Declaration d : a.declarations()) {
        if (!d.peer().isWildcard() && !byId.containsKey(d.peer().resolve(a.namespace()))) {
          diagnostics.add("unknown-service " + path(a, d));
        }
      }
      for (Service b : services) {
        if (a == b) {
          continue;
        }
        Declaration out = side(a, b, true);
        Declaration in = side(b, a, false);
        Declaration explicitOut = explicit(a, b, true);
        Declaration explicitIn = explicit(b, a, false);
        if (explicitOut != null && in == null) {
          diagnostics.add("one-sided " + path(a, explicitOut));
        }
        if (explicitIn != null && out == null) {
          diagnostics.add("one-sided " + path(b, explicitIn));
        }
        if (out == null || in == null || (explicitOut == null && explicitIn == null)) {
          continue;
        }
        List<String> outSubset = out.direction() == Direction.BOTH ? List.of() : out.ports();
        List<Port> ports = new ArrayList<>();
        for (Port p : b.ports()) {
          if ((outSubset.isEmpty() || outSubset.contains(p.name()))
              && (in.ports().isEmpty() || in.ports().contains(p.name()))) {
            ports.add(p);
          }
        }
        if (ports.isEmpty()) {
          diagnostics.add("no-common-port " + path(a, out));
          continue;
        }
        boolean plaintextToStrict = false;
        if (!a.isAmbient() && b.isAmbient()) {
          for (Port p : ports) {
            if (p.protocol() == Protocol.TCP && p.peerAuth() == PeerAuth.STRICT) {
              plaintextToStrict = true;
            }
          }
          if (plaintextToStrict) {
            diagnostics.add("plaintext-to-strict " + path(a, out));
          }
          if (plaintextToStrict || !in.httpRules().isEmpty()) {
            continue;
          }
        }
        ports.sort(
            Comparator.comparingInt(Port::port)
                .thenComparing(Port::protocol)
                .thenComparing(Port::name));
        agreements.add(
            a.id()
                + "->"
                + b.id()
                + " "
                + ports.stream().map(Port::name).toList()
                + " "
                + in.httpRules());
      }
      if (a.allowPeerTraffic() && !a.ports().isEmpty()) {
        List<Port> ports = new ArrayList<>(a.ports());
        ports.sort(
            Comparator.comparingInt(Port::port)
                .thenComparing(Port::protocol)
                .thenComparing(Port::name));
        agreements.add(
            a.id()
                + "->"
                + a.id()
                + " "
                + ports.stream().map(Port::name).toList()
                + " "
                + List.<HttpRule>of());
      }
    }
  }

  private static String path(Service s, Declaration d) {
    return s.id() + ".dependsOn[" + d.peer() + "]";
  }

  /** The declaration of {@code self} that names {@code peer} explicitly for that side. */
  private static Declaration explicit(Service self, Service peer, boolean outbound) {
    for (Declaration d : self.declarations()) {
      boolean sideMatches = outbound ? d.direction().isOutbound() : d.direction().isInbound();
      if (sideMatches
          && !d.peer().isWildcard()
          && d.peer().resolve(self.namespace()).equals(peer.id())) {
        return d;
      }
    }
    return null;
  }

  /** The explicit declaration for that side, or else the wildcard one. */
  private static Declaration side(Service self, Service peer, boolean outbound) {
    Declaration d = explicit(self, peer, outbound);
    if (d != null) {
      return d;
    }
    for (Declaration w : self.declarations()) {
      boolean sideMatches = outbound ? w.direction().isOutbound() : w.direction().isInbound();
      if (sideMatches && w.peer().isWildcard()) {
        return w;
      }
    }
    return null;
  }
}
