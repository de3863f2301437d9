package dev.lattice.graph;

import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.diagnostics.DiagnosticCode;
import dev.lattice.internal.Parallel;
import dev.lattice.model.Egress;
import dev.lattice.model.Port;
import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import dev.lattice.model.Settings;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Bilateral resolution. An agreement caller→callee exists only when the caller declares the callee
 * outbound (or both) and the callee declares the caller inbound (or both); a wildcard on one side
 * matches any explicit declaration on the other, never another wildcard. Per side, an explicit
 * declaration of a peer wins over the wildcard.
 *
 * <p>A change recomputes the nodes of the changed services, the pair results of every service that
 * names them or that they name, the inbound lists of the callees those touch, and the waypoints of
 * the namespaces involved. Every lookup is a hash lookup; a wildcard outbound side is matched
 * through the reverse index of explicit inbound declarations, never by scanning all services. An
 * update is linear in the degree of what it touches. A full resolution is the state an update of
 * the empty state with every service would leave, built in bulk by {@link FullResolution} from the
 * same nodes, pair results and waypoints (the property tests compare the two); it is linear in
 * services plus declarations, and one sort of the ids.
 */
final class Resolver {
  static final Comparator<Port> PORT_ORDER =
      Comparator.comparingInt(Port::port).thenComparing(Port::protocol).thenComparing(Port::name);

  private final Settings settings;
  private final Indexes ix;
  private final CallerResults callers;
  private final Waypoints waypoints;

  /** Errors among the diagnostics of nodes, pair results and namespaces (not the graph's own). */
  private int errors;

  /** From how many items the independent steps run on two threads ({@link Parallel}). */
  private final int parallelFrom;

  private Resolver(State base, int parallelFrom) {
    this.parallelFrom = parallelFrom;
    this.settings = base.settings;
    this.ix = new Indexes(base);
    this.callers = new CallerResults(ix);
    this.waypoints = new Waypoints(settings, ix);
    this.errors = base.errorCount - State.errors(base.graphDiagnostics);
  }

  /** A full resolution of {@code graph}. */
  static Topology resolve(ServiceGraph graph, Settings settings) {
    List<Diagnostic> graphDiagnostics = new ArrayList<>(graph.diagnostics());
    Map<ServiceId, Service> unique =
        new java.util.LinkedHashMap<>(graph.services().size() * 4 / 3 + 1);
    for (Service s : graph.services()) {
      Service existing = unique.putIfAbsent(s.id(), s);
      if (existing != null && !existing.equals(s)) {
        graphDiagnostics.add(
            Diagnostic.of(
                DiagnosticCode.DUPLICATE_SERVICE,
                s.id().toString(),
                s.source(),
                s.id()
                    + " is declared twice with different definitions"
                    + existing.source().map(l -> " (first at " + l + ")").orElse("")
                    + "; keep one definition and merge the other into it"));
      }
    }
    return FullResolution.resolve(settings, unique.values(), graphDiagnostics, Parallel.MIN_ITEMS);
  }

  /** The outcome of an update: the new topology and what the change touched. */
  static final class Update {
    final Topology topology;
    final Set<ServiceId> affectedServices;
    final Set<String> affectedNamespaces;
    final Set<ServiceId> changedServices;
    final Set<ServiceId> removedServices;

    Update(
        Topology topology,
        Set<ServiceId> affectedServices,
        Set<String> affectedNamespaces,
        Set<ServiceId> changedServices,
        Set<ServiceId> removedServices) {
      this.topology = topology;
      this.affectedServices = affectedServices;
      this.affectedNamespaces = affectedNamespaces;
      this.changedServices = changedServices;
      this.removedServices = removedServices;
    }
  }

  /**
   * {@code base} with {@code upserts} added or replaced and {@code removals} removed; the graph
   * diagnostics become {@code graphDiagnostics}.
   */
  static Update update(
      State base,
      Collection<Service> upserts,
      Collection<ServiceId> removals,
      List<Diagnostic> graphDiagnostics) {
    return update(base, upserts, removals, graphDiagnostics, Parallel.MIN_ITEMS);
  }

  /**
   * {@link #update(State, Collection, Collection, List)} with its independent steps on two threads
   * from {@code parallelFrom} items on: the same result for any value (the tests compare).
   */
  static Update update(
      State base,
      Collection<Service> upserts,
      Collection<ServiceId> removals,
      List<Diagnostic> graphDiagnostics,
      int parallelFrom) {
    Resolver r = new Resolver(base, parallelFrom);
    return r.apply(upserts, removals, graphDiagnostics);
  }

  private Update apply(
      Collection<Service> upserts,
      Collection<ServiceId> removals,
      List<Diagnostic> graphDiagnostics) {
    Set<ServiceId> affected = new LinkedHashSet<>();
    Set<String> touchedNamespaces = new TreeSet<>();
    Set<ServiceId> changedCallees = new HashSet<>();
    // hash sets: a full resolution puts every service here, and TopologyUpdate keeps no order
    Set<ServiceId> removed = new HashSet<>();
    Set<ServiceId> changed = new HashSet<>();
    boolean idsChanged = false;
    for (ServiceId x : removals) {
      Node old = ix.nodes.remove(x);
      if (old == null) {
        continue;
      }
      removed.add(x);
      errors -= State.errors(old.diagnostics);
      ix.unindex(old);
      affected.addAll(old.names());
      affected.addAll(ix.namedBy.getOrDefault(x, Set.of()));
      affected.addAll(ix.unknownInto.getOrDefault(x.namespace(), Set.of()));
      ix.mutableNames(x.namespace()).remove(x.name());
      touchedNamespaces.add(x.namespace());
      State.Results gone = ix.results.remove(x);
      if (gone != null) {
        errors -= gone.errors;
        ix.dropInbound(x, gone.asCaller, changedCallees);
        ix.unknownIndex(x, gone.unknownNamespaces, Set.of());
      }
      ix.inbound.remove(x);
      idsChanged = true;
    }
    // a node is a function of its service and the settings alone: built on two threads when many
    List<Service> upserted = List.copyOf(upserts);
    Object[] built = Parallel.map(upserted, s -> new Node(s, settings), parallelFrom);
    for (int u = 0; u < built.length; u++) {
      Service s = upserted.get(u);
      Node old = ix.nodes.get(s.id());
      removed.remove(s.id());
      changed.add(s.id());
      if (old != null) {
        errors -= State.errors(old.diagnostics);
        ix.unindex(old);
        affected.addAll(old.names());
      } else {
        idsChanged = true;
        ix.mutableNames(s.namespace()).add(s.name());
        affected.addAll(ix.unknownInto.getOrDefault(s.namespace(), Set.of()));
      }
      Node node = (Node) built[u];
      errors += State.errors(node.diagnostics);
      ix.nodes.put(node.id, node);
      ix.index(node);
      affected.add(node.id);
      affected.addAll(node.names());
      affected.addAll(ix.namedBy.getOrDefault(node.id, Set.of()));
      touchedNamespaces.add(s.namespace());
    }
    affected.removeIf(id -> !ix.nodes.containsKey(id));
    if (idsChanged) {
      ix.updateIds(removals, upserts);
    }

    // the services whose own declarations changed: a wildcard caller that did not change patches
    // only its pairs with these
    Set<ServiceId> dirty = new HashSet<>(changed);
    dirty.addAll(removed);
    // each service's pair results read the nodes and the reverse indexes, never another's results
    // (nor what this loop writes): computed first, on two threads when many, then applied in order
    List<ServiceId> order = new ArrayList<>(affected);
    Object[] computed =
        Parallel.map(
            order,
            a ->
                callers.compute(
                    ix.nodes.get(a),
                    changed.contains(a) ? null : ix.results.getOrDefault(a, State.Results.NONE),
                    dirty),
            parallelFrom);
    for (int k = 0; k < computed.length; k++) {
      ServiceId a = order.get(k);
      State.Results before = ix.results.getOrDefault(a, State.Results.NONE);
      State.Results after = (State.Results) computed[k];
      // an unchanged wildcard caller whose pairs were patched differs at a few callees only: those
      // are compared and reindexed by bisection, not by a walk of a hub's whole list
      Set<ServiceId> patched =
          before.wild == null || after.wild == null || changed.contains(a)
              ? null
              : CallerResults.patchable(before, after.explicit, dirty);
      boolean sameAgreements;
      if (before.asCaller == after.asCaller) {
        sameAgreements = true;
      } else if (patched != null) {
        sameAgreements =
            !ix.reindexInbound(a, before.asCaller, after.asCaller, patched, changedCallees);
      } else {
        sameAgreements = before.asCaller.equals(after.asCaller);
        if (!sameAgreements) {
          ix.reindexInbound(a, before.asCaller, after.asCaller, changedCallees);
        }
      }
      if (sameAgreements && before != State.Results.NONE && before.asCaller != after.asCaller) {
        // keep the very list: TopologyUpdate.servicesToRender() then sees "unchanged" by identity
        after =
            new State.Results(
                before.asCaller,
                after.explicit,
                after.diagnostics,
                after.edges,
                after.unknownNamespaces,
                after.wild,
                after.wildErrors());
      }
      errors += after.errors - before.errors;
      ix.results.put(a, after);
      ix.unknownIndex(a, before.unknownNamespaces, after.unknownNamespaces);
    }
    for (ServiceId c : changedCallees) {
      if (ix.nodes.containsKey(c)) {
        touchedNamespaces.add(c.namespace());
      }
    }

    Set<ServiceId> affectedServices = new HashSet<>(affected);
    for (ServiceId c : changedCallees) {
      if (ix.nodes.containsKey(c)) {
        affectedServices.add(c);
      }
    }
    for (String ns : touchedNamespaces) {
      State.NamespaceResult before = ix.namespaces.getOrDefault(ns, State.NamespaceResult.NONE);
      State.NamespaceResult after = waypoints.of(ns);
      errors += State.errors(after.diagnostics) - State.errors(before.diagnostics);
      if (after.waypoints.isEmpty() && after.diagnostics.isEmpty()) {
        ix.namespaces.remove(ns);
      } else {
        ix.namespaces.put(ns, after);
      }
      // a service that moves behind a waypoint (or out) changes its callers' routes too
      Set<ServiceId> moved = new HashSet<>();
      for (Map.Entry<ServiceId, Waypoint> e : after.fronting.entrySet()) {
        if (!e.getValue().equals(before.fronting.get(e.getKey()))) {
          moved.add(e.getKey());
        }
      }
      for (ServiceId id : before.fronting.keySet()) {
        if (!after.fronting.containsKey(id)) {
          moved.add(id);
        }
      }
      Waypoint egressBefore = before.egressWaypoint();
      Waypoint egressAfter = after.egressWaypoint();
      boolean egressMoved = !java.util.Objects.equals(egressBefore, egressAfter);
      for (ServiceId id : moved) {
        if (ix.nodes.containsKey(id)) {
          affectedServices.add(id);
          for (Agreement ag : ix.inbound.getOrDefault(id, List.of())) {
            affectedServices.add(ag.caller());
          }
        }
      }
      if (egressMoved) {
        for (String name : ix.names.getOrDefault(ns, new TreeSet<>())) {
          ServiceId id = ServiceId.of(ns, name);
          Node n = ix.nodes.get(id);
          if (n != null && n.service.egress().stream().anyMatch(Egress::isMeshRouted)) {
            affectedServices.add(id);
          }
        }
      }
    }

    State state =
        new State(
            settings,
            withScraperCheck(settings, ix.nodes, graphDiagnostics),
            ix.nodes,
            ix.results,
            ix.admittedBy,
            ix.namedBy,
            ix.names,
            ix.unknownInto,
            ix.inbound,
            ix.namespaces,
            ix.ids,
            errors + State.errors(graphDiagnostics));
    return new Update(new Topology(state), affectedServices, touchedNamespaces, changed, removed);
  }

  /** The model path of the diagnostic that says the settings' metrics scraper is missing. */
  static final String SCRAPER_PATH = "settings.metricsScraper";

  /**
   * {@code graphDiagnostics} with the one diagnostic about the settings' metrics scraper brought up
   * to date: present while the scraper is not declared (the services that admit it implicitly stay
   * closed to it, and say nothing each), gone once it is. One lookup per update.
   */
  static List<Diagnostic> withScraperCheck(
      Settings settings, Map<ServiceId, Node> nodes, List<Diagnostic> graphDiagnostics) {
    List<Diagnostic> out = new ArrayList<>(graphDiagnostics.size() + 1);
    for (Diagnostic d : graphDiagnostics) {
      if (!(d.code() == DiagnosticCode.UNKNOWN_SERVICE && SCRAPER_PATH.equals(d.path()))) {
        out.add(d);
      }
    }
    Optional<ServiceId> scraper = settings.metricsScraper();
    if (scraper.isPresent() && !nodes.isEmpty() && !nodes.containsKey(scraper.get())) {
      out.add(
          Diagnostic.of(
              DiagnosticCode.UNKNOWN_SERVICE,
              SCRAPER_PATH,
              Optional.empty(),
              "the settings name "
                  + scraper.get()
                  + " as the metrics scraper that every service's metrics port admits, but it"
                  + " is not declared, so no service is scraped; declare it (a LatticeMeshMember"
                  + " with its selector, service account, and dependencies: [{name: \"*\","
                  + " podIp: true}]) or drop the setting"));
    }
    return List.copyOf(out);
  }
}
