package dev.lattice.verify.diff;

import static dev.lattice.verify.diff.ChangedDocs.index;
import static dev.lattice.verify.diff.ChangedDocs.kindOf;
import static dev.lattice.verify.diff.ChangedDocs.matchesAddresses;
import static dev.lattice.verify.diff.WorldEntries.bound;
import static dev.lattice.verify.diff.WorldEntries.key;
import static dev.lattice.verify.diff.WorldEntries.outside;
import static dev.lattice.verify.diff.WorldEntries.peer;
import static dev.lattice.verify.diff.WorldEntries.service;
import static dev.lattice.verify.diff.WorldEntries.serviceEntries;
import static dev.lattice.verify.diff.WorldEntries.waypoints;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.model.ServiceId;
import dev.lattice.verify.Destination;
import dev.lattice.verify.Source;
import dev.lattice.verify.Verifier;
import dev.lattice.verify.cilium.CiliumEvaluator;
import dev.lattice.verify.istio.IstioEvaluator;
import dev.lattice.verify.world.KubeService;
import dev.lattice.verify.world.MeshServiceEntry;
import dev.lattice.verify.world.Peer;
import dev.lattice.verify.world.WaypointProxy;
import dev.lattice.verify.world.World;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a change can touch: the services whose outgoing verdicts (as callers) or incoming verdicts
 * (as callees) may differ between two renderings, the outside sources and egress targets that
 * differ, and when the change reaches everything. A connection whose caller and callee are both
 * untouched gets the same decisions on both sides, so {@link ConnectivityDiff} judges only the
 * others.
 *
 * <p>Worked out from what the evaluators read, never from what the renderers meant. A verdict on a
 * connection reads (see {@code Router}): the caller's pod (identity, labels, service account,
 * capture) and the Cilium rules that select it for egress, DNS lookups included; the callee's
 * Service (ports, labels, waypoint bindings), its pods and the Cilium rules that select them for
 * ingress, the ztunnel policies and PeerAuthentications that apply to them, the waypoint on the
 * path (its pod, the Cilium rules selecting it, the AuthorizationPolicies attached to it for that
 * Service); the pair's pod-IP dialing (from both services' declarations); kube-dns and istiod; the
 * settings and the world's options. So:
 *
 * <ul>
 *   <li>every document that differs between the two sides (added, removed or changed) is mapped,
 *       through the evaluators' own selector semantics ({@link CiliumEvaluator#governsEgress},
 *       {@link CiliumEvaluator#governsIngress}, {@link IstioEvaluator#governsZtunnelOf}, {@link
 *       IstioEvaluator#attachesAt}), to the pods it governs in <em>either</em> world: a Cilium
 *       policy touches its subjects as callers for its egress part and as callees for its ingress
 *       part, a waypoint's pod touches every service behind that waypoint, kube-dns or istiod touch
 *       everything; a ztunnel policy or PeerAuthentication touches its pods as callees, a {@code
 *       targetRefs} policy the Services (and ServiceEntries) it attaches to at their waypoints;
 *   <li>every service whose world entry differs — its declared model (declarations, ports, mesh
 *       mode, ...), its Service's labels and ports, its pods' labels, identity, account and
 *       capture, its waypoint bindings, its existence — is touched both ways, and so is every
 *       service behind a waypoint whose pod differs;
 *   <li>outside sources and egress targets are touched when the world gives them another address or
 *       identity, or (FQDN targets) a ServiceEntry for them differs;
 *   <li>different settings or world options, a different kube-dns or istiod, or a changed document
 *       of a kind the evaluators do not read reach everything (the diff then judges every
 *       connection).
 * </ul>
 *
 * <p>Addresses: the evaluators compare pod and ClusterIP addresses only for AuthorizationPolicies
 * that match on IP blocks or address keys (Cilium's CIDR rules never select pods, C10), and the
 * world numbers pods by position, so one added service moves the addresses of every later one. Pod
 * and ClusterIP addresses count as part of a service's entry only when some AuthorizationPolicy of
 * either side matches addresses.
 */
final class Affected {
  private final String everything;
  private final World before;
  private final World after;
  private final Set<ServiceId> callers;
  private final Set<ServiceId> callees;
  private final Set<String> entries;
  private final boolean allTargets;

  private Affected(
      String everything,
      World before,
      World after,
      Set<ServiceId> callers,
      Set<ServiceId> callees,
      Set<String> entries,
      boolean allTargets) {
    this.everything = everything;
    this.before = before;
    this.after = after;
    this.callers = callers;
    this.callees = callees;
    this.entries = entries;
    this.allTargets = allTargets;
  }

  /** Everything touched: every connection is judged. */
  static Affected everything(String why) {
    return new Affected(
        Objects.requireNonNull(why), null, null, Set.of(), Set.of(), Set.of(), true);
  }

  /** Whether {@code id}'s calls may be judged differently. */
  boolean caller(ServiceId id) {
    return everything != null || callers.contains(id);
  }

  /** Whether calls to {@code id} may be judged differently. */
  boolean callee(ServiceId id) {
    return everything != null || callees.contains(id);
  }

  /** The touched callees (empty when everything is; ask {@link #callee} then). */
  Set<ServiceId> callees() {
    return callees;
  }

  /** Whether the outside source {@code s} is a different peer on the two sides. */
  boolean source(Source s) {
    if (everything != null) {
      return true;
    }
    return !peer(outside(before, s), true).equals(peer(outside(after, s), true));
  }

  /** Whether calls out to {@code d} (an FQDN, a range, an address, an entity) may differ. */
  boolean target(Destination d) {
    if (everything != null || allTargets) {
      return true;
    }
    try {
      if (!peer(WorldEntries.target(before, d), true)
          .equals(peer(WorldEntries.target(after, d), true))) {
        return true;
      }
    } catch (IllegalArgumentException | java.util.NoSuchElementException e) {
      return true; // a target the world does not place: judge it
    }
    if (d instanceof Destination.Fqdn fqdn) {
      String host = fqdn.name();
      for (World w : List.of(before, after)) {
        for (MeshServiceEntry e : w.serviceEntries()) {
          if (e.hasHost(host) && entries.contains(key(e))) {
            return true;
          }
        }
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return everything != null
        ? "everything (" + everything + ")"
        : "callers " + callers + ", callees " + callees + ", service entries " + entries;
  }

  // ------------------------------------------------------------------ working it out

  /** What differs between {@code b} and {@code a}, and what it touches. */
  static Affected of(Verifier b, Verifier a) {
    World wb = b.world();
    World wa = a.world();
    String global = global(wb, wa);
    if (global != null) {
      return everything(global);
    }
    Map<String, List<JsonNode>> docsB = index(b);
    Map<String, List<JsonNode>> docsA = index(a);
    List<JsonNode> ciliumB = new ArrayList<>();
    List<JsonNode> ciliumA = new ArrayList<>();
    List<JsonNode> istioB = new ArrayList<>();
    List<JsonNode> istioA = new ArrayList<>();
    Set<String> keys = new TreeSet<>(docsB.keySet());
    keys.addAll(docsA.keySet());
    boolean allTargets = false;
    for (String k : keys) {
      List<JsonNode> vb = docsB.getOrDefault(k, List.of());
      List<JsonNode> va = docsA.getOrDefault(k, List.of());
      if (vb.equals(va)) {
        continue;
      }
      JsonNode any = vb.isEmpty() ? va.get(0) : vb.get(0);
      switch (kindOf(any)) {
        case CILIUM -> {
          ciliumB.addAll(vb);
          ciliumA.addAll(va);
        }
        case ISTIO -> {
          istioB.addAll(vb);
          istioA.addAll(va);
        }
        case SERVICE_ENTRY -> allTargets = true; // and the worlds' entries are compared below
        case WORLD -> {
          // waypoint Gateways (and Gateways the world ignores): the worlds are compared below
        }
        default -> {
          // a kind the diff does not place, or one whose reach it does not narrow (fail closed)
          return everything("a changed " + k);
        }
      }
    }
    boolean addresses = matchesAddresses(b) || matchesAddresses(a);
    Set<ServiceId> callers = new HashSet<>();
    Set<ServiceId> callees = new HashSet<>();
    Set<String> waypoints = new HashSet<>();
    Set<String> entries = new HashSet<>();
    Reach rb = new Reach(wb, ciliumB, istioB);
    Reach ra = new Reach(wa, ciliumA, istioA);
    for (Reach r : List.of(rb, ra)) {
      String infra = r.infrastructure();
      if (infra != null) {
        return everything(infra);
      }
      r.documents(callers, callees, waypoints, entries);
    }

    // world entries: services, waypoints, ServiceEntries
    Set<ServiceId> ids = new TreeSet<>();
    wb.services().forEach(s -> ids.add(s.id()));
    wa.services().forEach(s -> ids.add(s.id()));
    for (ServiceId id : ids) {
      Optional<KubeService> sb = wb.service(id);
      Optional<KubeService> sa = wa.service(id);
      if (sb.isEmpty()
          || sa.isEmpty()
          || !service(wb, sb.get(), addresses).equals(service(wa, sa.get(), addresses))) {
        callers.add(id);
        callees.add(id);
      }
    }
    Map<String, List<Object>> wpB = waypoints(wb, addresses);
    Map<String, List<Object>> wpA = waypoints(wa, addresses);
    Set<String> wpKeys = new TreeSet<>(wpB.keySet());
    wpKeys.addAll(wpA.keySet());
    for (String k : wpKeys) {
      if (!Objects.equals(wpB.get(k), wpA.get(k))) {
        waypoints.add(k);
      }
    }
    Map<String, List<Object>> seB = serviceEntries(wb);
    Map<String, List<Object>> seA = serviceEntries(wa);
    Set<String> seKeys = new TreeSet<>(seB.keySet());
    seKeys.addAll(seA.keySet());
    for (String k : seKeys) {
      if (!Objects.equals(seB.get(k), seA.get(k))) {
        entries.add(k);
      }
    }
    // what sits behind a touched waypoint is touched as a callee
    for (Reach r : List.of(rb, ra)) {
      r.behind(waypoints, callees, entries);
    }
    return new Affected(
        null, wb, wa, Set.copyOf(callers), Set.copyOf(callees), Set.copyOf(entries), allTargets);
  }

  /** Why everything differs, or null: settings, world options, kube-dns, istiod. */
  private static String global(World b, World a) {
    if (!b.settings().equals(a.settings())) {
      return "the settings differ";
    }
    if (b.policyEnforcement() != a.policyEnforcement()
        || b.ztunnelDnsCapture() != a.ztunnelDnsCapture()
        || b.resolverStopsAtRefused() != a.resolverStopsAtRefused()
        || !b.clusterName().equals(a.clusterName())
        || b.customAuthorizerAllows() != a.customAuthorizerAllows()) {
      return "the worlds' options differ";
    }
    if (!peer(b.kubeDns(), true).equals(peer(a.kubeDns(), true))
        || !peer(b.istiod(), true).equals(peer(a.istiod(), true))) {
      return "kube-dns or istiod differ";
    }
    return null;
  }

  /** The documents that changed on one side, and what they reach in that side's world. */
  private static final class Reach {
    final World world;
    final CiliumEvaluator cilium;
    final IstioEvaluator istio;
    final boolean any;
    final Map<ServiceId, List<WaypointProxy>> bound = new LinkedHashMap<>();

    Reach(World world, List<JsonNode> cilium, List<JsonNode> istio) {
      this.world = world;
      this.cilium = CiliumEvaluator.of(cilium, world);
      this.istio = IstioEvaluator.of(istio, world);
      this.any = !cilium.isEmpty() || !istio.isEmpty();
      for (KubeService s : world.services()) {
        bound.put(s.id(), bound(world, s));
      }
    }

    /** Why a changed document reaches everything: it selects kube-dns or istiod; else null. */
    String infrastructure() {
      for (Peer p : List.of(world.kubeDns(), world.istiod())) {
        if (cilium.governsIngress(p) || cilium.governsEgress(p)) {
          return "a changed Cilium policy selects "
              + p.name()
              + ", on every lookup or waypoint path";
        }
      }
      return null;
    }

    void documents(
        Set<ServiceId> callers,
        Set<ServiceId> callees,
        Set<String> waypoints,
        Set<String> entries) {
      if (!any) {
        return;
      }
      for (KubeService s : world.services()) {
        for (Peer p : List.of(s.pod(), s.replica())) {
          if (cilium.governsEgress(p)) {
            callers.add(s.id());
          }
          if (cilium.governsIngress(p) || istio.governsZtunnelOf(p)) {
            callees.add(s.id());
          }
        }
        for (WaypointProxy wp : bound.get(s.id())) {
          if (istio.attachesAt(wp, s)) {
            callees.add(s.id());
          }
        }
      }
      for (WaypointProxy wp : world.waypoints()) {
        if (cilium.governsIngress(wp.pod()) || cilium.governsEgress(wp.pod())) {
          waypoints.add(key(wp));
        }
      }
      for (MeshServiceEntry e : world.serviceEntries()) {
        Optional<WaypointProxy> wp = world.serviceEntryWaypoint(e).waypoint();
        if (wp.isPresent() && istio.attachesAt(wp.get(), e)) {
          entries.add(key(e));
        }
      }
    }

    /** Touches the services and ServiceEntries behind the touched {@code waypoints}. */
    void behind(Set<String> waypoints, Set<ServiceId> callees, Set<String> entries) {
      if (waypoints.isEmpty()) {
        return;
      }
      bound.forEach(
          (id, wps) -> {
            for (WaypointProxy wp : wps) {
              if (waypoints.contains(key(wp))) {
                callees.add(id);
              }
            }
          });
      for (MeshServiceEntry e : world.serviceEntries()) {
        Optional<WaypointProxy> wp = world.serviceEntryWaypoint(e).waypoint();
        if (wp.isPresent() && waypoints.contains(key(wp.get()))) {
          entries.add(key(e));
        }
      }
    }
  }
}
