package dev.lattice.graph;

import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The maps one update writes: layered over the previous {@link State}, which stays as it is, with
 * each entry copied the first time this update writes to it. Also keeps the reverse indexes (who
 * admits, who names, who points into a namespace with an unknown reference) and the callees'
 * inbound lists in step with the nodes and pair results.
 */
final class Indexes {
  final Map<ServiceId, Node> nodes;
  final Map<ServiceId, State.Results> results;

  /** See {@link State#admittedBy}. */
  final Map<ServiceId, Set<ServiceId>> admittedBy;

  /** See {@link State#namedBy}. */
  final Map<ServiceId, Set<ServiceId>> namedBy;

  final Map<String, TreeSet<String>> names;
  final Map<String, Set<ServiceId>> unknownInto;
  final Map<ServiceId, List<Agreement>> inbound;
  final Map<String, State.NamespaceResult> namespaces;
  final List<ServiceId> ids;

  // the entries of each map already made this update's own (copy-on-write per entry); one set per
  // map, keyed by the map's own key, so a write costs one hash lookup and no key object
  private final Set<ServiceId> ownAdmittedBy = new HashSet<>();
  private final Set<ServiceId> ownNamedBy = new HashSet<>();
  private final Set<String> ownUnknownInto = new HashSet<>();
  private final Set<String> ownNames = new HashSet<>();
  private final Set<ServiceId> ownInbound = new HashSet<>();

  Indexes(State base) {
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
  }

  /** Over the very maps of {@code s}, not layered: for reading only ({@link FullResolution}). */
  private Indexes(State s, boolean reading) {
    this.nodes = s.nodes;
    this.results = s.results;
    this.admittedBy = s.admittedBy;
    this.namedBy = s.namedBy;
    this.names = s.names;
    this.unknownInto = s.unknownInto;
    this.inbound = s.inbound;
    this.namespaces = s.namespaces;
    this.ids = s.ids;
  }

  /**
   * Indexes that read the maps of {@code s} as they are, which their owner may still be filling:
   * {@link CallerResults} and {@link Waypoints} of a full resolution read through them.
   */
  static Indexes reading(State s) {
    return new Indexes(s, true);
  }

  /**
   * Brings the sorted id list up to date: by bisection for a few changes (a copy of the list, no
   * sort), by sorting the keys for many (a full resolution).
   */
  void updateIds(Collection<ServiceId> removals, Collection<Service> upserts) {
    if (removals.size() + upserts.size() > 16 + ids.size() / 16) {
      ids.clear();
      ids.addAll(nodes.keySet());
      ids.sort(Comparator.naturalOrder());
      return;
    }
    for (ServiceId x : removals) {
      int i = Collections.binarySearch(ids, x);
      if (i >= 0 && !nodes.containsKey(x)) {
        ids.remove(i);
      }
    }
    for (Service s : upserts) {
      int i = Collections.binarySearch(ids, s.id());
      if (i < 0) {
        ids.add(-i - 1, s.id());
      }
    }
  }

  // ---------------------------------------------------------------- indexes

  void index(Node n) {
    // forEach, not keySet(): see Node#names
    n.in.forEach((peer, d) -> mutableSet(admittedBy, ownAdmittedBy, peer).add(n.id));
    for (ServiceId peer : n.names()) {
      mutableSet(namedBy, ownNamedBy, peer).add(n.id);
    }
  }

  void unindex(Node n) {
    n.in.forEach(
        (peer, d) -> {
          Set<ServiceId> s = mutableSet(admittedBy, ownAdmittedBy, peer);
          s.remove(n.id);
          if (s.isEmpty()) {
            admittedBy.remove(peer);
          }
        });
    for (ServiceId peer : n.names()) {
      Set<ServiceId> s = mutableSet(namedBy, ownNamedBy, peer);
      s.remove(n.id);
      if (s.isEmpty()) {
        namedBy.remove(peer);
      }
    }
  }

  void unknownIndex(ServiceId id, Set<String> before, Set<String> after) {
    for (String ns : before) {
      if (!after.contains(ns)) {
        Set<ServiceId> s = mutableSet(unknownInto, ownUnknownInto, ns);
        s.remove(id);
        if (s.isEmpty()) {
          unknownInto.remove(ns);
        }
      }
    }
    for (String ns : after) {
      if (!before.contains(ns)) {
        mutableSet(unknownInto, ownUnknownInto, ns).add(id);
      }
    }
  }

  private static <K> Set<ServiceId> mutableSet(Map<K, Set<ServiceId>> map, Set<K> own, K key) {
    Set<ServiceId> s = map.get(key);
    if (s == null) {
      s = LayeredSet.empty();
      map.put(key, s);
      own.add(key);
    } else if (own.add(key)) {
      // layered, not copied: a hub's index set holds a good part of the cluster
      s = LayeredSet.over(s);
      map.put(key, s);
    }
    return s;
  }

  TreeSet<String> mutableNames(String namespace) {
    return copyOnWrite(names, ownNames, namespace, TreeSet::new, TreeSet::new);
  }

  private List<Agreement> mutableInbound(ServiceId callee) {
    return copyOnWrite(inbound, ownInbound, callee, ArrayList::new, ArrayList::new);
  }

  /**
   * The entry {@code key} of {@code map}, made this update's own: created when absent, copied the
   * first time this update writes to it (the previous topology still reads the old one).
   */
  private static <K, V> V copyOnWrite(
      Map<K, V> map,
      Set<K> own,
      K key,
      java.util.function.Supplier<V> fresh,
      java.util.function.UnaryOperator<V> copy) {
    V v = map.get(key);
    if (v == null) {
      v = fresh.get();
      map.put(key, v);
      own.add(key);
    } else if (own.add(key)) {
      v = copy.apply(v);
      map.put(key, v);
    }
    return v;
  }

  void dropInbound(ServiceId caller, List<Agreement> agreements, Set<ServiceId> touched) {
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
  void reindexInbound(
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

  /**
   * {@link #reindexInbound(ServiceId, List, List, Set)} for a caller whose agreements can differ at
   * {@code callees} only (see {@link CallerResults#patchable}): each found by bisection, so a
   * wildcard caller with tens of thousands of agreements pays for the callees that changed, not for
   * a walk of both lists. Whether any agreement differed.
   */
  boolean reindexInbound(
      ServiceId caller,
      List<Agreement> before,
      List<Agreement> after,
      Collection<ServiceId> callees,
      Set<ServiceId> touched) {
    boolean differs = false;
    for (ServiceId c : callees) {
      List<Agreement> was =
          before.subList(CallerResults.from(before, c), CallerResults.to(before, c));
      List<Agreement> now = after.subList(CallerResults.from(after, c), CallerResults.to(after, c));
      if (!was.equals(now)) {
        differs = true;
        dropInbound(caller, was, touched);
        for (Agreement ag : now) {
          addInbound(ag);
          touched.add(ag.callee());
        }
      }
    }
    return differs;
  }

  private static final Comparator<Agreement> BY_CALLER = Comparator.comparing(Agreement::caller);

  private void addInbound(Agreement ag) {
    List<Agreement> l = mutableInbound(ag.callee());
    int i = Collections.binarySearch(l, ag, BY_CALLER);
    l.add(i < 0 ? -i - 1 : i, ag);
  }
}
