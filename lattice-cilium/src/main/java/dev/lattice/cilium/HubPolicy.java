package dev.lattice.cilium;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.graph.Agreement;
import dev.lattice.graph.ServiceView;
import dev.lattice.graph.Topology;
import dev.lattice.graph.TopologyUpdate;
import dev.lattice.graph.Waypoint;
import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import dev.lattice.output.Manifest;
import dev.lattice.output.Resource;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The policy of a service with many agreements (a hub: the metrics scraper that calls every
 * service), kept with what it was made of so that a change of a few partners patches it instead of
 * rendering it again: every (peer, port) and DNS name with how many agreements contribute it, each
 * element's node and size, and the parts. A patch subtracts the old contributions of the agreements
 * and partners the change touches (read from the old topology), adds their new ones (from the new
 * topology), rebuilds only the elements whose ports changed, and splits again with the same greedy
 * algorithm, so it gives exactly what {@link ServicePolicy#render} gives. Unchanged parts are the
 * previous {@link Resource} objects, which the diff compares by identity.
 *
 * <p>Not thread-safe: {@link CiliumRenderer} hands each memo to one update at a time.
 */
final class HubPolicy implements Rules {
  /**
   * One part: its elements in order (ingress ones, then egress ones) and their bytes; {@code
   * ingress} of them are ingress elements.
   */
  private record Part(Resource resource, ObjectNode[] elements, int ingress, int bytes) {}

  private final ServiceId id;
  private final Service self;
  private final CiliumOptions options;
  private final CountedRules ingress = new CountedRules(true);
  private final CountedRules egress = new CountedRules(false);
  private final DnsIndex dns;
  private List<Part> parts = List.of();

  /** Whether the last assembly cut at markers (the elements did not fit in one part). */
  private boolean partsCut;

  private WeakReference<Topology> at;
  private int sign = 1;

  private HubPolicy(Topology topology, Service self, CiliumOptions options) {
    this.id = self.id();
    this.self = self;
    this.options = options;
    this.dns =
        new DnsIndex(ServicePolicy.kubeDns(topology.settings()), options.maxDocumentBytes() / 2);
    this.at = new WeakReference<>(topology);
  }

  /** The policy of {@code view}, rendered in full, kept for patching. */
  static HubPolicy render(Topology topology, ServiceView view, CiliumOptions options, Peers peers) {
    HubPolicy h = new HubPolicy(topology, view.service(), options);
    DnsNames dns = ServicePolicy.dnsNames(topology, view.service(), options);
    ServicePolicy.contribute(topology, view, h, dns, peers);
    h.dns.build(dns.expanded(false), dns.expanded(true));
    h.assemble();
    return h;
  }

  /** Its parts, as {@link ServicePolicy#render} gives them. */
  List<Resource> resources() {
    List<Resource> out = new ArrayList<>(parts.size());
    parts.forEach(p -> out.add(p.resource()));
    return out;
  }

  /** Whether it was rendered for {@code topology}. */
  boolean isAt(Topology topology) {
    return at.get() == topology;
  }

  /** Marks it as the render for {@code topology} too (nothing it reads changed). */
  void moveTo(Topology topology) {
    at = new WeakReference<>(topology);
  }

  /**
   * Patches it from {@code update.previous()} to {@code update.topology()}; false (and then it is
   * unusable) when the change is one it does not reason about or {@code previous} does not hold its
   * parts: the caller renders in full.
   */
  boolean patch(Manifest previous, TopologyUpdate update, Peers peers, int maxTouched) {
    Topology before = update.previous();
    Topology next = update.topology();
    if (!isAt(before) || before.settings() != next.settings() || !holds(previous)) {
      return false;
    }
    Optional<ServiceView> vb = before.view(id);
    Optional<ServiceView> vn = next.view(id);
    if (vb.isEmpty()
        || vn.isEmpty()
        || vb.get().service() != self
        || vn.get().service() != self
        || !sameWaypoint(vb.get().waypoint(), vn.get().waypoint())
        || !sameWaypoint(vb.get().egressWaypoint(), vn.get().egressWaypoint())
        || !sameWaypoints(before.waypoints(), next.waypoints())) {
      return false;
    }
    Set<ServiceId> touched = new HashSet<>(update.changedServices());
    touched.addAll(update.removedServices());
    // a partner's waypoint can move without the partner changing (the waypoint fronts a service
    // only while some agreement needs it); only affected services can move
    if (update.affectedServices().size() > maxTouched) {
      return false;
    }
    for (ServiceId a : update.affectedServices()) {
      if (!touched.contains(a) && !sameWaypoint(before.waypoint(a), next.waypoint(a))) {
        touched.add(a);
      }
    }
    List<Agreement> outOld = new ArrayList<>();
    List<Agreement> outNew = new ArrayList<>();
    List<Agreement> inOld = new ArrayList<>();
    List<Agreement> inNew = new ArrayList<>();
    if (!delta(vb.get().outbound(), vn.get().outbound(), touched, true, outOld, outNew, maxTouched)
        || !delta(
            vb.get().inbound(),
            vn.get().inbound(),
            touched,
            false,
            inOld,
            inNew,
            maxTouched - outOld.size() - outNew.size())) {
      return false;
    }
    try {
      // additions first: a contribution that moves keeps its entry and element
      apply(next, vn.get(), inNew, outNew, 1, peers);
      apply(before, vb.get(), inOld, outOld, -1, peers);
    } catch (IllegalStateException inconsistent) {
      return false;
    }
    assemble();
    at = new WeakReference<>(next);
    return true;
  }

  /** Whether {@code manifest} holds exactly its parts, the very objects. */
  private boolean holds(Manifest manifest) {
    for (Part p : parts) {
      if (manifest.get(p.resource().key()).orElse(null) != p.resource()) {
        return false;
      }
    }
    return true;
  }

  /**
   * The agreements whose contribution may differ: those only in {@code was} (to subtract), only in
   * {@code now} (to add), and both ways those with a touched partner; false when they are more than
   * {@code max}. Both lists are sorted by partner (the callee of an outbound agreement, the caller
   * of an inbound one: {@link ServiceView}) and share the objects of unchanged agreements, so one
   * walk comparing references finds what differs (a change may move agreements in more than one
   * place), and a touched partner's agreements are found by bisection, not by hashing the 50,000
   * partners of a scraper.
   */
  private static boolean delta(
      List<Agreement> was,
      List<Agreement> now,
      Set<ServiceId> touched,
      boolean outbound,
      List<Agreement> subtract,
      List<Agreement> add,
      int max) {
    int from = add.size();
    if (was != now) {
      int i = 0;
      int j = 0;
      while (i < was.size() || j < now.size()) {
        Agreement a = i < was.size() ? was.get(i) : null;
        Agreement b = j < now.size() ? now.get(j) : null;
        if (a == b) {
          i++;
          j++;
          continue;
        }
        int c =
            a == null ? 1 : b == null ? -1 : partner(a, outbound).compareTo(partner(b, outbound));
        if (c < 0) {
          subtract.add(a);
          i++;
        } else if (c > 0) {
          add.add(b);
          j++;
        } else {
          // another agreement with the same partner: one out, the other in (any pairing of what
          // is not the same object in both subtracts and adds each exactly once)
          subtract.add(a);
          add.add(b);
          i++;
          j++;
        }
        if (subtract.size() + add.size() > max) {
          return false;
        }
      }
    }
    if (touched.isEmpty()) {
      return true;
    }
    Set<Agreement> moved = Collections.newSetFromMap(new IdentityHashMap<>());
    moved.addAll(add.subList(from, add.size()));
    for (ServiceId t : touched) {
      // the same object in both lists: it counts out and in again
      for (int i = first(now, t, outbound);
          i < now.size() && partner(now.get(i), outbound).equals(t);
          i++) {
        if (!moved.contains(now.get(i))) {
          subtract.add(now.get(i));
          add.add(now.get(i));
        }
      }
    }
    return subtract.size() + add.size() <= max;
  }

  private static ServiceId partner(Agreement a, boolean outbound) {
    return outbound ? a.callee() : a.caller();
  }

  /**
   * The index of the first agreement of {@code list} (sorted by partner) with partner {@code t}.
   */
  private static int first(List<Agreement> list, ServiceId t, boolean outbound) {
    int lo = 0;
    int hi = list.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (partner(list.get(mid), outbound).compareTo(t) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private void apply(
      Topology t,
      ServiceView view,
      List<Agreement> in,
      List<Agreement> out,
      int sign,
      Peers peers) {
    this.sign = sign;
    try {
      Optional<Waypoint> waypoint = view.waypoint();
      for (Agreement a : in) {
        ServicePolicy.ingress(t, self, waypoint, a, this, peers);
      }
      DnsNames dns = ServicePolicy.dnsNames(t, self, options);
      for (Agreement a : out) {
        ServicePolicy.egress(t, self, a, this, dns, peers);
      }
      for (DnsName n : dns.expanded(false)) {
        this.dns.add(n, sign);
      }
      for (DnsName n : dns.expanded(true)) {
        this.dns.add(n, sign);
      }
    } finally {
      this.sign = 1;
    }
  }

  @Override
  public void allowIngress(Peer from, L4Port port) {
    ingress.count(from, port, sign);
  }

  @Override
  public void allowEgress(Peer to, L4Port port) {
    egress.count(to, port, sign);
  }

  @Override
  public void allowEgressAllPorts(Peer to) {
    egress.countAll(to, sign);
  }

  /**
   * Builds the elements that changed and splits them into parts as {@link Documents#split} does (in
   * order: ingress elements, the DNS ones, the other egress ones, cut where {@link Boundaries}
   * says), keeping each part whose elements are the very same objects as before and whose end the
   * split still meets: a patch builds only the parts its change reaches.
   */
  private void assemble() {
    ingress.build();
    egress.build();
    List<DnsIndex.Group> groups = dns.regroup();
    int nIn = ingress.size();
    int nDns = groups.size();
    int total = nIn + nDns + egress.size();
    int budget = Documents.partBudget(options.maxDocumentBytes());
    long sum = 0;
    for (int k = 0; k < total; k++) {
      sum += bytes(k, groups);
    }
    boolean cut = sum > budget;
    boolean reuse = cut == partsCut;
    partsCut = cut;
    // a part is found by its first element, not its index: one inserted before it moves it
    Map<ObjectNode, Part> byFirst = new IdentityHashMap<>(parts.size() * 2);
    if (reuse) {
      parts.forEach(p -> byFirst.put(p.elements()[0], p));
    }
    List<Part> now = new ArrayList<>(parts.size() + 1);
    Set<String> taken = new HashSet<>();
    int i = 0;
    while (i < total) {
      String name =
          now.isEmpty()
              ? self.name()
              : Documents.partName(self.name(), hash(i, groups), now.size(), taken);
      Part was = byFirst.get(element(i, groups));
      if (was != null
          && was.resource().name().equals(name)
          && same(was, i, total, budget, cut, groups)) {
        now.add(was);
        i += was.elements().length;
        continue;
      }
      int bytes = 0;
      int j = i;
      while (j < total && (j == i || bytes + bytes(j, groups) <= budget)) {
        bytes += bytes(j, groups);
        j++;
        if (cut && Documents.endsPart(hash(j - 1, groups), bytes(j - 1, groups), budget)) {
          break;
        }
      }
      ObjectNode[] elements = new ObjectNode[j - i];
      for (int k = i; k < j; k++) {
        elements[k - i] = element(k, groups);
      }
      int in = Math.max(0, Math.min(j, nIn) - i);
      Resource r =
          Documents.part(
              self.namespace(),
              name,
              self.name(),
              self.selector(),
              Arrays.asList(elements).subList(0, in),
              Arrays.asList(elements).subList(in, elements.length));
      now.add(new Part(r, elements, in, bytes));
      i = j;
    }
    parts = now;
  }

  /**
   * Whether {@code was} is what the split makes from element {@code from}: the same element objects
   * (so the same sizes and markers), and its last element is a marker or the element after them, if
   * any, still does not fit.
   */
  private boolean same(
      Part was, int from, int total, int budget, boolean cut, List<DnsIndex.Group> groups) {
    ObjectNode[] elements = was.elements();
    int end = from + elements.length;
    if (end > total
        || Math.min(end, ingress.size()) - Math.min(from, ingress.size()) != was.ingress()) {
      return false;
    }
    for (int k = 0; k < elements.length; k++) {
      if (element(from + k, groups) != elements[k]) {
        return false;
      }
    }
    return end == total
        || (cut && Documents.endsPart(hash(end - 1, groups), bytes(end - 1, groups), budget))
        || was.bytes() + bytes(end, groups) > budget;
  }

  private int hash(int k, List<DnsIndex.Group> groups) {
    int nIn = ingress.size();
    if (k < nIn) {
      return ingress.hash(k);
    }
    k -= nIn;
    return k < groups.size() ? groups.get(k).hash : egress.hash(k - groups.size());
  }

  /** Element {@code k} of the order the parts take them in. */
  private ObjectNode element(int k, List<DnsIndex.Group> groups) {
    int nIn = ingress.size();
    if (k < nIn) {
      return ingress.element(k);
    }
    k -= nIn;
    return k < groups.size() ? groups.get(k).element : egress.element(k - groups.size());
  }

  private int bytes(int k, List<DnsIndex.Group> groups) {
    int nIn = ingress.size();
    if (k < nIn) {
      return ingress.bytes(k);
    }
    k -= nIn;
    return k < groups.size() ? groups.get(k).size : egress.bytes(k - groups.size());
  }

  private static boolean sameWaypoint(Optional<Waypoint> a, Optional<Waypoint> b) {
    return a.isEmpty() ? b.isEmpty() : b.isPresent() && same(a.get(), b.get());
  }

  private static boolean same(Waypoint a, Waypoint b) {
    return a.namespace().equals(b.namespace())
        && a.name().equals(b.name())
        && a.getClass() == b.getClass();
  }

  private static boolean sameWaypoints(List<Waypoint> a, List<Waypoint> b) {
    if (a == b) {
      return true;
    }
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!same(a.get(i), b.get(i))) {
        return false;
      }
    }
    return true;
  }
}
