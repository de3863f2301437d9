package dev.lattice.graph;

import dev.lattice.model.ServiceId;
import dev.lattice.model.Settings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The resolved state behind a {@link Topology}: per-service nodes and pair results, and the
 * indexes that let an update recompute only what a change touches. Never modified once a
 * topology holds it; an update copies the maps (not their contents) and replaces entries.
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
    static final Results NONE = new Results(List.of(), List.of(), List.of(), Set.of());

    /** Agreements where it is the caller, sorted by callee. */
    final List<Agreement> asCaller;
    final List<Diagnostic> diagnostics;
    final List<Edge> edges;
    /** Namespaces its unknown references point into. */
    final Set<String> unknownNamespaces;

    Results(
        List<Agreement> asCaller,
        List<Diagnostic> diagnostics,
        List<Edge> edges,
        Set<String> unknownNamespaces) {
      this.asCaller = asCaller;
      this.diagnostics = diagnostics;
      this.edges = edges;
      this.unknownNamespaces = unknownNamespaces;
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
