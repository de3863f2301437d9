package dev.lattice.examples.controller;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.cilium.CiliumRenderer;
import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.diagnostics.DiagnosticCode;
import dev.lattice.graph.ServiceGraph;
import dev.lattice.graph.Topology;
import dev.lattice.graph.TopologyUpdate;
import dev.lattice.istio.IstioRenderer;
import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import dev.lattice.model.Settings;
import dev.lattice.output.Manifest;
import dev.lattice.output.ManifestDiff;
import dev.lattice.output.RequiredLabel;
import dev.lattice.output.Resource;
import dev.lattice.output.ResourceKey;
import dev.lattice.spec.SpecResult;
import dev.lattice.spec.Specs;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A reconcile loop: each {@link #reconcile()} pass recompiles the specs of a {@link SpecStore} when
 * they changed, and brings a {@link Cluster} to the rendered policies by applying the difference —
 * upserts of new or changed resources, deletes of managed resources no longer rendered.
 *
 * <pre>{@code
 * SpecStore store = new SpecStore();
 * Cluster cluster = new Cluster();
 * Reconciler reconciler = Reconciler.create(store, cluster, Settings.defaults());
 * store.put("shop.yaml", yaml);
 * Reconciler.Pass pass = reconciler.reconcile();   // applies every policy of shop.yaml
 * store.put("shop.yaml", changedYaml);
 * pass = reconciler.reconcile();                   // applies only what changed
 * }</pre>
 *
 * <p>How it stays correct:
 *
 * <ul>
 *   <li><b>All or nothing.</b> A change whose specs have errors is refused: the cluster keeps the
 *       last policies that compiled, and the pass reports the diagnostics. Half a graph is never
 *       rendered, so a typo cannot open (or close) anything.
 *   <li><b>Level-triggered.</b> Every pass diffs what the cluster holds against what the specs
 *       render, so a managed policy someone edited or deleted by hand is put back on the next pass,
 *       with or without a spec change.
 *   <li><b>Prunes only its own.</b> {@link ManifestDiff} deletes only resources labelled {@code
 *       app.kubernetes.io/managed-by: lattice}; anything else in the cluster is left alone.
 * </ul>
 *
 * <p>What it recomputes: each file is parsed again only when its text changed, and the merged graph
 * is resolved to find errors and what changed; then {@link Topology#update} re-resolves only the
 * changed services' neighbourhood, the renderers' {@code update} re-render only what that touches
 * and splice it into the last render, and the diff keeps the writes to what changed.
 */
public final class Reconciler {
  private final SpecStore store;
  private final Cluster cluster;
  private final Settings settings;
  private final CiliumRenderer cilium = CiliumRenderer.create();
  private final IstioRenderer istio = IstioRenderer.create();

  /** Parsed files by name, kept while their text is unchanged. */
  private final Map<String, Parsed> parsed = new HashMap<>();

  private long compiledGeneration = -1;
  private Topology applied;
  private Manifest desiredCilium;
  private Manifest desiredIstio;
  private Manifest desired;
  private List<Diagnostic> rejection = List.of();

  private record Parsed(String text, SpecResult result) {}

  private Reconciler(SpecStore store, Cluster cluster, Settings settings) {
    this.store = Objects.requireNonNull(store, "store");
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /** A reconciler of {@code store} into {@code cluster}, rendering with {@code settings}. */
  public static Reconciler create(SpecStore store, Cluster cluster, Settings settings) {
    return new Reconciler(store, cluster, settings);
  }

  /**
   * What one pass did: the store generation it saw, whether that generation compiled, its
   * diagnostics, the services the change touched, and the writes it applied.
   *
   * @param generation the store generation the pass compiled (or found unchanged)
   * @param recompiled whether the store had changed since the previous pass
   * @param accepted whether the specs of that generation compiled; when not, nothing new is applied
   * @param diagnostics every diagnostic of that generation (errors, warnings, notes)
   * @param affected services whose rendered resources the change may have changed (all, at first)
   * @param removed services the change removed
   * @param upserts resources created or replaced in the cluster
   * @param deletes resources deleted from the cluster
   * @param requiredLabels labels the rendered policies need on objects Lattice does not own
   */
  public record Pass(
      long generation,
      boolean recompiled,
      boolean accepted,
      List<Diagnostic> diagnostics,
      Set<ServiceId> affected,
      Set<ServiceId> removed,
      List<ResourceKey> upserts,
      List<ResourceKey> deletes,
      List<RequiredLabel> requiredLabels) {

    /** Whether the pass wrote nothing. */
    public boolean isNoOp() {
      return upserts.isEmpty() && deletes.isEmpty();
    }
  }

  /** One pass of the loop: recompile if the store changed, then apply the difference. */
  public synchronized Pass reconcile() {
    SpecStore.Snapshot snapshot = store.snapshot();
    boolean recompiled = snapshot.generation() != compiledGeneration;
    Set<ServiceId> affected = Set.of();
    Set<ServiceId> removed = Set.of();
    List<Diagnostic> diagnostics = rejection;
    if (recompiled) {
      compiledGeneration = snapshot.generation();
      Compiled c = compile(snapshot.files());
      diagnostics = c.diagnostics;
      if (c.topology == null) {
        rejection = c.diagnostics;
      } else {
        rejection = List.of();
        removed = removed(c.topology);
        if (applied == null) {
          affected = ids(c.topology);
          desiredCilium = cilium.render(c.topology);
          desiredIstio = istio.render(c.topology);
          applied = c.topology;
        } else {
          // Incremental: resolve and render only what the change touches, spliced into the last
          // render (byte-identical to a full render of c.topology; ReconcilerTest checks it).
          TopologyUpdate u = applied.update(upserts(c.topology), removed);
          affected = new TreeSet<>(u.affectedServices());
          desiredCilium = cilium.update(desiredCilium, u).manifest();
          desiredIstio = istio.update(desiredIstio, u).manifest();
          applied = u.topology();
        }
        desired = desiredCilium.plus(desiredIstio);
      }
    }
    if (desired == null) {
      // nothing has ever compiled: there is no known-good state to converge to
      return new Pass(
          compiledGeneration,
          recompiled,
          false,
          diagnostics,
          affected,
          removed,
          List.of(),
          List.of(),
          List.of());
    }
    ManifestDiff diff = ManifestDiff.between(cluster.contents(), desired);
    diff.upserts().forEach(cluster::apply);
    diff.deletes().forEach(cluster::delete);
    return new Pass(
        compiledGeneration,
        recompiled,
        rejection.isEmpty(),
        diagnostics,
        affected,
        removed,
        diff.upserts().stream().map(Resource::key).toList(),
        diff.deletes(),
        desired.requiredLabels());
  }

  /** The topology of the last specs that compiled, if any. */
  public synchronized Optional<Topology> topology() {
    return Optional.ofNullable(applied);
  }

  // ---------------------------------------------------------------- compile

  private record Compiled(Topology topology, List<Diagnostic> diagnostics) {}

  /**
   * Parses each file (again only if its text changed), merges them into one graph and resolves it;
   * the topology is null when any diagnostic is an error.
   */
  private Compiled compile(Map<String, String> files) {
    parsed.keySet().retainAll(files.keySet());
    List<Diagnostic> diagnostics = new ArrayList<>();
    List<Diagnostic> noSpecs = new ArrayList<>();
    ServiceGraph graph = ServiceGraph.of(List.of());
    boolean loadErrors = false;
    for (Map.Entry<String, String> f : new TreeMap<>(files).entrySet()) {
      Parsed p = parsed.get(f.getKey());
      if (p == null || !p.text.equals(f.getValue())) {
        p = new Parsed(f.getValue(), Specs.parse(f.getKey(), f.getValue()));
        parsed.put(f.getKey(), p);
      }
      for (Diagnostic d : p.result.diagnostics()) {
        // a file of other kinds (a Deployment) is fine in a store of many files
        (d.code() == DiagnosticCode.NO_SPECS ? noSpecs : diagnostics).add(d);
      }
      boolean onlyNoSpecs =
          p.result.diagnostics().stream()
              .filter(Diagnostic::isError)
              .allMatch(d -> d.code() == DiagnosticCode.NO_SPECS);
      if (p.result.graph().isPresent()) {
        graph = graph.merge(p.result.graph().get());
      } else if (!onlyNoSpecs) {
        loadErrors = true;
      }
    }
    if (graph.services().isEmpty()) {
      // an empty store is far more likely a mistake than a wish to remove every policy
      diagnostics.addAll(
          noSpecs.isEmpty()
              ? List.of(
                  Diagnostic.of(
                      DiagnosticCode.NO_SPECS,
                      "(store)",
                      Optional.empty(),
                      "the store holds no LatticeService or LatticeMeshMember; add one"))
              : noSpecs);
      loadErrors = true;
    }
    if (loadErrors) {
      return new Compiled(null, sorted(diagnostics));
    }
    Topology topology = graph.resolve(settings);
    // resolution repeats the diagnostics of loading that the graph carries
    return new Compiled(topology.hasErrors() ? null : topology, sorted(topology.diagnostics()));
  }

  private static List<Diagnostic> sorted(List<Diagnostic> diagnostics) {
    return List.copyOf(new TreeSet<>(diagnostics));
  }

  private static Set<ServiceId> ids(Topology t) {
    Set<ServiceId> all = new TreeSet<>();
    t.services().forEach(s -> all.add(s.id()));
    return all;
  }

  /** The services of {@code next} that are new or differ from the last applied topology. */
  private List<Service> upserts(Topology next) {
    Map<ServiceId, Service> before = byId(applied);
    List<Service> upserts = new ArrayList<>();
    for (Service s : next.services()) {
      if (!s.equals(before.get(s.id()))) {
        upserts.add(s);
      }
    }
    return upserts;
  }

  private Set<ServiceId> removed(Topology next) {
    if (applied == null) {
      return Set.of();
    }
    Set<ServiceId> gone = new TreeSet<>(byId(applied).keySet());
    gone.removeAll(byId(next).keySet());
    return gone;
  }

  private static Map<ServiceId, Service> byId(Topology t) {
    Map<ServiceId, Service> m = new HashMap<>();
    t.services().forEach(s -> m.put(s.id(), s));
    return m;
  }

  // ---------------------------------------------------------------- the example

  /**
   * Simulates a few changes to a small shop and prints what each pass applied: the first sync, an
   * HTTP rule (a waypoint appears), a new service, a typo (refused, nothing applied), its fix with
   * the new service removed again, and a policy someone deleted by hand (put back).
   */
  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    run(out);
  }

  /** The simulation of {@link #main}, printing to {@code out}; returns the cluster at the end. */
  public static Cluster run(PrintStream out) {
    SpecStore store = new SpecStore();
    Cluster cluster = new Cluster();
    cluster.apply(Resource.of(deployment()));
    Reconciler reconciler = create(store, cluster, Settings.defaults());

    step(
        out,
        "first sync: web -> api -> db",
        reconciler,
        () -> {
          store.put("shop.yaml", Example.SHOP);
          store.put("data.yaml", Example.DATA);
        });
    step(
        out,
        "api grants web GET /api/* only (an HTTP rule: a waypoint)",
        reconciler,
        () -> store.put("shop.yaml", Example.SHOP_WITH_HTTP_RULE));
    step(
        out,
        "a new service: cart, called by web",
        reconciler,
        () -> {
          store.put("cart.yaml", Example.CART);
          store.put("shop.yaml", Example.SHOP_WITH_HTTP_RULE_AND_CART);
        });
    step(
        out,
        "a typo in data.yaml (refused: the cluster keeps its policies)",
        reconciler,
        () -> store.put("data.yaml", Example.DATA.replace("direction:", "direciton:")));
    step(
        out,
        "the typo fixed, cart retired",
        reconciler,
        () -> {
          store.put("data.yaml", Example.DATA);
          store.remove("cart.yaml");
          store.put("shop.yaml", Example.SHOP_WITH_HTTP_RULE);
        });
    ResourceKey web = ResourceKey.of("cilium.io", "CiliumNetworkPolicy", "shop", "web");
    step(
        out,
        "someone deletes shop/web's policy by hand (drift, no spec change)",
        reconciler,
        () -> cluster.delete(web));
    step(out, "nothing changed", reconciler, () -> {});
    out.println(
        "cluster: "
            + cluster.managed().size()
            + " managed objects, "
            + (cluster.objects().size() - cluster.managed().size())
            + " other");
    return cluster;
  }

  private static void step(PrintStream out, String what, Reconciler reconciler, Runnable change) {
    change.run();
    Pass pass = reconciler.reconcile();
    out.println("== " + what);
    for (Diagnostic d : pass.diagnostics()) {
      if (d.isError() || !pass.accepted()) {
        out.println("   " + d);
      }
    }
    if (!pass.accepted()) {
      out.println("   refused generation " + pass.generation() + ": nothing new applied");
    }
    if (pass.recompiled() && pass.accepted()) {
      out.println(
          "   touched: "
              + pass.affected()
              + (pass.removed().isEmpty() ? "" : ", removed: " + pass.removed()));
    }
    if (pass.recompiled() && pass.accepted()) {
      pass.requiredLabels().forEach(l -> out.println("   label  " + l.kubectl()));
    }
    pass.upserts().forEach(k -> out.println("   apply  " + k));
    pass.deletes().forEach(k -> out.println("   delete " + k));
    if (pass.isNoOp()) {
      out.println("   (in sync)");
    }
  }

  private static ObjectNode deployment() {
    ObjectNode d = JsonNodeFactory.instance.objectNode();
    d.put("apiVersion", "apps/v1");
    d.put("kind", "Deployment");
    d.putObject("metadata").put("name", "web").put("namespace", "shop");
    d.putObject("spec").put("replicas", 3);
    return d;
  }
}
