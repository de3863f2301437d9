package dev.lattice.examples.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.cilium.CiliumRenderer;
import dev.lattice.graph.Topology;
import dev.lattice.istio.IstioRenderer;
import dev.lattice.model.ServiceId;
import dev.lattice.model.Settings;
import dev.lattice.output.Labels;
import dev.lattice.output.Manifest;
import dev.lattice.output.Resource;
import dev.lattice.output.ResourceKey;
import dev.lattice.spec.Specs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Reconciler}: after every change the cluster holds exactly what a full render of the store
 * gives — computed here independently, by writing the store to disk and loading it as the command
 * does — and nothing else is touched.
 */
class ReconcilerTest {
  @TempDir Path tmp;

  private SpecStore store;
  private Cluster cluster;
  private Reconciler reconciler;

  private static final ResourceKey DEPLOYMENT = ResourceKey.of("apps", "Deployment", "shop", "web");

  @BeforeEach
  void start() {
    store = new SpecStore();
    cluster = new Cluster();
    cluster.apply(Resource.of(deployment()));
    reconciler = Reconciler.create(store, cluster, Settings.defaults());
  }

  /** The changes of the simulation and a few more, each one a step the test checks. */
  private List<Runnable> changes() {
    return List.of(
        () -> {
          store.put("shop.yaml", Example.SHOP);
          store.put("data.yaml", Example.DATA);
        },
        () -> store.put("shop.yaml", Example.SHOP_WITH_HTTP_RULE),
        () -> {
          store.put("cart.yaml", Example.CART);
          store.put("shop.yaml", Example.SHOP_WITH_HTTP_RULE_AND_CART);
        },
        // the same services, moved between files: nothing to write
        () -> {
          store.remove("cart.yaml");
          store.put("data.yaml", Example.DATA + "---\n" + Example.CART);
        },
        // a port renumbered
        () -> store.put("data.yaml", Example.DATA.replace("5432", "6432") + "---\n" + Example.CART),
        // api stops calling db: db's policy loses api (and db's agreement goes one-sided)
        () -> store.put("shop.yaml", Example.SHOP.replace("      db: {namespace: data}\n", "")),
        () -> {
          store.put("shop.yaml", Example.SHOP);
          store.put("data.yaml", Example.DATA);
        });
  }

  @Test
  void afterEveryChangeTheClusterEqualsAFullRender() {
    for (Runnable change : changes()) {
      change.run();
      Reconciler.Pass pass = reconciler.reconcile();
      assertThat(pass.accepted()).as("pass %s: %s", pass.generation(), pass.diagnostics()).isTrue();
      assertThat(managed())
          .as("cluster after generation %s", pass.generation())
          .isEqualTo(fullRender());
      assertThat(cluster.get(DEPLOYMENT)).hasValue(deployment());
    }
  }

  @Test
  void writesOnlyTheResourcesOfTheServicesAChangeTouched() {
    Manifest previous = Manifest.of(List.of());
    for (Runnable change : changes()) {
      change.run();
      Reconciler.Pass pass = reconciler.reconcile();
      Manifest next = fullRenderManifest();
      assertWritesBelongToTouchedServices(pass, previous, next);
      previous = next;
    }
  }

  /**
   * On the storefront (20 services), removing any one document converges to a full render, and
   * every write belongs to a service the change touched: {@link Topology#update} under-reports
   * nothing on a realistic graph.
   */
  @Test
  void removingAnyOneStorefrontDocumentConverges() throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (var specs = Files.list(Path.of("specs", "storefront"))) {
      for (Path p : (Iterable<Path>) specs.filter(f -> f.toString().endsWith(".yaml"))::iterator) {
        files.put(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8));
      }
    }
    int changes = 0;
    for (Map.Entry<String, String> file : files.entrySet()) {
      List<String> docs = List.of(file.getValue().split("(?m)^---\n"));
      for (int i = 0; i < docs.size(); i++) {
        start();
        files.forEach(store::put);
        reconciler.reconcile();
        Manifest before = fullRenderManifest();
        List<String> kept = new ArrayList<>(docs);
        kept.remove(i);
        store.put(file.getKey(), kept.isEmpty() ? "# nothing left\n" : String.join("---\n", kept));
        Reconciler.Pass pass = reconciler.reconcile();
        assertThat(pass.accepted())
            .as("%s without document %s: %s", file.getKey(), i, pass.diagnostics())
            .isTrue();
        Manifest after = fullRenderManifest();
        assertThat(managed()).isEqualTo(documents(after));
        assertWritesBelongToTouchedServices(pass, before, after);
        changes++;
      }
    }
    assertThat(changes).isGreaterThan(20);
  }

  private static void assertWritesBelongToTouchedServices(
      Reconciler.Pass pass, Manifest before, Manifest after) {
    Set<ServiceId> touched = new HashSet<>(pass.affected());
    touched.addAll(pass.removed());
    List<ResourceKey> written = new ArrayList<>(pass.upserts());
    written.addAll(pass.deletes());
    for (ResourceKey k : written) {
      // the service that owns the resource, as rendered now or (for a delete) before
      Resource r = after.get(k).isPresent() ? after.get(k).get() : before.get(k).orElseThrow();
      String owner = r.document().path("metadata").path("labels").path(Labels.SERVICE).asText(null);
      if (owner != null) {
        assertThat(touched)
            .as("%s was written for %s; Topology.update named %s", k, owner, pass.affected())
            .contains(ServiceId.of(k.namespace(), owner));
      }
    }
  }

  @Test
  void refusesSpecsWithErrorsAndKeepsTheLastGoodPolicies() {
    store.put("shop.yaml", Example.SHOP);
    store.put("data.yaml", Example.DATA);
    reconciler.reconcile();
    Map<ResourceKey, ObjectNode> good = cluster.objects();

    store.put("data.yaml", Example.DATA.replace("direction:", "direciton:"));
    Reconciler.Pass typo = reconciler.reconcile();
    assertThat(typo.accepted()).isFalse();
    assertThat(typo.isNoOp()).isTrue();
    assertThat(typo.diagnostics())
        .anySatisfy(
            d -> assertThat(d.toString()).startsWith("data.yaml:10:30: error[spec-unknown-field]"));
    assertThat(cluster.objects()).isEqualTo(good);

    // a graph that loads but does not resolve is refused the same way
    store.put("data.yaml", Example.DATA.replace("5432", "70000"));
    Reconciler.Pass range = reconciler.reconcile();
    assertThat(range.accepted()).isFalse();
    assertThat(range.diagnostics())
        .anySatisfy(d -> assertThat(d.code().id()).isEqualTo("port-out-of-range"));
    assertThat(cluster.objects()).isEqualTo(good);

    // so is an empty store: far likelier a mistake than a wish to drop every policy
    store.remove("shop.yaml");
    store.remove("data.yaml");
    assertThat(reconciler.reconcile().accepted()).isFalse();
    assertThat(cluster.objects()).isEqualTo(good);

    store.put("shop.yaml", Example.SHOP);
    store.put("data.yaml", Example.DATA);
    assertThat(reconciler.reconcile().accepted()).isTrue();
    assertThat(cluster.objects()).isEqualTo(good);
  }

  @Test
  void movingAServiceToAnotherFileWritesNothing() {
    store.put("shop.yaml", Example.SHOP);
    store.put("data.yaml", Example.DATA);
    store.put("cart.yaml", Example.CART);
    reconciler.reconcile();
    store.remove("cart.yaml");
    store.put("data.yaml", Example.DATA + "---\n" + Example.CART);
    Reconciler.Pass pass = reconciler.reconcile();
    assertThat(pass.recompiled()).isTrue();
    assertThat(pass.accepted()).isTrue();
    assertThat(pass.isNoOp()).isTrue();
  }

  @Test
  void appliesNothingUntilSomethingCompiles() {
    store.put("shop.yaml", Example.SHOP.replace("direction:", "direciton:"));
    Reconciler.Pass pass = reconciler.reconcile();
    assertThat(pass.accepted()).isFalse();
    assertThat(pass.isNoOp()).isTrue();
    assertThat(cluster.objects()).containsOnlyKeys(DEPLOYMENT);
  }

  @Test
  void repairsDriftWithoutASpecChange() {
    store.put("shop.yaml", Example.SHOP);
    store.put("data.yaml", Example.DATA);
    reconciler.reconcile();
    Map<ResourceKey, ObjectNode> good = cluster.objects();

    ResourceKey web = ResourceKey.of("cilium.io", "CiliumNetworkPolicy", "shop", "web");
    ResourceKey db =
        ResourceKey.of("security.istio.io", "AuthorizationPolicy", "data", "db-ztunnel");
    cluster.delete(web);
    cluster.edit(db, o -> ((ObjectNode) o.path("spec")).put("action", "DENY"));
    Reconciler.Pass pass = reconciler.reconcile();
    assertThat(pass.recompiled()).isFalse();
    assertThat(pass.upserts()).containsExactly(db, web);
    assertThat(pass.deletes()).isEmpty();
    assertThat(cluster.objects()).isEqualTo(good);
  }

  @Test
  void deletesOnlyWhatItManages() {
    store.put("shop.yaml", Example.SHOP);
    store.put("data.yaml", Example.DATA);
    reconciler.reconcile();
    // someone else's policy, same kind, no managed-by label
    ObjectNode theirs = JsonNodeFactory.instance.objectNode();
    theirs.put("apiVersion", "cilium.io/v2").put("kind", "CiliumNetworkPolicy");
    theirs.putObject("metadata").put("name", "legacy").put("namespace", "shop");
    cluster.apply(Resource.of(theirs));

    store.put("cart.yaml", Example.CART);
    store.put("shop.yaml", Example.SHOP_WITH_HTTP_RULE_AND_CART);
    reconciler.reconcile();
    store.remove("cart.yaml");
    store.put("shop.yaml", Example.SHOP);
    Reconciler.Pass pass = reconciler.reconcile();
    assertThat(pass.deletes()).isNotEmpty().allMatch(k -> !k.name().equals("legacy"));
    assertThat(pass.removed()).containsExactly(ServiceId.of("shop", "cart"));
    assertThat(cluster.get(Resource.of(theirs).key())).hasValue(theirs);
    assertThat(cluster.get(DEPLOYMENT)).hasValue(deployment());
  }

  @Test
  void aPassWithoutChangesWritesNothing() {
    store.put("shop.yaml", Example.SHOP);
    store.put("data.yaml", Example.DATA);
    assertThat(reconciler.reconcile().isNoOp()).isFalse();
    Reconciler.Pass again = reconciler.reconcile();
    assertThat(again.recompiled()).isFalse();
    assertThat(again.isNoOp()).isTrue();
    // writing the same text is not a change
    store.put("shop.yaml", Example.SHOP);
    assertThat(reconciler.reconcile().recompiled()).isFalse();
  }

  @Test
  void theSimulationEndsInSyncWithItsLastSpecs() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Cluster end = Reconciler.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out)
        .contains("== first sync")
        .contains("   apply  Gateway shop/waypoint")
        .contains("   label  kubectl label service -n shop api istio.io/use-waypoint=waypoint")
        .contains("   refused generation")
        .contains("   delete CiliumNetworkPolicy shop/cart")
        .endsWith("== nothing changed\n   (in sync)\ncluster: 13 managed objects, 1 other\n");

    store.put("shop.yaml", Example.SHOP_WITH_HTTP_RULE);
    store.put("data.yaml", Example.DATA);
    assertThat(end.managed()).isEqualTo(fullRender());
  }

  // ---------------------------------------------------------------- the oracle

  /** The managed objects of the cluster. */
  private Map<ResourceKey, ObjectNode> managed() {
    return cluster.managed();
  }

  /** A full render of the store, loaded from files the way {@code lattice render} loads them. */
  private Map<ResourceKey, ObjectNode> fullRender() {
    return documents(fullRenderManifest());
  }

  private static Map<ResourceKey, ObjectNode> documents(Manifest m) {
    Map<ResourceKey, ObjectNode> out = new TreeMap<>();
    for (Resource r : m.resources()) {
      out.put(r.key(), r.document());
    }
    return out;
  }

  private Manifest fullRenderManifest() {
    Path dir;
    try {
      dir = Files.createTempDirectory(tmp, "store");
      for (Map.Entry<String, String> f : store.snapshot().files().entrySet()) {
        Files.writeString(dir.resolve(f.getKey()), f.getValue(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Topology t = Specs.load(dir).orThrow().resolve(Settings.defaults()).orThrow();
    return CiliumRenderer.create().render(t).plus(IstioRenderer.create().render(t));
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
