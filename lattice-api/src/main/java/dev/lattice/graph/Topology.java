package dev.lattice.graph;

import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.diagnostics.DiagnosticCode;
import dev.lattice.diagnostics.LatticeException;
import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import dev.lattice.model.Settings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A resolved graph: the services, the agreements both sides declared, per-service views, the
 * waypoints needed, and every diagnostic. Renderers take a topology without errors ({@link
 * #orThrow()}); tools read the diagnostics. Immutable and thread-safe; {@link #update} derives the
 * next topology from a change without resolving everything again.
 *
 * <pre>{@code
 * Topology t = graph.resolve();
 * t.diagnostics().forEach(System.err::println);
 * if (!t.hasErrors()) { ... render ... }
 * }</pre>
 */
public final class Topology {
  private final State state;
  private volatile List<Agreement> agreements;
  private volatile List<Diagnostic> diagnostics;
  private volatile List<Edge> edges;
  private volatile List<Waypoint> waypoints;
  private volatile List<Service> services;
  private volatile List<ServiceView> views;

  /** Held while {@link #views} is built: both renderers ask for it at once. */
  private final Object viewsLock = new Object();

  Topology(State state) {
    this.state = state;
  }

  State state() {
    return state;
  }

  /** The settings it was resolved with. */
  public Settings settings() {
    return state.settings;
  }

  /** Every service, once, sorted by id. */
  public List<Service> services() {
    List<Service> s = services;
    if (s == null) {
      List<Service> list = new ArrayList<>(state.ids.size());
      for (ServiceId id : state.ids) {
        list.add(state.nodes.get(id).service);
      }
      services = s = List.copyOf(list);
    }
    return s;
  }

  /** The namespaces that hold services, sorted. */
  public List<String> namespaces() {
    List<String> list = new ArrayList<>();
    state.names.forEach(
        (ns, names) -> {
          if (!names.isEmpty()) {
            list.add(ns);
          }
        });
    list.sort(null);
    return list;
  }

  /**
   * The services of {@code namespace}, sorted by name; in time of that namespace's size, not the
   * cluster's.
   */
  public List<Service> services(String namespace) {
    java.util.TreeSet<String> names = state.names.get(namespace);
    if (names == null) {
      return List.of();
    }
    // looked up as read, and the names copied only past the first: a caller that stops at the
    // first match (the probe policy asks "any ambient service here?") pays for what it read
    int size = names.size();
    return new java.util.AbstractList<>() {
      private String[] sorted;

      @Override
      public Service get(int i) {
        String name;
        if (i == 0 && size > 0) {
          name = names.first();
        } else {
          if (sorted == null) {
            sorted = names.toArray(new String[0]);
          }
          name = sorted[i];
        }
        return state.nodes.get(ServiceId.of(namespace, name)).service;
      }

      @Override
      public int size() {
        return size;
      }
    };
  }

  /** The service with {@code id}, if it is in the graph. */
  public Optional<Service> service(ServiceId id) {
    Node n = state.nodes.get(id);
    return n == null ? Optional.empty() : Optional.of(n.service);
  }

  /** Every agreement, sorted by caller then callee. */
  public List<Agreement> agreements() {
    List<Agreement> a = agreements;
    if (a == null) {
      List<Agreement> list = new ArrayList<>();
      for (ServiceId id : state.ids) {
        list.addAll(state.results.getOrDefault(id, State.Results.NONE).asCaller);
      }
      agreements = a = List.copyOf(list);
    }
    return a;
  }

  /** The view of one service. */
  public Optional<ServiceView> view(ServiceId id) {
    Node n = state.nodes.get(id);
    if (n == null) {
      return Optional.empty();
    }
    State.NamespaceResult ns =
        state.namespaces.getOrDefault(id.namespace(), State.NamespaceResult.NONE);
    Waypoint egress = n.service.isAmbient() && isMeshRouted(n.service) ? ns.egressWaypoint() : null;
    return Optional.of(
        new ServiceView(
            n.service,
            state.inbound.getOrDefault(id, List.of()),
            state.results.getOrDefault(id, State.Results.NONE).asCaller,
            ns.fronting.get(id),
            egress));
  }

  private static boolean isMeshRouted(Service s) {
    for (dev.lattice.model.Egress e : s.egress()) {
      if (e.isMeshRouted()) {
        return true;
      }
    }
    return false;
  }

  /**
   * The waypoint in front of {@code id}, as {@code view(id).waypoint()} gives it, with one lookup
   * instead of the whole view: renderers ask it of every callee of every service.
   */
  public Optional<Waypoint> waypoint(ServiceId id) {
    return Optional.ofNullable(
        state.namespaces.getOrDefault(id.namespace(), State.NamespaceResult.NONE).fronting.get(id));
  }

  /**
   * The views of every service, in the order of {@link #services()}; unmodifiable. Built once, by
   * the first caller, while a concurrent caller waits: both renderers start with it, at the same
   * time when they render together. At 50,000 services it was built twice, once per layer, and was
   * in 29 of the 67 JFR samples under the Istio renderer.
   */
  public List<ServiceView> views() {
    List<ServiceView> v = views;
    if (v == null) {
      synchronized (viewsLock) {
        v = views;
        if (v == null) {
          ServiceView[] array = new ServiceView[state.ids.size()];
          int i = 0;
          for (ServiceId id : state.ids) {
            array[i++] = view(id).orElseThrow();
          }
          views = v = Collections.unmodifiableList(Arrays.asList(array));
        }
      }
    }
    return v;
  }

  /** The waypoints the topology needs, sorted by namespace and name. */
  public List<Waypoint> waypoints() {
    List<Waypoint> w = waypoints;
    if (w == null) {
      List<Waypoint> list = new ArrayList<>();
      state.namespaces.values().forEach(ns -> list.addAll(ns.waypoints));
      list.sort(Comparator.naturalOrder());
      waypoints = w = List.copyOf(list);
    }
    return w;
  }

  /** Every declared edge and what became of it, sorted; for drawing and explaining. */
  public List<Edge> edges() {
    List<Edge> e = edges;
    if (e == null) {
      List<Edge> list = new ArrayList<>();
      state.results.values().forEach(r -> r.allEdges(list));
      // resolution keeps no edge object per agreement (150,000 at 50,000 services, for a tool
      // that may never ask): each agreement but peer traffic is an AGREED edge with its rules
      for (Agreement a : agreements()) {
        if (!a.isPeerTraffic()) {
          list.add(
              Edge.builder()
                  .caller(a.caller().toString())
                  .callee(a.callee().toString())
                  .status(Edge.Status.AGREED)
                  .addAllHttpRules(a.httpRules())
                  .build());
        }
      }
      list.sort(Comparator.naturalOrder());
      edges = e = List.copyOf(list);
    }
    return e;
  }

  /** Every diagnostic, sorted by location, path and code. */
  public List<Diagnostic> diagnostics() {
    List<Diagnostic> d = diagnostics;
    if (d == null) {
      List<Diagnostic> list = new ArrayList<>(state.graphDiagnostics);
      for (Node n : state.nodes.values()) {
        list.addAll(n.diagnostics);
      }
      state.results.values().forEach(r -> r.allDiagnostics(list));
      state.namespaces.values().forEach(ns -> list.addAll(ns.diagnostics));
      list.sort(Comparator.naturalOrder());
      diagnostics = d = List.copyOf(list);
    }
    return d;
  }

  /**
   * Whether any diagnostic is an error; renderers refuse such a topology. Constant time: each
   * update keeps the count, so a controller's re-render does not gather every diagnostic.
   */
  public boolean hasErrors() {
    return state.errorCount > 0;
  }

  /**
   * This topology, if it has no errors.
   *
   * @throws LatticeException carrying every diagnostic, when some are errors
   */
  public Topology orThrow() {
    if (hasErrors()) {
      throw new LatticeException(diagnostics());
    }
    return this;
  }

  /**
   * The topology after {@code upserts} are added or replace the services with their ids, and {@code
   * removals} are removed — computed from this one, touching only the changed services, the
   * services that name them or that they name, and their namespaces' waypoints. Equal to resolving
   * the changed graph from scratch.
   *
   * <pre>{@code
   * TopologyUpdate u = topology.update(List.of(changedService), List.of());
   * for (ServiceId id : u.affectedServices()) { ... re-render id ... }
   * }</pre>
   */
  public TopologyUpdate update(Collection<Service> upserts, Collection<ServiceId> removals) {
    Set<ServiceId> replaced = new java.util.HashSet<>(removals);
    upserts.forEach(s -> replaced.add(s.id()));
    List<Diagnostic> graphDiagnostics = new ArrayList<>();
    for (Diagnostic d : state.graphDiagnostics) {
      // a replaced service is defined once now: its duplicate report no longer applies
      boolean stale =
          d.code() == DiagnosticCode.DUPLICATE_SERVICE
              && replaced.stream().anyMatch(id -> id.toString().equals(d.path()));
      if (!stale) {
        graphDiagnostics.add(d);
      }
    }
    Resolver.Update u = Resolver.update(state, upserts, removals, graphDiagnostics);
    return new TopologyUpdate(
        this,
        u.topology,
        u.affectedServices,
        u.affectedNamespaces,
        u.changedServices,
        u.removedServices);
  }
}
