package dev.lattice.graph;

import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.diagnostics.DiagnosticCode;
import dev.lattice.internal.DidYouMean;
import dev.lattice.model.Declaration;
import dev.lattice.model.Direction;
import dev.lattice.model.HttpRule;
import dev.lattice.model.PeerAuth;
import dev.lattice.model.Port;
import dev.lattice.model.Protocol;
import dev.lattice.model.ServiceId;
import dev.lattice.model.SourceLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The working lists of one {@link CallerResults#compute} call, and how one pair is formed. */
final class Pairs {
  private final Indexes ix;

  Pairs(Indexes ix) {
    this.ix = ix;
  }

  final List<Agreement> agreements = new ArrayList<>();
  final List<Diagnostic> diagnostics = new ArrayList<>();
  final List<Edge> edges = new ArrayList<>();

  /** The namespaces of unknown references, sorted; made at the first (most services have none). */
  Set<String> unknownNs = Set.of();

  /**
   * Forms the agreement caller→callee from the caller's outbound side and the callee's inbound
   * side, or reports why it cannot exist.
   */
  void agree(Node a, Node b, Declaration out, Declaration in) {
    // the model path and location are built only when there is something to report: this runs
    // once per agreement
    // With BOTH, the port subset belongs to the inbound side: the outbound side takes all ports.
    List<String> outSubset = out.direction() == Direction.BOTH ? List.of() : out.ports();
    List<String> inSubset = in.ports();
    List<Port> ports = new ArrayList<>();
    for (Port port : b.service.ports()) {
      if ((outSubset.isEmpty() || outSubset.contains(port.name()))
          && (inSubset.isEmpty() || inSubset.contains(port.name()))) {
        ports.add(port);
      }
    }
    if (ports.isEmpty()) {
      String why =
          b.service.ports().isEmpty()
              ? b.id + " declares no ports; give it the ports it listens on"
              : a.id
                  + " calls "
                  + (outSubset.isEmpty() ? "all ports" : "ports " + outSubset)
                  + " and "
                  + b.id
                  + " admits "
                  + (inSubset.isEmpty() ? "all ports" : "ports " + inSubset)
                  + "; make the two lists share a port";
      report(
          DiagnosticCode.NO_COMMON_PORT,
          CallerResults.path(a, out),
          out.source().or(a.service::source),
          a.id + " and " + b.id + " both declare the edge but share no port: " + why);
      return;
    }
    boolean ok = true;
    if (!a.service.isAmbient() && b.service.isAmbient()) {
      for (Port port : ports) {
        if (port.protocol() == Protocol.TCP && port.peerAuth() == PeerAuth.STRICT) {
          ok = false;
          report(
              DiagnosticCode.PLAINTEXT_TO_STRICT,
              CallerResults.path(a, out),
              out.source().or(a.service::source),
              a.id
                  + " is not in the mesh, so its plaintext connections to port \""
                  + port.name()
                  + "\" of "
                  + b.id
                  + " would always be refused by STRICT mTLS; mark that port"
                  + " PERMISSIVE (peerAuth: PERMISSIVE), enroll "
                  + a.id
                  + " in the mesh, or"
                  + " leave the port out of the agreement");
        }
      }
      if (!in.httpRules().isEmpty()) {
        ok = false;
        report(
            DiagnosticCode.HTTP_WITHOUT_WAYPOINT,
            CallerResults.path(a, out),
            out.source().or(a.service::source),
            a.id
                + " is not in the mesh, so no waypoint sees its requests to "
                + b.id
                + " and the HTTP rules would be enforced by neither layer; enroll "
                + a.id
                + " in the mesh or grant it a declaration without HTTP rules");
      }
    }
    boolean byPodIp = out.byPodIp() || in.byPodIp();
    if (byPodIp && !in.httpRules().isEmpty()) {
      // R5: pod-IP traffic never passes a waypoint, so no layer could enforce the rules (a
      // declaration with both is reported on its own, by Node)
      ok = false;
    }
    if (byPodIp && !in.httpRules().isEmpty() && !in.byPodIp()) {
      report(
          DiagnosticCode.HTTP_WITHOUT_WAYPOINT,
          CallerResults.path(b, in),
          in.source().or(b.service::source),
          a.id
              + " dials the pods of "
              + b.id
              + " by IP ("
              + out.source().map(l -> "podIp at " + l).orElse("podIp on its declaration")
              + "), which never passes a waypoint, so the HTTP rules "
              + b.id
              + " grants it would be enforced by neither layer; remove the HTTP rules, or podIp"
              + " if "
              + a.id
              + " calls the Service");
    }
    if (!ok) {
      return;
    }
    ports.sort(Resolver.PORT_ORDER);
    agreements.add(
        Agreement.builder()
            .caller(a.id)
            .callee(b.id)
            .ports(ports)
            .httpRules(in.httpRules())
            .byPodIp(byPodIp)
            .outboundSource(out.source().isPresent() ? out.source() : a.service.source())
            .inboundSource(in.source().isPresent() ? in.source() : b.service.source())
            .build());
    // its AGREED edge is made from the agreement when a tool asks (Topology.edges()), not here
  }

  void unknown(
      ServiceId from, ServiceId missing, String path, Optional<SourceLocation> at, String verb) {
    if (unknownNs.isEmpty()) {
      unknownNs = new TreeSet<>();
    }
    unknownNs.add(missing.namespace());
    TreeSet<String> known = ix.names.get(missing.namespace());
    String hint;
    if (known == null || known.isEmpty()) {
      hint = "no service is declared in namespace " + missing.namespace();
    } else {
      String close = DidYouMean.closest(missing.name(), known).orElse(null);
      hint =
          (close != null ? "did you mean " + missing.namespace() + "/" + close + "? " : "")
              + "known services in "
              + missing.namespace()
              + ": "
              + known.stream().limit(12).collect(Collectors.joining(", "))
              + (known.size() > 12 ? ", ..." : "");
    }
    report(
        DiagnosticCode.UNKNOWN_SERVICE,
        path,
        at,
        from
            + " "
            + verb
            + " "
            + missing
            + ", which is not declared; the edge stays closed"
            + " until it is ("
            + hint
            + ")");
  }

  void edge(String caller, String callee, Edge.Status status, List<HttpRule> rules) {
    edges.add(
        Edge.builder().caller(caller).callee(callee).status(status).addAllHttpRules(rules).build());
  }

  void report(DiagnosticCode code, String path, Optional<SourceLocation> at, String message) {
    diagnostics.add(Diagnostic.of(code, path, at, message));
  }
}
