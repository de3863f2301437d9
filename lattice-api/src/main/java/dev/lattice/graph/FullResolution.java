package dev.lattice.graph;

import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.internal.Parallel;
import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import dev.lattice.model.Settings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A full resolution: the state that an update of the empty state with every service gives ({@link
 * Resolver#update}; the property tests compare the two), built in bulk. An update keeps its indexes
 * one change at a time, as it must: copy-on-write maps of layered sets, each callee's inbound list
 * kept sorted by bisection, the sorted ids by a sort of every key. With every service new, none of
 * that pays. Here the ids are sorted once (the namespaces, then each one's names), the reverse
 * indexes are filled into plain maps, and each callee's inbound list is appended to in caller
 * order, so it comes out sorted. Nodes, pair results and waypoints are the update's own code; they
 * and the independent index fills run on two threads when the services are many.
 *
 * <p>At 50,000 services (C1 only) the full resolution went from 3.1-3.3 s of its thread's CPU
 * through the update to about a third of that.
 */
final class FullResolution {
  private static final Comparator<Node> BY_NAME = Comparator.comparing(n -> n.service.name());

  private final Settings settings;
  private final int parallelFrom;
  private final Node[] built;
  private final Map<ServiceId, Node> nodes;
  private final Node[] sorted;
  private final List<ServiceId> ids;
  private final List<String> namespaces = new ArrayList<>();
  private final Map<String, TreeSet<String>> names = new HashMap<>();
  private final Map<ServiceId, Object> admittedBy;
  private final Map<ServiceId, Object> namedBy;
  private final Map<ServiceId, State.Results> results;
  private final Map<ServiceId, List<Agreement>> inbound;
  private final Map<String, Object> unknownInto = new HashMap<>();
  private final Map<String, State.NamespaceResult> namespaceResults = new HashMap<>();

  /** Errors among the nodes' diagnostics, and among the pair results'. */
  private int nodeErrors;

  private int resultErrors;

  private FullResolution(Settings settings, Object[] built, int parallelFrom) {
    this.settings = settings;
    this.parallelFrom = parallelFrom;
    int n = built.length;
    this.built = Arrays.copyOf(built, n, Node[].class);
    this.nodes = new HashMap<>(capacity(n));
    this.sorted = new Node[n];
    this.ids = new ArrayList<>(n);
    this.admittedBy = new HashMap<>(capacity(n));
    this.namedBy = new HashMap<>(capacity(n));
    this.results = new HashMap<>(capacity(n));
    this.inbound = new HashMap<>(capacity(n));
  }

  /** The topology of {@code services} (unique ids), with {@code graphDiagnostics} as its own. */
  static Topology resolve(
      Settings settings,
      Collection<Service> services,
      List<Diagnostic> graphDiagnostics,
      int parallelFrom) {
    List<Service> upserted = List.copyOf(services);
    Map<ServiceId, ServiceId> known = new HashMap<>(capacity(upserted.size()));
    for (Service s : upserted) {
      known.put(s.id(), s.id());
    }
    // a node is a function of its service and the settings alone (the ids it keys its peers by are
    // equal whatever the instances)
    Object[] built = Parallel.map(upserted, s -> new Node(s, settings, known), parallelFrom);
    return new FullResolution(settings, built, parallelFrom).resolve(graphDiagnostics);
  }

  private Topology resolve(List<Diagnostic> graphDiagnostics) {
    boolean many = built.length >= parallelFrom;
    both(
        () -> {
          for (Node m : built) {
            nodes.put(m.id, m);
            nodeErrors += State.errors(m.diagnostics);
          }
          for (Node m : built) {
            for (ServiceId peer : m.names()) {
              entry(namedBy, peer).put(m.id, Boolean.TRUE);
            }
          }
        },
        () -> {
          sort();
          // filled in id order: a wildcard caller's admitting set then iterates in callee order,
          // and the sort of its tens of thousands of pairs finds them sorted
          for (Node m : sorted) {
            // forEach, not keySet(): see Node#names
            m.in.forEach((peer, d) -> entry(admittedBy, peer).put(m.id, Boolean.TRUE));
          }
        },
        many);
    State reading =
        new State(
            settings,
            graphDiagnostics,
            nodes,
            results,
            layeredSets(admittedBy),
            layeredSets(namedBy),
            names,
            Map.of(),
            inbound,
            namespaceResults,
            ids,
            0);
    Indexes ix = Indexes.reading(reading);

    // each service's pair results read the nodes, their names and who admits whom, nothing more
    CallerResults callers = new CallerResults(ix);
    Object[] computed =
        Parallel.map(Arrays.asList(sorted), a -> callers.compute(a, null, Set.of()), parallelFrom);
    both(
        () -> {
          for (int i = 0; i < sorted.length; i++) {
            State.Results r = (State.Results) computed[i];
            resultErrors += r.errors;
            results.put(sorted[i].id, r);
            for (String ns : r.unknownNamespaces) {
              entry(unknownInto, ns).put(sorted[i].id, Boolean.TRUE);
            }
          }
        },
        () -> {
          // callers in id order: each callee's list comes out sorted by caller (a caller has one
          // agreement per callee at most)
          for (Object r : computed) {
            for (Agreement ag : ((State.Results) r).asCaller) {
              inbound.computeIfAbsent(ag.callee(), c -> new ArrayList<>(4)).add(ag);
            }
          }
        },
        many);

    // each namespace's waypoints read the nodes, names and inbound lists only
    Waypoints waypoints = new Waypoints(settings, ix);
    Object[] perNamespace = Parallel.map(namespaces, waypoints::of, Math.max(1, parallelFrom / 16));
    int errors = nodeErrors + resultErrors;
    for (int i = 0; i < perNamespace.length; i++) {
      State.NamespaceResult r = (State.NamespaceResult) perNamespace[i];
      errors += State.errors(r.diagnostics);
      if (!r.waypoints.isEmpty() || !r.diagnostics.isEmpty()) {
        namespaceResults.put(namespaces.get(i), r);
      }
    }
    State state =
        new State(
            settings,
            Resolver.withScraperCheck(settings, nodes, graphDiagnostics),
            nodes,
            results,
            reading.admittedBy,
            reading.namedBy,
            names,
            layeredSets(unknownInto),
            inbound,
            namespaceResults,
            ids,
            errors + State.errors(graphDiagnostics));
    return new Topology(state);
  }

  /**
   * The nodes in id order, the sorted ids and each namespace's names: sorted once, by namespace and
   * then by name within each, which is the order of service ids.
   */
  private void sort() {
    Map<String, List<Node>> byNamespace = new HashMap<>();
    for (Node m : built) {
      byNamespace.computeIfAbsent(m.id.namespace(), k -> new ArrayList<>()).add(m);
    }
    namespaces.addAll(byNamespace.keySet());
    namespaces.sort(null);
    int k = 0;
    for (String ns : namespaces) {
      List<Node> members = byNamespace.get(ns);
      members.sort(BY_NAME);
      TreeSet<String> inNs = new TreeSet<>();
      for (Node m : members) {
        sorted[k++] = m;
        ids.add(m.id);
        inNs.add(m.service.name());
      }
      names.put(ns, inNs);
    }
  }

  /**
   * {@code first} and {@code second}, which write apart and read nothing the other writes; on two
   * threads when {@code twoThreads}.
   */
  private static void both(Runnable first, Runnable second, boolean twoThreads) {
    Parallel.map(
        List.of(first, second),
        r -> {
          r.run();
          return Boolean.TRUE;
        },
        twoThreads ? 1 : Integer.MAX_VALUE);
  }

  /** A hash map's capacity for {@code n} entries without a resize. */
  private static int capacity(int n) {
    return (int) Math.min(1 << 30, n * 4L / 3 + 1);
  }

  /**
   * The entry {@code key} of a reverse index being filled, created when absent: in insertion order,
   * as compact as the few ids most entries have (see {@link IdMap}).
   */
  @SuppressWarnings("unchecked")
  private static <K> Map<ServiceId, Boolean> entry(Map<K, Object> index, K key) {
    Object s = index.get(key);
    if (s == null) {
      s = new IdMap<Boolean>();
      index.put(key, s);
    }
    return (Map<ServiceId, Boolean>) s;
  }

  /**
   * A filled reverse index with each entry as the set an update layers over: a plain set would be
   * copied whole by the first update that writes to it, tens of thousands of ids for a hub.
   */
  @SuppressWarnings("unchecked")
  private static <K> Map<K, Set<ServiceId>> layeredSets(Map<K, Object> index) {
    index.replaceAll((key, m) -> LayeredSet.of((Map<ServiceId, Boolean>) m));
    return (Map<K, Set<ServiceId>>) (Map<K, ?>) index;
  }
}
