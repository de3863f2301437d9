package dev.lattice.graph;

import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.diagnostics.DiagnosticCode;
import dev.lattice.model.Declaration;
import dev.lattice.model.Direction;
import dev.lattice.model.Egress;
import dev.lattice.model.HttpRule;
import dev.lattice.model.PeerAuth;
import dev.lattice.model.Port;
import dev.lattice.model.Protocol;
import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import dev.lattice.model.Settings;
import dev.lattice.model.SourceLocation;
import dev.lattice.model.WaypointScope;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Bilateral resolution. An agreement caller→callee exists only when the caller declares the callee
 * outbound (or both) and the callee declares the caller inbound (or both); a wildcard on one side
 * matches any explicit declaration on the other, never another wildcard. Per side, an explicit
 * declaration of a peer wins over the wildcard.
 *
 * <p>One code path serves a full resolution (an update of the empty state with every service) and
 * an incremental one: a change recomputes the nodes of the changed services, the pair results of
 * every service that names them or that they name, the inbound lists of the callees those touch,
 * and the waypoints of the namespaces involved. Every lookup is a hash lookup; a wildcard outbound
 * side is matched through the reverse index of explicit inbound declarations, never by scanning all
 * services. So a full resolution is linear in services plus declarations, and an update is linear
 * in the degree of what it touches.
 */
final class Resolver {
  static final Comparator<Port> PORT_ORDER =
      Comparator.comparingInt(Port::port).thenComparing(Port::protocol).thenComparing(Port::name);

  private final Settings settings;
  private final Map<ServiceId, Node> nodes;
  private final Map<ServiceId, State.Results> results;
  private final Map<ServiceId, Set<ServiceId>> admittedBy;
  private final Map<ServiceId, Set<ServiceId>> namedBy;
  private final Map<String, TreeSet<String>> names;
  private final Map<String, Set<ServiceId>> unknownInto;
  private final Map<ServiceId, List<Agreement>> inbound;
  private final Map<String, State.NamespaceResult> namespaces;
  private final List<ServiceId> ids;

  /** Entries of the maps above already copied in this update (copy-on-write per entry). */
  private final Set<Object> copied = new HashSet<>();

  /** Errors among the diagnostics of nodes, pair results and namespaces (not the graph's own). */
  private int errors;

  private Resolver(State base) {
    this.settings = base.settings;
    // layered, not copied: an update pays for what it changes, not for the size of the cluster
    this.nodes = Layered.over(base.nodes);
    this.results = Layered.over(base.results);
    this.admittedBy = Layered.over(base.admittedBy);
    this.namedBy = Layered.over(base.namedBy);
    this.names = Layered.over(base.names);
    this.unknownInto = Layered.over(base.unknownInto);
    this.inbound = Layered.over(base.inbound);
    this.namespaces = Layered.over(base.namespaces);
    this.ids = new ArrayList<>(base.ids);
    this.errors = base.errorCount - State.errors(base.graphDiagnostics);
  }

  /** A full resolution of {@code graph}. */
  static Topology resolve(ServiceGraph graph, Settings settings) {
    List<Diagnostic> graphDiagnostics = new ArrayList<>(graph.diagnostics());
    Map<ServiceId, Service> unique = new java.util.LinkedHashMap<>();
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
    Update u = update(State.empty(settings), unique.values(), List.of(), graphDiagnostics);
    return u.topology;
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
    Resolver r = new Resolver(base);
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
      Node old = nodes.remove(x);
      if (old == null) {
        continue;
      }
      removed.add(x);
      errors -= State.errors(old.diagnostics);
      unindex(old);
      affected.addAll(old.names());
      affected.addAll(namedBy.getOrDefault(x, Set.of()));
      affected.addAll(unknownInto.getOrDefault(x.namespace(), Set.of()));
      mutableNames(x.namespace()).remove(x.name());
      touchedNamespaces.add(x.namespace());
      State.Results gone = results.remove(x);
      if (gone != null) {
        errors -= gone.errors;
        dropInbound(x, gone.asCaller, changedCallees);
        unknownIndex(x, gone.unknownNamespaces, Set.of());
      }
      inbound.remove(x);
      idsChanged = true;
    }
    for (Service s : upserts) {
      Node old = nodes.get(s.id());
      removed.remove(s.id());
      changed.add(s.id());
      if (old != null) {
        errors -= State.errors(old.diagnostics);
        unindex(old);
        affected.addAll(old.names());
      } else {
        idsChanged = true;
        mutableNames(s.namespace()).add(s.name());
        affected.addAll(unknownInto.getOrDefault(s.namespace(), Set.of()));
      }
      Node node = new Node(s, settings);
      errors += State.errors(node.diagnostics);
      nodes.put(node.id, node);
      index(node);
      affected.add(node.id);
      affected.addAll(node.names());
      affected.addAll(namedBy.getOrDefault(node.id, Set.of()));
      touchedNamespaces.add(s.namespace());
    }
    affected.removeIf(id -> !nodes.containsKey(id));
    if (idsChanged) {
      updateIds(removals, upserts);
    }

    // the services whose own declarations changed: a wildcard caller that did not change patches
    // only its pairs with these
    Set<ServiceId> dirty = new HashSet<>(changed);
    dirty.addAll(removed);
    for (ServiceId a : affected) {
      State.Results before = results.getOrDefault(a, State.Results.NONE);
      State.Results after = compute(nodes.get(a), changed.contains(a) ? null : before, dirty);
      boolean sameAgreements =
          before.asCaller == after.asCaller || before.asCaller.equals(after.asCaller);
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
      results.put(a, after);
      unknownIndex(a, before.unknownNamespaces, after.unknownNamespaces);
      if (!sameAgreements) {
        reindexInbound(a, before.asCaller, after.asCaller, changedCallees);
      }
    }
    for (ServiceId c : changedCallees) {
      if (nodes.containsKey(c)) {
        touchedNamespaces.add(c.namespace());
      }
    }

    Set<ServiceId> affectedServices = new HashSet<>(affected);
    for (ServiceId c : changedCallees) {
      if (nodes.containsKey(c)) {
        affectedServices.add(c);
      }
    }
    for (String ns : touchedNamespaces) {
      State.NamespaceResult before = namespaces.getOrDefault(ns, State.NamespaceResult.NONE);
      State.NamespaceResult after = waypoints(ns);
      errors += State.errors(after.diagnostics) - State.errors(before.diagnostics);
      if (after.waypoints.isEmpty() && after.diagnostics.isEmpty()) {
        namespaces.remove(ns);
      } else {
        namespaces.put(ns, after);
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
        if (nodes.containsKey(id)) {
          affectedServices.add(id);
          for (Agreement ag : inbound.getOrDefault(id, List.of())) {
            affectedServices.add(ag.caller());
          }
        }
      }
      if (egressMoved) {
        for (String name : names.getOrDefault(ns, new TreeSet<>())) {
          ServiceId id = ServiceId.of(ns, name);
          Node n = nodes.get(id);
          if (n != null && n.service.egress().stream().anyMatch(Egress::isMeshRouted)) {
            affectedServices.add(id);
          }
        }
      }
    }

    State state =
        new State(
            settings,
            withScraperCheck(graphDiagnostics),
            nodes,
            results,
            admittedBy,
            namedBy,
            names,
            unknownInto,
            inbound,
            namespaces,
            ids,
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
  private List<Diagnostic> withScraperCheck(List<Diagnostic> graphDiagnostics) {
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

  /**
   * Brings the sorted id list up to date: by bisection for a few changes (a copy of the list, no
   * sort), by sorting the keys for many (a full resolution).
   */
  private void updateIds(Collection<ServiceId> removals, Collection<Service> upserts) {
    if (removals.size() + upserts.size() > 16 + ids.size() / 16) {
      ids.clear();
      ids.addAll(nodes.keySet());
      ids.sort(Comparator.naturalOrder());
      return;
    }
    for (ServiceId x : removals) {
      int i = java.util.Collections.binarySearch(ids, x);
      if (i >= 0 && !nodes.containsKey(x)) {
        ids.remove(i);
      }
    }
    for (Service s : upserts) {
      int i = java.util.Collections.binarySearch(ids, s.id());
      if (i < 0) {
        ids.add(-i - 1, s.id());
      }
    }
  }

  // ---------------------------------------------------------------- indexes

  private void index(Node n) {
    for (ServiceId peer : n.in.keySet()) {
      mutableSet(admittedBy, "a", peer).add(n.id);
    }
    for (ServiceId peer : n.names()) {
      mutableSet(namedBy, "n", peer).add(n.id);
    }
  }

  private void unindex(Node n) {
    for (ServiceId peer : n.in.keySet()) {
      Set<ServiceId> s = mutableSet(admittedBy, "a", peer);
      s.remove(n.id);
      if (s.isEmpty()) {
        admittedBy.remove(peer);
      }
    }
    for (ServiceId peer : n.names()) {
      Set<ServiceId> s = mutableSet(namedBy, "n", peer);
      s.remove(n.id);
      if (s.isEmpty()) {
        namedBy.remove(peer);
      }
    }
  }

  private void unknownIndex(ServiceId id, Set<String> before, Set<String> after) {
    for (String ns : before) {
      if (!after.contains(ns)) {
        Set<ServiceId> s = mutableSet(unknownInto, "u", ns);
        s.remove(id);
        if (s.isEmpty()) {
          unknownInto.remove(ns);
        }
      }
    }
    for (String ns : after) {
      if (!before.contains(ns)) {
        mutableSet(unknownInto, "u", ns).add(id);
      }
    }
  }

  private <K> Set<ServiceId> mutableSet(Map<K, Set<ServiceId>> map, String tag, K key) {
    Set<ServiceId> s = map.get(key);
    if (s == null) {
      s = LayeredSet.empty();
      map.put(key, s);
      copied.add(List.of(tag, key));
    } else if (copied.add(List.of(tag, key))) {
      // layered, not copied: a hub's index set holds a good part of the cluster
      s = LayeredSet.over(s);
      map.put(key, s);
    }
    return s;
  }

  private TreeSet<String> mutableNames(String namespace) {
    return copyOnWrite(names, "ns", namespace, TreeSet::new, TreeSet::new);
  }

  private List<Agreement> mutableInbound(ServiceId callee) {
    return copyOnWrite(inbound, "i", callee, ArrayList::new, ArrayList::new);
  }

  /**
   * The entry {@code key} of {@code map}, made this update's own: created when absent, copied the
   * first time this update writes to it (the previous topology still reads the old one).
   */
  private <K, V> V copyOnWrite(
      Map<K, V> map,
      String tag,
      K key,
      java.util.function.Supplier<V> fresh,
      java.util.function.UnaryOperator<V> copy) {
    V v = map.get(key);
    if (v == null) {
      v = fresh.get();
      map.put(key, v);
      copied.add(List.of(tag, key));
    } else if (copied.add(List.of(tag, key))) {
      v = copy.apply(v);
      map.put(key, v);
    }
    return v;
  }

  private void dropInbound(ServiceId caller, List<Agreement> agreements, Set<ServiceId> touched) {
    for (Agreement ag : agreements) {
      if (!inbound.containsKey(ag.callee())) {
        continue;
      }
      List<Agreement> l = mutableInbound(ag.callee());
      l.removeIf(x -> x.caller().equals(caller));
      touched.add(ag.callee());
    }
  }

  /**
   * Updates the inbound lists of the callees whose agreements with {@code caller} differ between
   * {@code before} and {@code after} (both sorted by callee), and only those: a wildcard caller
   * that gains or loses one agreement touches one callee, not all of them.
   */
  private void reindexInbound(
      ServiceId caller, List<Agreement> before, List<Agreement> after, Set<ServiceId> touched) {
    int i = 0;
    int j = 0;
    while (i < before.size() || j < after.size()) {
      ServiceId callee;
      if (i == before.size()) {
        callee = after.get(j).callee();
      } else if (j == after.size()) {
        callee = before.get(i).callee();
      } else {
        ServiceId x = before.get(i).callee();
        ServiceId y = after.get(j).callee();
        callee = x.compareTo(y) <= 0 ? x : y;
      }
      if (i < before.size()
          && j < after.size()
          && before.get(i) == after.get(j)
          && (i + 1 == before.size() || !before.get(i + 1).callee().equals(callee))
          && (j + 1 == after.size() || !after.get(j + 1).callee().equals(callee))) {
        // the same agreement object, alone for its callee: a patched wildcard pair kept as it was
        i++;
        j++;
        continue;
      }
      int i2 = i;
      while (i2 < before.size() && before.get(i2).callee().equals(callee)) {
        i2++;
      }
      int j2 = j;
      while (j2 < after.size() && after.get(j2).callee().equals(callee)) {
        j2++;
      }
      List<Agreement> was = before.subList(i, i2);
      List<Agreement> now = after.subList(j, j2);
      if (!was.equals(now)) {
        dropInbound(caller, was, touched);
        for (Agreement ag : now) {
          addInbound(ag);
          touched.add(ag.callee());
        }
      }
      i = i2;
      j = j2;
    }
  }

  private void addInbound(Agreement ag) {
    List<Agreement> l = mutableInbound(ag.callee());
    int i = java.util.Collections.binarySearch(l, ag, Comparator.comparing(Agreement::caller));
    l.add(i < 0 ? -i - 1 : i, ag);
  }

  // ---------------------------------------------------------------- pairs

  /**
   * The pair results of one service: its agreements as caller and its declarations' fate. With
   * {@code before} (the results of the same, unchanged node), the pairs of its {@code "*"} outbound
   * side are patched for the {@code dirty} services only, in time of their number plus one array
   * copy, instead of being formed again with every service that admits it.
   */
  private State.Results compute(Node a, State.Results before, Set<ServiceId> dirty) {
    Pairs p = new Pairs();
    for (Map.Entry<ServiceId, Declaration> e : a.out.entrySet()) {
      ServiceId bId = e.getKey();
      Declaration out = e.getValue();
      Node b = nodes.get(bId);
      String path = null;
      Optional<SourceLocation> at = null;
      if (b == null || !b.in.containsKey(a.id) && b.inAny == null || !out.ports().isEmpty()) {
        // something may be reported: a path and location (once per declaration otherwise)
        path = path(a, out);
        at = out.source().or(a.service::source);
      }
      if (b == null) {
        p.unknown(a.id, bId, path, at, "calls");
        p.edge(a.text, bId.toString(), Edge.Status.UNKNOWN_PEER, List.of());
        continue;
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
                    + Node.portNames(b.service));
          }
        }
      }
      Declaration in = b.inboundFor(a.id);
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
        continue;
      }
      p.agree(a, b, out, in);
    }
    List<State.WildPair> wild = null;
    boolean wildSame = false;
    if (a.outAny != null) {
      p.edge(a.id.toString(), "*", Edge.Status.WILDCARD, List.of());
      Set<ServiceId> admitting = admittedBy.getOrDefault(a.id, Set.of());
      if (before != null && before.wild != null) {
        wild = new ArrayList<>(before.wild);
        wildSame = true;
        for (ServiceId bId : new TreeSet<>(dirty)) {
          int at = wildIndex(wild, bId);
          State.WildPair old = at >= 0 ? wild.get(at) : null;
          State.WildPair now = admitting.contains(bId) ? wildPair(a, bId) : null;
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
      wild = java.util.Collections.unmodifiableList(wild);
    }
    for (Map.Entry<ServiceId, Declaration> e : a.in.entrySet()) {
      ServiceId cId = e.getKey();
      Declaration in = e.getValue();
      Node c = nodes.get(cId);
      if (in == a.implicitScraper && (c == null || !c.out.containsKey(a.id) && c.outAny == null)) {
        // the settings' scraper, not the service's word: one graph diagnostic says it is missing
        continue;
      }
      if (c == null) {
        p.unknown(a.id, cId, path(a, in), in.source().or(a.service::source), "admits");
        p.edge(cId.toString(), a.id.toString(), Edge.Status.UNKNOWN_PEER, List.of());
        continue;
      }
      if (c.out.containsKey(a.id) || c.outAny != null) {
        continue; // the caller's side decides (and reports)
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
    if (a.inAny != null) {
      p.edge("*", a.id.toString(), Edge.Status.WILDCARD, List.of());
    }
    if (a.service.allowPeerTraffic() && !a.service.ports().isEmpty()) {
      List<Port> ports = new ArrayList<>(a.service.ports());
      ports.sort(PORT_ORDER);
      p.agreements.add(
          Agreement.builder()
              .caller(a.id)
              .callee(a.id)
              .addAllPorts(ports)
              .peerTraffic(true)
              .outboundSource(a.service.source())
              .inboundSource(a.service.source())
              .build());
    }
    p.agreements.sort(Comparator.comparing(Agreement::callee));
    List<Agreement> explicit = List.copyOf(p.agreements);
    List<Agreement> asCaller;
    if (wild == null) {
      asCaller = explicit;
    } else if (wildSame && explicit.equals(before.explicit)) {
      asCaller = before.asCaller;
    } else {
      asCaller = merge(explicit, wild);
    }
    return new State.Results(
        asCaller, explicit, List.copyOf(p.diagnostics), List.copyOf(p.edges), p.unknownNs, wild);
  }

  /** {@code ns/name.dependsOn[peer]}: the model path of one of {@code n}'s declarations. */
  private static String path(Node n, Declaration d) {
    return n.text + ".dependsOn[" + d.peer() + "]";
  }

  /** The pair of {@code a}'s wildcard outbound side with {@code bId}, or null when none forms. */
  private State.WildPair wildPair(Node a, ServiceId bId) {
    Node b = nodes.get(bId);
    if (b == null || a.out.containsKey(bId)) {
      return null;
    }
    Pairs q = new Pairs();
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
    return java.util.Collections.unmodifiableList(out);
  }

  /** The working lists of one {@link #compute} call. */
  private final class Pairs {
    final List<Agreement> agreements = new ArrayList<>();
    final List<Diagnostic> diagnostics = new ArrayList<>();
    final List<Edge> edges = new ArrayList<>();
    final Set<String> unknownNs = new TreeSet<>();

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
            path(a, out),
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
                path(a, out),
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
              path(a, out),
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
            path(b, in),
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
      ports.sort(PORT_ORDER);
      agreements.add(
          Agreement.builder()
              .caller(a.id)
              .callee(b.id)
              .addAllPorts(ports)
              .addAllHttpRules(in.httpRules())
              .byPodIp(byPodIp)
              .outboundSource(out.source().or(a.service::source))
              .inboundSource(in.source().or(b.service::source))
              .build());
      edge(a.text, b.text, Edge.Status.AGREED, in.httpRules());
    }

    void unknown(
        ServiceId from, ServiceId missing, String path, Optional<SourceLocation> at, String verb) {
      unknownNs.add(missing.namespace());
      TreeSet<String> known = names.get(missing.namespace());
      String hint;
      if (known == null || known.isEmpty()) {
        hint = "no service is declared in namespace " + missing.namespace();
      } else {
        String close = closest(missing.name(), known);
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
          Edge.builder()
              .caller(caller)
              .callee(callee)
              .status(status)
              .addAllHttpRules(rules)
              .build());
    }

    void report(DiagnosticCode code, String path, Optional<SourceLocation> at, String message) {
      diagnostics.add(Diagnostic.of(code, path, at, message));
    }
  }

  /** The known name within edit distance 2 of {@code name}, if one is clearly closest. */
  private static String closest(String name, Set<String> known) {
    String best = null;
    int bestDistance = 3;
    int scanned = 0;
    for (String k : known) {
      if (++scanned > 2000) {
        break;
      }
      if (Math.abs(k.length() - name.length()) >= bestDistance) {
        continue;
      }
      int d = distance(name, k);
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    return best;
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  // ---------------------------------------------------------------- waypoints

  /**
   * One warning per service account that several mesh services of {@code ns} run as. Istio knows a
   * workload by its service account alone ({@code <trustDomain>/ns/<ns>/sa/<sa>}, SEMANTICS I4), so
   * such services are one identity at L7: an agreement of one is granted to all (at L4 each keeps
   * its own pods). Services outside the mesh have no mesh identity and do not count.
   */
  private List<Diagnostic> sharedAccounts(String ns, List<Node> members) {
    Map<String, List<Node>> byAccount = new TreeMap<>();
    for (Node n : members) {
      if (n.service.isAmbient()) {
        byAccount.computeIfAbsent(n.service.serviceAccount(), k -> new ArrayList<>(2)).add(n);
      }
    }
    List<Diagnostic> out = new ArrayList<>();
    for (Map.Entry<String, List<Node>> e : byAccount.entrySet()) {
      List<Node> sharing = e.getValue();
      if (sharing.size() < 2) {
        continue;
      }
      Node first = sharing.get(0);
      String names = sharing.stream().map(n -> n.service.name()).collect(Collectors.joining(", "));
      out.add(
          Diagnostic.of(
              DiagnosticCode.SHARED_SERVICE_ACCOUNT,
              first.text + ".serviceAccount",
              first.service.source(),
              "services "
                  + names
                  + " of namespace "
                  + ns
                  + " all run as service account \""
                  + e.getKey()
                  + "\", which is one identity to Istio ("
                  + settings.principal(ns, e.getKey())
                  + "): whatever one of them is granted at L7, every other one is granted too"
                  + " (Cilium still tells their pods apart). Give each its own service account"
                  + " (spec.serviceAccount, or serviceAccount(...) in the DSL)"));
    }
    return out;
  }

  /** The waypoints one namespace needs, and the names they clash with. */
  private State.NamespaceResult waypoints(String ns) {
    TreeSet<String> inNs = names.get(ns);
    if (inNs == null || inNs.isEmpty()) {
      return State.NamespaceResult.NONE;
    }
    Map<String, Set<ServiceId>> fronted = new TreeMap<>();
    boolean egress = false;
    List<Node> members = new ArrayList<>(inNs.size());
    for (String name : inNs) {
      Node n = nodes.get(ServiceId.of(ns, name));
      members.add(n);
      if (!n.service.isAmbient()) {
        continue;
      }
      boolean behind = false;
      for (Agreement ag : inbound.getOrDefault(n.id, List.of())) {
        if (ag.hasHttpRules()) {
          behind = true;
          break;
        }
      }
      if (behind) {
        String wp =
            settings.waypointScope() == WaypointScope.SERVICE
                ? settings.serviceWaypointName(n.service.name())
                : settings.waypointName();
        fronted.computeIfAbsent(wp, k -> new TreeSet<>()).add(n.id);
      }
      if (n.service.egress().stream().anyMatch(Egress::isMeshRouted)) {
        egress = true;
        fronted.computeIfAbsent(settings.waypointName(), k -> new TreeSet<>());
      }
    }
    List<Diagnostic> diagnostics = new ArrayList<>(sharedAccounts(ns, members));
    if (fronted.isEmpty()) {
      return diagnostics.isEmpty()
          ? State.NamespaceResult.NONE
          : new State.NamespaceResult(List.of(), List.copyOf(diagnostics), Map.of());
    }
    List<Waypoint> waypoints = new ArrayList<>();
    Map<ServiceId, Waypoint> fronting = new HashMap<>();
    for (Map.Entry<String, Set<ServiceId>> e : fronted.entrySet()) {
      String name = e.getKey();
      ServiceId wid = ServiceId.of(ns, name);
      for (Node n : members) {
        if (n.id.equals(wid)) {
          diagnostics.add(
              Diagnostic.of(
                  DiagnosticCode.WAYPOINT_NAME_CLASH,
                  n.id.toString(),
                  n.service.source(),
                  "the waypoint "
                      + wid
                      + " needs the name of service "
                      + n.id
                      + " for its own"
                      + " Service; rename the service or choose another waypoint name in the"
                      + " settings"));
        }
        if (n.service.serviceAccount().equals(name)) {
          diagnostics.add(
              Diagnostic.of(
                  DiagnosticCode.WAYPOINT_NAME_CLASH,
                  n.id.toString(),
                  n.service.source(),
                  n.id
                      + " runs as service account \""
                      + name
                      + "\", the identity of the waypoint "
                      + wid
                      + "; it would pass every policy that admits the waypoint. Give it"
                      + " another service account or choose another waypoint name"));
        }
      }
      Waypoint w =
          Waypoint.builder()
              .namespace(ns)
              .name(name)
              .addAllServices(e.getValue())
              .routesEgress(egress && name.equals(settings.waypointName()))
              .build();
      waypoints.add(w);
      e.getValue().forEach(id -> fronting.put(id, w));
    }
    return new State.NamespaceResult(List.copyOf(waypoints), List.copyOf(diagnostics), fronting);
  }
}
