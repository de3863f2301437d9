package dev.lattice.graph;

import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.diagnostics.DiagnosticCode;
import dev.lattice.model.Declaration;
import dev.lattice.model.Direction;
import dev.lattice.model.Port;
import dev.lattice.model.ServiceId;
import dev.lattice.model.SourceLocation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The pair results of one service as caller: its explicit outbound declarations matched with the
 * callees' inbound sides, its {@code "*"} outbound side matched through the reverse index of the
 * services that admit it (patched for the changed services only when the caller itself did not
 * change), its inbound declarations that no caller answers, and its peer traffic.
 */
final class CallerResults {
  private final Indexes ix;

  private static final Comparator<Agreement> BY_CALLEE = Comparator.comparing(Agreement::callee);

  CallerResults(Indexes ix) {
    this.ix = ix;
  }

  /**
   * The pair results of one service: its agreements as caller and its declarations' fate. With
   * {@code before} (the results of the same, unchanged node), the pairs of its {@code "*"} outbound
   * side are patched for the {@code dirty} services only, in time of their number plus one array
   * copy, instead of being formed again with every service that admits it.
   */
  State.Results compute(Node a, State.Results before, Set<ServiceId> dirty) {
    Pairs p = new Pairs(ix);
    // forEach, not entrySet(): a map keeps the view it hands out (see Node#names); and a method per
    // declaration keeps this one small for the compiler
    a.out.forEach((bId, out) -> callee(p, a, bId, out));
    List<State.WildPair> wild = null;
    boolean wildSame = false;
    int wildErrors = -1; // known when the wild pairs were patched, else counted by State.Results
    if (a.outAny != null) {
      p.edge(a.id.toString(), "*", Edge.Status.WILDCARD, List.of());
      Set<ServiceId> admitting = ix.admittedBy.getOrDefault(a.id, Set.of());
      if (before != null && before.wild != null) {
        wild = new ArrayList<>(before.wild);
        wildSame = true;
        wildErrors = before.wildErrors();
        for (ServiceId bId : new TreeSet<>(dirty)) {
          int at = wildIndex(wild, bId);
          State.WildPair old = at >= 0 ? wild.get(at) : null;
          State.WildPair now = admitting.contains(bId) ? wildPair(a, bId) : null;
          wildErrors -= old == null ? 0 : State.errors(old.diagnostics);
          wildErrors += now == null ? 0 : State.errors(now.diagnostics);
          if (old != null && now != null) {
            wild.set(at, now);
            wildSame &= old.sameAs(now);
          } else if (old != null) {
            wild.remove(at);
            wildSame = false;
          } else if (now != null) {
            wild.add(-at - 1, now);
            wildSame = false;
          }
        }
      } else {
        wild = new ArrayList<>(admitting.size());
        for (ServiceId bId : admitting) {
          State.WildPair w = wildPair(a, bId);
          if (w != null) {
            wild.add(w);
          }
        }
        wild.sort(Comparator.comparing(w -> w.callee));
      }
      wild = Collections.unmodifiableList(wild);
    }
    // forEach, not entrySet(): see Node#names
    a.in.forEach((cId, in) -> caller(p, a, cId, in));
    if (a.inAny != null) {
      p.edge("*", a.id.toString(), Edge.Status.WILDCARD, List.of());
    }
    if (a.service.allowPeerTraffic() && !a.service.ports().isEmpty()) {
      List<Port> ports = new ArrayList<>(a.service.ports());
      ports.sort(Resolver.PORT_ORDER);
      p.agreements.add(
          Agreement.builder()
              .caller(a.id)
              .callee(a.id)
              .ports(ports)
              .peerTraffic(true)
              .outboundSource(a.service.source())
              .inboundSource(a.service.source())
              .build());
    }
    p.agreements.sort(BY_CALLEE);
    List<Agreement> explicit = List.copyOf(p.agreements);
    List<Agreement> asCaller;
    if (wild == null) {
      asCaller = explicit;
    } else if (wildSame && explicit.equals(before.explicit)) {
      asCaller = before.asCaller;
    } else {
      Set<ServiceId> callees = wildErrors < 0 ? null : patchable(before, explicit, dirty);
      asCaller =
          callees == null ? merge(explicit, wild) : patch(before.asCaller, explicit, wild, callees);
    }
    List<Diagnostic> diagnostics = List.copyOf(p.diagnostics);
    List<Edge> edges = List.copyOf(p.edges);
    if (wildErrors >= 0) {
      return new State.Results(
          asCaller, explicit, diagnostics, edges, p.unknownNs, wild, wildErrors);
    }
    return new State.Results(asCaller, explicit, diagnostics, edges, p.unknownNs, wild);
  }

  /** The pair of {@code a}'s explicit outbound declaration {@code out} of {@code bId}. */
  private void callee(Pairs p, Node a, ServiceId bId, Declaration out) {
    Node b = ix.nodes.get(bId);
    Declaration in = b == null ? null : b.inboundFor(a.id);
    String path = null;
    Optional<SourceLocation> at = null;
    if (in == null || !out.ports().isEmpty()) {
      // something may be reported: a path and location (once per declaration otherwise)
      path = path(a, out);
      at = out.source().or(a.service::source);
    }
    if (b == null) {
      p.unknown(a.id, bId, path, at, "calls");
      p.edge(a.text, bId.toString(), Edge.Status.UNKNOWN_PEER, List.of());
      return;
    }
    if (out.direction() == Direction.OUTBOUND) {
      for (String name : out.ports()) {
        if (b.service.port(name).isEmpty()) {
          p.report(
              DiagnosticCode.UNKNOWN_PORT,
              path,
              at,
              a.id
                  + " calls port \""
                  + name
                  + "\" of "
                  + bId
                  + ", which has ports "
                  + PortNames.of(b.service));
        }
      }
    }
    if (in == null) {
      p.report(
          DiagnosticCode.ONE_SIDED,
          path,
          at,
          a.id
              + " calls "
              + bId
              + ", but "
              + bId
              + " does not declare "
              + a.id
              + " inbound; the edge stays closed until "
              + bId
              + " adds "
              + a.id
              + " as an inbound (or both) dependency");
      p.edge(a.text, b.text, Edge.Status.ONE_SIDED, List.of());
      return;
    }
    p.agree(a, b, out, in);
  }

  /**
   * What {@code a}'s explicit inbound declaration {@code in} of {@code cId} reports when no caller
   * side answers it (the caller's side decides otherwise).
   */
  private void caller(Pairs p, Node a, ServiceId cId, Declaration in) {
    Node c = ix.nodes.get(cId);
    if (in == a.implicitScraper && (c == null || !c.out.containsKey(a.id) && c.outAny == null)) {
      // the settings' scraper, not the service's word: one graph diagnostic says it is missing
      return;
    }
    if (c == null) {
      p.unknown(a.id, cId, path(a, in), in.source().or(a.service::source), "admits");
      p.edge(cId.toString(), a.id.toString(), Edge.Status.UNKNOWN_PEER, List.of());
      return;
    }
    if (c.out.containsKey(a.id) || c.outAny != null) {
      return; // the caller's side decides (and reports)
    }
    p.report(
        DiagnosticCode.ONE_SIDED,
        path(a, in),
        in.source().or(a.service::source),
        a.id
            + " admits "
            + cId
            + ", but "
            + cId
            + " does not declare "
            + a.id
            + " outbound; the edge stays closed until "
            + cId
            + " adds "
            + a.id
            + " as an outbound (or both) dependency");
    p.edge(cId.toString(), a.id.toString(), Edge.Status.ONE_SIDED, List.of());
  }

  /**
   * The callees at which the agreements of an unchanged wildcard caller can differ from {@code
   * before}'s, once its wild pairs were patched for the {@code dirty} services: those, and the
   * callees of its explicit agreements before and now. Null when they are too many for patching one
   * callee at a time to beat a walk of the whole list.
   */
  static Set<ServiceId> patchable(
      State.Results before, List<Agreement> explicit, Set<ServiceId> dirty) {
    if (dirty.size() + before.explicit.size() + explicit.size()
        > 16 + before.asCaller.size() / 16) {
      return null;
    }
    Set<ServiceId> callees = new TreeSet<>(dirty);
    for (Agreement ag : before.explicit) {
      callees.add(ag.callee());
    }
    for (Agreement ag : explicit) {
      callees.add(ag.callee());
    }
    return callees;
  }

  /**
   * {@code was} with the agreements of each of {@code callees} replaced by the wild pair's (first)
   * and the explicit ones: what {@link #merge} gives when only those callees changed, found by
   * bisection instead of a walk of a hub's tens of thousands of agreements. {@code was} itself when
   * nothing differs.
   */
  private static List<Agreement> patch(
      List<Agreement> was,
      List<Agreement> explicit,
      List<State.WildPair> wild,
      Set<ServiceId> callees) {
    List<Agreement> out = was;
    for (ServiceId c : callees) {
      List<Agreement> now = new ArrayList<>(2);
      int w = wildIndex(wild, c);
      if (w >= 0 && wild.get(w).agreement != null) {
        now.add(wild.get(w).agreement);
      }
      now.addAll(explicit.subList(from(explicit, c), to(explicit, c)));
      int lo = from(out, c);
      int hi = to(out, c);
      if (out.subList(lo, hi).equals(now)) {
        continue;
      }
      if (out == was) {
        out = new ArrayList<>(was);
      }
      out.subList(lo, hi).clear();
      out.addAll(lo, now);
    }
    return out == was ? was : Collections.unmodifiableList(out);
  }

  /** The first index of {@code l} (sorted by callee) whose callee is not before {@code c}. */
  static int from(List<Agreement> l, ServiceId c) {
    int lo = 0;
    int hi = l.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (l.get(mid).callee().compareTo(c) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The first index of {@code l} (sorted by callee) whose callee is after {@code c}. */
  static int to(List<Agreement> l, ServiceId c) {
    int lo = 0;
    int hi = l.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (l.get(mid).callee().compareTo(c) <= 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** {@code ns/name.dependsOn[peer]}: the model path of one of {@code n}'s declarations. */
  static String path(Node n, Declaration d) {
    return n.text + ".dependsOn[" + d.peer() + "]";
  }

  /** The pair of {@code a}'s wildcard outbound side with {@code bId}, or null when none forms. */
  private State.WildPair wildPair(Node a, ServiceId bId) {
    Node b = ix.nodes.get(bId);
    if (b == null || a.out.containsKey(bId)) {
      return null;
    }
    Pairs q = new Pairs(ix);
    q.agree(a, b, a.outAny, b.in.get(a.id));
    return new State.WildPair(
        bId,
        q.agreements.isEmpty() ? null : q.agreements.get(0),
        q.diagnostics.isEmpty() ? List.of() : List.copyOf(q.diagnostics),
        q.edges.isEmpty() ? List.of() : List.copyOf(q.edges));
  }

  private static int wildIndex(List<State.WildPair> wild, ServiceId callee) {
    int lo = 0;
    int hi = wild.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = wild.get(mid).callee.compareTo(callee);
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -(lo + 1);
  }

  /**
   * The explicit and the wildcard agreements in callee order; on a tie the wildcard one first, as
   * the stable sort of one list used to give (a self pair before peer traffic).
   */
  private static List<Agreement> merge(List<Agreement> explicit, List<State.WildPair> wild) {
    List<Agreement> out = new ArrayList<>(explicit.size() + wild.size());
    int i = 0;
    for (State.WildPair w : wild) {
      if (w.agreement == null) {
        continue;
      }
      while (i < explicit.size() && explicit.get(i).callee().compareTo(w.callee) < 0) {
        out.add(explicit.get(i++));
      }
      out.add(w.agreement);
    }
    while (i < explicit.size()) {
      out.add(explicit.get(i++));
    }
    return Collections.unmodifiableList(out);
  }
}
