package dev.lattice.examples.operator;

import dev.lattice.cilium.CiliumRenderer;
import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.graph.ServiceGraph;
import dev.lattice.graph.Topology;
import dev.lattice.graph.TopologyUpdate;
import dev.lattice.istio.IstioRenderer;
import dev.lattice.kubernetes.Applier;
import dev.lattice.kubernetes.ApplyOptions;
import dev.lattice.kubernetes.ApplyReport;
import dev.lattice.kubernetes.ClusterSpecs;
import dev.lattice.kubernetes.ClusterSpecs.SpecObject;
import dev.lattice.kubernetes.SpecKind;
import dev.lattice.kubernetes.SpecKind.Served;
import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import dev.lattice.model.Settings;
import dev.lattice.output.Manifest;
import dev.lattice.output.ManifestUpdate;
import dev.lattice.output.RequiredLabel;
import dev.lattice.output.ResourceKey;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The operator's one reconcile loop, for the whole cluster: each {@link #reconcile()} pass reads
 * every {@code LatticeService}, {@code LatticeMeshMember}, {@code LatticeJob} and {@code
 * LatticeModel}, brings the Cilium and Istio policies up to date with the incremental path ({@link
 * Topology#update}, the renderers' {@code update}), applies the difference through {@link Applier},
 * and writes each object's {@code status.policies}: whether its spec is in force, and the
 * diagnostics that concern it.
 *
 * <p>Bilateral agreements make the policies a function of all specs together, so a pass always
 * reads the whole set (a list call per kind) instead of the one object whose event triggered it;
 * objects whose generation did not change are not parsed again, and a pass with nothing new writes
 * nothing. Events that arrive while a pass runs share the next one ({@link #catchUp()}).
 *
 * <p>How it stays correct:
 *
 * <ul>
 *   <li><b>All or nothing.</b> When any object has an error, a kind cannot be listed, or the graph
 *       does not resolve, nothing new is applied: the cluster keeps the policies of the last specs
 *       that compiled, and every status says so (the faulty object's lists its errors, naming it
 *       and the resourceVersion they were found at). No objects at all is refused too: removing
 *       every policy would remove the default deny.
 *   <li><b>A kind the cluster does not serve has no objects.</b> Its CRD is not installed (or was
 *       deleted, and its objects with it): the pass reads none of it ({@link Pass#unserved()}),
 *       which only closes what those objects opened.
 *   <li><b>Converges.</b> The first pass, a pass after a failed write, and a pass every {@code
 *       resyncEvery} apply the whole desired manifest with pruning (comparing with the live
 *       objects), which repairs hand edits and whatever a failed run left behind; other passes
 *       apply only the diff.
 *   <li><b>Prunes only its own.</b> {@link Applier} deletes only objects labelled {@code
 *       app.kubernetes.io/managed-by: lattice}.
 *   <li><b>Shares the status.</b> It writes {@code status.policies} alone (a JSON merge patch), so
 *       the rest of the status stays whoever's it is — the Lattice platform's {@code phase}, {@code
 *       message} and {@code observedGeneration}. Where a kind's CRD drops {@code status.policies}
 *       (the platform's CRDs define their status field by field) or RBAC forbids the write, it says
 *       so once ({@link Pass#statusesNotWritten()}) and stops writing that kind's statuses until
 *       the next full sync.
 * </ul>
 *
 * <p>Not thread-safe by design: passes are serialized ({@code synchronized}).
 */
public final class ClusterReconciler {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  /** The key of the operator's part of each object's status. */
  static final String STATUS_KEY = "policies";

  private final KubernetesClient client;
  private final Settings settings;
  private final Duration resyncEvery;
  private final LongSupplier nanoTime;
  private final Applier applier;
  private final CiliumRenderer cilium = CiliumRenderer.create();
  private final IstioRenderer istio = IstioRenderer.create();

  /** Parsed objects by key, reused while uid and generation are unchanged. */
  private final Map<ResourceKey, Parsed> parsed = new HashMap<>();

  /** Writes each object's status, or logs it when its kind's statuses cannot be written. */
  private final StatusWriter statuses;

  /** Tickets of {@link #catchUp()} calls, and the last ticket issued when the last pass began. */
  private final AtomicLong requested = new AtomicLong();

  private long coveredUpTo;
  private Pass last;
  private boolean threw;
  private Topology applied;
  private Manifest desiredCilium;
  private Manifest desiredIstio;
  private boolean fullSyncDue = true;
  private long lastFullSync;

  private record Parsed(String uid, long generation, SpecObject spec) {}

  private ClusterReconciler(
      KubernetesClient client, Settings settings, Duration resyncEvery, LongSupplier nanoTime) {
    this.client = Objects.requireNonNull(client, "client");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.resyncEvery = Objects.requireNonNull(resyncEvery, "resyncEvery");
    this.nanoTime = nanoTime;
    this.applier = Applier.create(client);
    this.statuses = new StatusWriter(client);
    this.lastFullSync = nanoTime.getAsLong();
  }

  /**
   * A reconciler writing through {@code client}, rendering with {@code settings}, that applies the
   * whole manifest (repairing drift) at least every {@code resyncEvery} when passes run that often.
   */
  public static ClusterReconciler create(
      KubernetesClient client, Settings settings, Duration resyncEvery) {
    return new ClusterReconciler(client, settings, resyncEvery, System::nanoTime);
  }

  /**
   * What one pass did.
   *
   * @param objects how many Lattice objects the cluster held
   * @param accepted whether the specs compiled (when not, nothing new was applied)
   * @param diagnostics every diagnostic of the specs, sorted
   * @param affected the services whose policies the change may have touched
   * @param fullSync whether the pass applied the whole manifest (not just the diff)
   * @param reports what the writes did; empty when nothing was due
   * @param statusWrites how many objects' statuses changed
   * @param requiredLabels labels the policies in force need on objects Lattice does not own (the
   *     {@code istio.io/use-waypoint} label of a Service behind a waypoint): the operator does not
   *     write them, it reports them
   * @param unserved the kinds the pass did not read: not served (no CRD: none read) or forbidden
   *     (an error: nothing new applied)
   * @param statusesNotWritten the kinds whose statuses the operator does not write, and why
   * @param unwrittenStatuses for objects of those kinds, the status the pass would have written, as
   *     lines to log, when it changed since the last pass
   */
  public record Pass(
      int objects,
      boolean accepted,
      List<Diagnostic> diagnostics,
      Set<ServiceId> affected,
      boolean fullSync,
      List<ApplyReport> reports,
      int statusWrites,
      List<RequiredLabel> requiredLabels,
      Map<SpecKind, Served> unserved,
      Map<SpecKind, String> statusesNotWritten,
      List<String> unwrittenStatuses) {
    /** Whether every write of the pass went through. */
    public boolean isComplete() {
      return reports.stream().allMatch(ApplyReport::isComplete);
    }
  }

  /**
   * One pass: read the specs, apply what changed, write the statuses.
   *
   * @throws io.fabric8.kubernetes.client.KubernetesClientException when reading fails (the API
   *     server is unreachable, say); the events it would have covered then run passes of their own
   */
  public synchronized Pass reconcile() {
    long before = coveredUpTo;
    coveredUpTo = requested.get();
    try {
      last = pass();
      threw = false;
      return last;
    } catch (RuntimeException e) {
      coveredUpTo = before;
      threw = true;
      throw e;
    }
  }

  /**
   * A pass for an event seen before this call, unless a pass that began after this call covers it:
   * then nothing runs (empty). Events that arrive while a pass runs (a burst of creates, the first
   * listing of an informer) share the next pass instead of running one each.
   */
  public Optional<Pass> catchUp() {
    long ticket = requested.incrementAndGet();
    synchronized (this) {
      if (coveredUpTo >= ticket) {
        return Optional.empty();
      }
      return Optional.of(reconcile());
    }
  }

  /**
   * Whether a pass is due without an event: none ran yet, the last one threw or its writes failed,
   * or the periodic full sync is due.
   */
  public synchronized boolean due() {
    return last == null
        || threw
        || !last.isComplete()
        || (desiredCilium != null && nanoTime.getAsLong() - lastFullSync >= resyncEvery.toNanos());
  }

  private Pass pass() {
    ClusterSpecs.Listing listing = ClusterSpecs.list(client);
    List<GenericKubernetesResource> objects = listing.objects();
    ClusterSpecs specs = ClusterSpecs.of(read(objects), listing.unserved());

    Set<ServiceId> affected = new TreeSet<>();
    List<Diagnostic> diagnostics = new ArrayList<>(specs.diagnostics());
    List<ApplyReport> reports = new ArrayList<>();
    Compiled c = compile(specs, affected);
    diagnostics.addAll(c.diagnostics);
    boolean resyncDue = nanoTime.getAsLong() - lastFullSync >= resyncEvery.toNanos();
    boolean full = false;
    if (desiredCilium != null && (fullSyncDue || resyncDue)) {
      full = true;
      lastFullSync = nanoTime.getAsLong();
      // a full sync also asks again whether statuses can be written (a CRD may have changed)
      statuses.askAgain();
      reports.add(applier.apply(desiredCilium.plus(desiredIstio), ApplyOptions.defaults()));
    } else if (c.update != null) {
      for (ManifestUpdate u : c.update) {
        ApplyReport r = applier.apply(u.diff(), ApplyOptions.defaults());
        reports.add(r);
        if (!r.isComplete()) {
          break;
        }
      }
    }
    boolean complete = reports.stream().allMatch(ApplyReport::isComplete);
    fullSyncDue = !complete;
    List<Diagnostic> sorted = List.copyOf(new TreeSet<>(diagnostics));
    List<String> unwritten = new ArrayList<>();
    int writes = statuses.write(objects, specs, c.accepted, sorted, reports, unwritten);
    List<RequiredLabel> labels =
        desiredCilium == null ? List.of() : desiredCilium.plus(desiredIstio).requiredLabels();
    return new Pass(
        objects.size(),
        c.accepted,
        sorted,
        affected,
        full,
        List.copyOf(reports),
        writes,
        labels,
        specs.unserved(),
        statuses.notWritten(),
        List.copyOf(unwritten));
  }

  // ---------------------------------------------------------------- compile

  /** Whether the specs compiled, resolution's diagnostics, and the manifest updates to apply. */
  private record Compiled(
      boolean accepted, List<Diagnostic> diagnostics, List<ManifestUpdate> update) {}

  private Compiled compile(ClusterSpecs specs, Set<ServiceId> affected) {
    if (specs.hasErrors()) {
      return new Compiled(false, List.of(), null);
    }
    ServiceGraph graph = specs.graph().orElseThrow();
    if (applied == null) {
      Topology t = graph.resolve(settings);
      if (t.hasErrors()) {
        return new Compiled(false, t.diagnostics(), null);
      }
      applied = t;
      desiredCilium = cilium.render(t);
      desiredIstio = istio.render(t);
      t.services().forEach(s -> affected.add(s.id()));
      fullSyncDue = true;
      return new Compiled(true, t.diagnostics(), null);
    }
    Map<ServiceId, Service> before = new HashMap<>();
    applied.services().forEach(s -> before.put(s.id(), s));
    List<Service> upserts = new ArrayList<>();
    Set<ServiceId> removed = new TreeSet<>(before.keySet());
    for (Service s : graph.services()) {
      removed.remove(s.id());
      if (!s.equals(before.get(s.id()))) {
        upserts.add(s);
      }
    }
    if (upserts.isEmpty() && removed.isEmpty()) {
      return new Compiled(true, applied.diagnostics(), null);
    }
    TopologyUpdate u = applied.update(upserts, removed);
    if (u.topology().hasErrors()) {
      return new Compiled(false, u.topology().diagnostics(), null);
    }
    ManifestUpdate cu = cilium.update(desiredCilium, u);
    ManifestUpdate iu = istio.update(desiredIstio, u);
    applied = u.topology();
    desiredCilium = cu.manifest();
    desiredIstio = iu.manifest();
    affected.addAll(u.affectedServices());
    affected.addAll(removed);
    return new Compiled(true, applied.diagnostics(), List.of(cu, iu));
  }

  /** Each object as a spec, parsed again only when its uid or generation changed. */
  private List<SpecObject> read(List<GenericKubernetesResource> objects) {
    List<SpecObject> out = new ArrayList<>();
    Set<ResourceKey> seen = new TreeSet<>();
    for (GenericKubernetesResource o : objects) {
      String uid = String.valueOf(o.getMetadata().getUid());
      long generation = Optional.ofNullable(o.getMetadata().getGeneration()).orElse(0L);
      SpecObject fresh = null;
      ResourceKey key = key(o);
      Parsed p = parsed.get(key);
      if (p == null || !p.uid.equals(uid) || p.generation != generation) {
        fresh = ClusterSpecs.read(o);
        p = new Parsed(uid, generation, fresh);
        parsed.put(key, p);
      }
      seen.add(key);
      out.add(p.spec);
    }
    parsed.keySet().retainAll(seen);
    return out;
  }

  static ResourceKey key(GenericKubernetesResource o) {
    String ns = o.getMetadata().getNamespace();
    return ResourceKey.of(
        "lattice.dev", o.getKind(), ns == null ? "" : ns, o.getMetadata().getName());
  }
}
