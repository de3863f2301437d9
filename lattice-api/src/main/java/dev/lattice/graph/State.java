package dev.lattice.graph;

import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.model.ServiceId;
import dev.lattice.model.Settings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The resolved state behind a {@link Topology}: per-service nodes and pair results, and the indexes
 * that let an update recompute only what a change touches. Never modified once a topology holds it;
 * an update copies the maps (not their contents) and replaces entries.
 */
final class State {
  final Settings settings;

  /** Diagnostics of loading and of the graph as a whole (duplicate services). */
  final List<Diagnostic> graphDiagnostics;

  final Map<ServiceId, Node> nodes;
  final Map<ServiceId, Results> results;

  /** For each service, the services that explicitly declare it inbound (its wildcard's matches). */
  final Map<ServiceId, Set<ServiceId>> admittedBy;

  /** For each service id (known or not), the services whose declarations name it explicitly. */
  final Map<ServiceId, Set<ServiceId>> namedBy;

  /** For each namespace, the names of its services. */
  final Map<String, TreeSet<String>> names;

  /** For each namespace, the services with an unknown reference into it (their hints list it). */
  final Map<String, Set<ServiceId>> unknownInto;

  /** For each callee, its agreements sorted by caller. */
  final Map<ServiceId, List<Agreement>> inbound;

  /** For each namespace with services, its waypoints and their diagnostics. */
  final Map<String, NamespaceResult> namespaces;

  /** Every service id, sorted. */
  final List<ServiceId> ids;

  /**
   * How many diagnostics are errors, kept up to date by each update so that {@code hasErrors()}
   * (which every render asks first) does not gather and sort every diagnostic of the cluster.
   */
  final int errorCount;

  State(
      Settings settings,
      List<Diagnostic> graphDiagnostics,
      Map<ServiceId, Node> nodes,
      Map<ServiceId, Results> results,
      Map<ServiceId, Set<ServiceId>> admittedBy,
      Map<ServiceId, Set<ServiceId>> namedBy,
      Map<String, TreeSet<String>> names,
      Map<String, Set<ServiceId>> unknownInto,
      Map<ServiceId, List<Agreement>> inbound,
      Map<String, NamespaceResult> namespaces,
      List<ServiceId> ids,
      int errorCount) {
    this.settings = settings;
    this.graphDiagnostics = graphDiagnostics;
    this.nodes = nodes;
    this.results = results;
    this.admittedBy = admittedBy;
    this.namedBy = namedBy;
    this.names = names;
    this.unknownInto = unknownInto;
    this.inbound = inbound;
    this.namespaces = namespaces;
    this.ids = ids;
    this.errorCount = errorCount;
  }

  /** How many of {@code diagnostics} are errors. */
  static int errors(List<Diagnostic> diagnostics) {
    int n = 0;
    for (Diagnostic d : diagnostics) {
      if (d.isError()) {
        n++;
      }
    }
    return n;
  }

  static State empty(Settings settings) {
    return new State(
        settings,
        List.of(),
        new HashMap<>(),
        new HashMap<>(),
        new HashMap<>(),
        new HashMap<>(),
        new HashMap<>(),
        new HashMap<>(),
        new HashMap<>(),
        new HashMap<>(),
        new ArrayList<>(),
        0);
  }

  /** What resolution found for one service's pairs: as caller, and on its inbound declarations. */
  static final class Results {
    static final Results NONE =
        new Results(List.of(), List.of(), List.of(), List.of(), Set.of(), null);

    /** Agreements where it is the caller, sorted by callee: the explicit and the wildcard ones. */
    final List<Agreement> asCaller;

    /** The agreements of {@link #asCaller} that are not in {@link #wild}, sorted by callee. */
    final List<Agreement> explicit;

    /** Diagnostics, less those of {@link #wild}. */
    final List<Diagnostic> diagnostics;

    /** Edges, less those of {@link #wild}. */
    final List<Edge> edges;

    /** Namespaces its unknown references point into. */
    final Set<String> unknownNamespaces;

    /**
     * The pairs its {@code "*"} outbound side forms with the services that admit it explicitly, one
     * per such callee, sorted by callee; null without a wildcard outbound side. Kept apart so that
     * a change of one callee patches one pair instead of recomputing them all.
     */
    final List<WildPair> wild;

    /** Errors among {@link #diagnostics} and the wild pairs' diagnostics. */
    final int errors;

    Results(
        List<Agreement> asCaller,
        List<Agreement> explicit,
        List<Diagnostic> diagnostics,
        List<Edge> edges,
        Set<String> unknownNamespaces,
        List<WildPair> wild) {
      this(asCaller, explicit, diagnostics, edges, unknownNamespaces, wild, wildErrors(wild));
    }

    Results(
        List<Agreement> asCaller,
        List<Agreement> explicit,
        List<Diagnostic> diagnostics,
        List<Edge> edges,
        Set<String> unknownNamespaces,
        List<WildPair> wild,
        int wildErrors) {
      this.asCaller = asCaller;
      this.explicit = explicit;
      this.diagnostics = diagnostics;
      this.edges = edges;
      this.unknownNamespaces = unknownNamespaces;
      this.wild = wild;
      this.errors = errors(diagnostics) + wildErrors;
    }

    /** Errors among the wild pairs' diagnostics. */
    int wildErrors() {
      return errors - errors(diagnostics);
    }

    private static int wildErrors(List<WildPair> wild) {
      int n = 0;
      if (wild != null) {
        for (WildPair w : wild) {
          n += errors(w.diagnostics);
        }
      }
      return n;
    }

    /** Every diagnostic, the wild pairs' included. */
    void allDiagnostics(List<Diagnostic> out) {
      out.addAll(diagnostics);
      if (wild != null) {
        wild.forEach(w -> out.addAll(w.diagnostics));
      }
    }

    /** Every edge, the wild pairs' included. */
    void allEdges(List<Edge> out) {
      out.addAll(edges);
      if (wild != null) {
        wild.forEach(w -> out.addAll(w.edges));
      }
    }
  }

  /** What one pair formed by a wildcard outbound side gave: an agreement or diagnostics. */
  static final class WildPair {
    final ServiceId callee;

    /** The agreement, or null when the pair formed none. */
    final Agreement agreement;

    final List<Diagnostic> diagnostics;
    final List<Edge> edges;

    WildPair(
        ServiceId callee, Agreement agreement, List<Diagnostic> diagnostics, List<Edge> edges) {
      this.callee = callee;
      this.agreement = agreement;
      this.diagnostics = diagnostics;
      this.edges = edges;
    }

    boolean sameAs(WildPair o) {
      return java.util.Objects.equals(agreement, o.agreement)
          && diagnostics.equals(o.diagnostics)
          && edges.equals(o.edges);
    }
  }

  /** The waypoints of one namespace and the clashes they cause. */
  static final class NamespaceResult {
    static final NamespaceResult NONE = new NamespaceResult(List.of(), List.of(), Map.of());

    final List<Waypoint> waypoints;
    final List<Diagnostic> diagnostics;

    /** The waypoint in front of each service behind one. */
    final Map<ServiceId, Waypoint> fronting;

    NamespaceResult(
        List<Waypoint> waypoints, List<Diagnostic> diagnostics, Map<ServiceId, Waypoint> fronting) {
      this.waypoints = waypoints;
      this.diagnostics = diagnostics;
      this.fronting = fronting;
    }

    Waypoint egressWaypoint() {
      for (Waypoint w : waypoints) {
        if (w.routesEgress()) {
          return w;
        }
      }
      return null;
    }
  }
}
