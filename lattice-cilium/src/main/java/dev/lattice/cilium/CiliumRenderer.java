package dev.lattice.cilium;

import dev.lattice.graph.Agreement;
import dev.lattice.graph.ServiceView;
import dev.lattice.graph.Topology;
import dev.lattice.graph.TopologyUpdate;
import dev.lattice.graph.Waypoint;
import dev.lattice.internal.Parallel;
import dev.lattice.model.ServiceId;
import dev.lattice.output.Manifest;
import dev.lattice.output.ManifestUpdate;
import dev.lattice.output.Resource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Renders the L4 layer of a topology as Cilium policies: a cluster-wide default deny, the ambient
 * probe exception, one {@code CiliumNetworkPolicy} per service that has rules, and one per
 * waypoint. Every agreement is allowed on the path its traffic really takes: HBONE on TCP 15008
 * between two ambient pods (through the callee's waypoint when it has one), the container port
 * otherwise; everything else is denied.
 *
 * <pre>{@code
 * Topology topology = graph.resolve();
 * CiliumRenderer cilium = CiliumRenderer.create();
 * Manifest manifest = cilium.render(topology);          // throws LatticeException on errors
 * System.out.print(manifest.toYaml());
 *
 * // a controller re-renders what one change touches
 * List<Resource> api = cilium.renderService(topology, ServiceId.of("shop", "api"));
 * }</pre>
 *
 * <p>A renderer is immutable and thread-safe; rendering is a pure function of the topology and the
 * options, linear in services plus agreements, and gives byte-identical YAML for the same input.
 *
 * <p>Cilium must be configured for Istio ambient (SEMANTICS R4): {@code cni.exclusive=false}; with
 * kube-proxy replacement, {@code socketLB.hostNamespaceOnly=true}; {@code bpf.masquerade=false};
 * and BPF host routing off, which breaks probe replies (cilium/cilium#36022). At L4, two limits
 * remain that only the Istio layer closes (DESIGN §9): between two ambient pods Cilium sees only
 * HBONE on 15008, so it cannot tell the callee's TCP ports apart; and a caller that may reach a
 * shared (per-namespace) waypoint reaches, at L4, every service behind it.
 */
public final class CiliumRenderer {
  /**
   * How many agreements (inbound plus outbound) make a service a hub, whose policy {@link #update}
   * patches instead of rendering again. A system property so that tests reach the patch on small
   * graphs; not an option: it changes the cost, never the output.
   */
  static final String HUB_THRESHOLD_PROPERTY = "lattice.cilium.hubThreshold";

  /** How many hub policies {@link #update} patched (for tests: the patch must really run). */
  static final AtomicLong PATCHES = new AtomicLong();

  /**
   * From how many services plus waypoints a full render takes a second thread. Below it the render
   * is short and mostly JIT compilation, which a second thread does not speed up.
   */
  static final int PARALLEL_FROM = 10_000;

  private final CiliumOptions options;
  private final int hubThreshold = Integer.getInteger(HUB_THRESHOLD_PROPERTY, 256);

  /**
   * The hubs' last renders, each valid for one topology and the very parts it produced; an update
   * takes a memo out while it patches it, so two threads never share one (the loser renders in
   * full). Rendering stays a pure function: a memo only saves work, and one that does not match is
   * ignored.
   */
  private final Map<ServiceId, HubPolicy> hubs = new ConcurrentHashMap<>();

  private CiliumRenderer(CiliumOptions options) {
    this.options = options;
  }

  /** A renderer with the default options. */
  public static CiliumRenderer create() {
    return new CiliumRenderer(CiliumOptions.defaults());
  }

  /** A renderer with {@code options}. */
  public static CiliumRenderer create(CiliumOptions options) {
    return new CiliumRenderer(Objects.requireNonNull(options, "options"));
  }

  /** The options it renders with. */
  public CiliumOptions options() {
    return options;
  }

  /**
   * Every Cilium resource of the topology, sorted: all or nothing.
   *
   * @throws dev.lattice.diagnostics.LatticeException when the topology has errors
   */
  public Manifest render(Topology topology) {
    return Manifest.of(resources(topology, PARALLEL_FROM));
  }

  /**
   * Every resource of {@link #render}, unsorted, in the order one thread gives them: the
   * cluster-wide policies, then each service's in the order of the views, then each waypoint's. The
   * services and waypoints are rendered on two threads from {@code parallelFrom} of them on ({@link
   * Parallel}; the tests force it on small graphs).
   */
  List<Resource> resources(Topology topology, int parallelFrom) {
    topology.orThrow();
    List<ServiceView> views = topology.views();
    List<Waypoint> waypoints = topology.waypoints();
    // the hubs first: one hub's policy can be much of the layer's work (at 50,000 services the
    // scraper's, which names every service, is about two fifths of it, JFR), and a thread that
    // took it last would end alone, long after the other
    List<Object> items = new ArrayList<>(views.size() + waypoints.size());
    for (ServiceView view : views) {
      if (isHub(view)) {
        items.add(view);
      }
    }
    int hubCount = items.size();
    for (ServiceView view : views) {
      if (!isHub(view)) {
        items.add(view);
      }
    }
    items.addAll(waypoints);
    // One Peers per thread (Parallel's per-thread state), not one shared: a shared cache would
    // put a concurrent map on every peer lookup (most of a policy's work is looking up peers),
    // and both threads' documents would freeze its shared nodes in place at once (Resource.of).
    // A cache per thread costs at most one more build of each peer (a selector of a few labels),
    // and no lock or volatile read on the hot path. The callees' DNS names, built once per
    // agreement's callee and many more objects than a selector, are shared (Peers#calleeNames).
    ConcurrentMap<ServiceId, DnsNames.Callee> calleeNames =
        new ConcurrentHashMap<>(Math.max(16, views.size()));
    Object[] rendered =
        Parallel.map(
            items,
            () -> new Peers(calleeNames),
            (peers, item) ->
                item instanceof ServiceView view
                    ? service(topology, view, peers)
                    : WaypointPolicy.render(topology, (Waypoint) item, options, peers),
            parallelFrom);
    List<Resource> out = new ArrayList<>(ClusterPolicies.render(topology));
    // back in the views' order: the hubs and the others each kept theirs
    int hub = 0;
    int other = hubCount;
    for (ServiceView view : views) {
      addAll(out, rendered[isHub(view) ? hub++ : other++]);
    }
    for (int w = other; w < rendered.length; w++) {
      addAll(out, rendered[w]);
    }
    return out;
  }

  private static void addAll(List<Resource> out, Object policy) {
    for (Object r : (List<?>) policy) {
      out.add((Resource) r);
    }
  }

  /** The policy of {@code view}'s service; a hub's is kept for {@link #update} to patch. */
  private List<Resource> service(Topology topology, ServiceView view, Peers peers) {
    if (isHub(view)) {
      HubPolicy h = HubPolicy.render(topology, view, options, peers);
      // both threads of a render put theirs (a concurrent map), and the join of the render's
      // second thread publishes each memo whole before any update reads it
      hubs.put(view.id(), h);
      return h.resources();
    }
    return ServicePolicy.render(topology, view, options, peers);
  }

  /**
   * The policy of one service: empty when it has no rule in either direction. It depends only on
   * the service's view and its peers' facts (selector, mesh mode, waypoint), so a controller can
   * re-render the services an agreement change touches, and nothing else.
   *
   * @throws dev.lattice.diagnostics.LatticeException when the topology has errors
   * @throws IllegalArgumentException when the topology has no such service
   */
  public List<Resource> renderService(Topology topology, ServiceId service) {
    topology.orThrow();
    ServiceView view =
        topology
            .view(service)
            .orElseThrow(
                () -> new IllegalArgumentException("the topology has no service " + service));
    return ServicePolicy.render(topology, view, options, new Peers());
  }

  /**
   * The policy of one waypoint of {@code topology.waypoints()}. It depends on the inbound
   * agreements of the services behind it and, when it routes egress, on the exact-FQDN egress of
   * its namespace's ambient services.
   *
   * @throws dev.lattice.diagnostics.LatticeException when the topology has errors
   */
  public List<Resource> renderWaypoint(Topology topology, Waypoint waypoint) {
    topology.orThrow();
    return WaypointPolicy.render(topology, Objects.requireNonNull(waypoint), options, new Peers());
  }

  /**
   * The cluster-wide policies: {@code lattice-default-deny}, and {@code lattice-ambient-probes}
   * when some service outside the system namespaces is ambient.
   *
   * @throws dev.lattice.diagnostics.LatticeException when the topology has errors
   */
  public List<Resource> renderClusterwide(Topology topology) {
    topology.orThrow();
    return ClusterPolicies.render(topology);
  }

  /**
   * Brings {@code previous}, this renderer's output for {@code update.previous()}, up to date with
   * {@code update.topology()}: it re-renders only the policies the change can touch and splices
   * them in. The manifest equals {@code render(update.topology())} byte for byte, and the diff
   * equals {@code ManifestDiff.between(previous, render(update.topology()))}; the cost follows the
   * change, not the cluster. {@code previous} may also hold other layers' resources (it touches
   * only {@code cilium.io} ones).
   *
   * <pre>{@code
   * TopologyUpdate t = topology.update(List.of(changedService), List.of());
   * ManifestUpdate u = cilium.update(applied, t);
   * u.diff().upserts().forEach(client::apply);
   * u.diff().deletes().forEach(client::delete);
   * applied = u.manifest();
   * topology = t.topology();
   * }</pre>
   *
   * <p>What is re-rendered: the policy of every service of {@code update.servicesToRender()} and of
   * every removed one; the waypoint policies of the affected namespaces and of the namespaces whose
   * waypoints front a callee of a changed or removed service (a waypoint admits its callers' pods);
   * and the two cluster-wide policies (the probe exception lists the namespaces with ambient
   * services).
   *
   * @throws dev.lattice.diagnostics.LatticeException when the new topology has errors
   */
  public ManifestUpdate update(Manifest previous, TopologyUpdate update) {
    Objects.requireNonNull(previous, "previous");
    Topology next = update.topology().orThrow();
    Topology before = update.previous();
    Set<ServiceId> services = new TreeSet<>(update.servicesToRender());
    services.addAll(update.removedServices());
    Set<String> waypointNamespaces = new TreeSet<>(update.affectedNamespaces());
    Set<ServiceId> changed = new TreeSet<>(update.changedServices());
    changed.addAll(update.removedServices());
    for (ServiceId id : changed) {
      // a changed caller's pods (selector, mesh mode) appear in its callees' waypoint policies
      for (Topology t : List.of(before, next)) {
        t.view(id)
            .ifPresent(
                v -> {
                  for (Agreement a : v.outbound()) {
                    t.view(a.callee())
                        .flatMap(ServiceView::waypoint)
                        .ifPresent(w -> waypointNamespaces.add(w.namespace()));
                  }
                });
      }
    }
    Map<String, Set<String>> oldWaypoints = new HashMap<>();
    for (Waypoint w : before.waypoints()) {
      if (waypointNamespaces.contains(w.namespace())) {
        oldWaypoints.computeIfAbsent(w.namespace(), ns -> new HashSet<>()).add(w.name());
      }
    }
    Set<String> namespaces = new TreeSet<>(waypointNamespaces);
    services.forEach(id -> namespaces.add(id.namespace()));
    namespaces.add("");

    List<Resource> fresh = new ArrayList<>(ClusterPolicies.update(previous, update));
    Peers peers = new Peers();
    for (ServiceId id : services) {
      Optional<ServiceView> v = next.view(id);
      if (v.isEmpty()) {
        hubs.remove(id);
      } else if (isHub(v.get())) {
        fresh.addAll(hub(previous, update, v.get(), peers));
      } else {
        hubs.remove(id);
        fresh.addAll(ServicePolicy.render(next, v.get(), options, peers));
      }
    }
    for (ServiceId id : hubs.keySet()) {
      if (!services.contains(id)) {
        // nothing it reads changed (servicesToRender), so its parts stay and it stays valid
        HubPolicy h = hubs.remove(id);
        if (h != null && h.isAt(before)) {
          h.moveTo(next);
          hubs.put(id, h);
        }
      }
    }
    for (Waypoint w : next.waypoints()) {
      if (waypointNamespaces.contains(w.namespace())) {
        fresh.addAll(WaypointPolicy.render(next, w, options, peers));
      }
    }
    Set<ServiceId> owned = new HashSet<>(services); // asked of every resource of the namespaces
    return previous.replace(
        namespaces,
        r -> {
          if (!r.key().group().equals(Documents.GROUP)) {
            return false;
          }
          if (r.kind().equals(Documents.CCNP)) {
            return true;
          }
          String owner = Documents.owner(r.name());
          return owned.contains(ServiceId.of(r.namespace(), owner))
              || oldWaypoints.getOrDefault(r.namespace(), Set.of()).contains(owner);
        },
        fresh);
  }

  private boolean isHub(ServiceView view) {
    return view.inbound().size() + view.outbound().size() >= hubThreshold;
  }

  /** A hub's policy: its memo patched when it matches {@code previous}, else rendered in full. */
  private List<Resource> hub(
      Manifest previous, TopologyUpdate update, ServiceView view, Peers peers) {
    HubPolicy h = hubs.remove(view.id());
    int maxTouched = 64 + (view.inbound().size() + view.outbound().size()) / 8;
    if (h != null && h.patch(previous, update, peers, maxTouched)) {
      PATCHES.incrementAndGet();
    } else {
      h = HubPolicy.render(update.topology(), view, options, peers);
    }
    hubs.put(view.id(), h);
    return h.resources();
  }

  @Override
  public String toString() {
    return "CiliumRenderer" + options;
  }
}
