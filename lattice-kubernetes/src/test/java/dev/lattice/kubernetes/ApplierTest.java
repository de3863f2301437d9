package dev.lattice.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.cilium.CiliumRenderer;
import dev.lattice.graph.Topology;
import dev.lattice.graph.TopologyUpdate;
import dev.lattice.istio.IstioRenderer;
import dev.lattice.kubernetes.ApplyReport.Action;
import dev.lattice.kubernetes.mock.MockCluster;
import dev.lattice.model.Service;
import dev.lattice.output.Labels;
import dev.lattice.output.Manifest;
import dev.lattice.output.ManifestDiff;
import dev.lattice.output.Resource;
import dev.lattice.output.ResourceKey;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Applier} against fabric8's mock API server in CRUD mode, with server-side apply emulated
 * ({@code ServerSideApplyDispatcher} says what that covers). Every test checks the cluster itself
 * afterwards, not only the report.
 */
class ApplierTest {
  private MockCluster cluster;
  private Applier applier;

  @BeforeEach
  void start() {
    cluster = MockCluster.start();
    applier = Applier.create(cluster.client());
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void appliesAManifestToAnEmptyClusterWithServerSideApplyAsLattice() {
    Manifest shop = Shop.render(Shop.SPECS);
    ApplyReport r = applier.apply(shop, ApplyOptions.defaults());

    assertThat(r.isComplete()).isTrue();
    assertThat(r.keys(Action.CREATE)).isEqualTo(keys(shop));
    assertThat(r.keys(Action.UPDATE)).isEmpty();
    assertThatClusterHolds(shop);
    // one server-side apply per object, as field manager lattice, never forced
    assertThat(cluster.dispatcher().writes())
        .hasSize(shop.resources().size())
        .allSatisfy(w -> assertThat(w).startsWith("PATCH ").endsWith("?fieldManager=lattice"));
    assertThat(live().values()).allSatisfy(o -> assertThat(Drift.owned(o, "lattice")).isNotNull());
    assertThat(r.lines()).contains("created CiliumNetworkPolicy shop/web");
    // every kind Lattice renders is in the shop, and went through the same path
    assertThat(keys(shop).stream().map(ResourceKey::kind).distinct())
        .containsExactlyInAnyOrderElementsOf(Kind.RENDERED.stream().map(Kind::kind).toList());
  }

  @Test
  void reapplyingTheSameManifestWritesNothing() {
    Manifest shop = Shop.render(Shop.SPECS);
    applier.apply(shop, ApplyOptions.defaults());
    Map<ResourceKey, String> versions = versions();
    cluster.dispatcher().clearWrites();

    ApplyReport again = applier.apply(Shop.render(Shop.SPECS), ApplyOptions.defaults());

    assertThat(again.isComplete()).isTrue();
    assertThat(again.isNoOp()).isTrue();
    assertThat(again.keys(Action.UNCHANGED)).isEqualTo(keys(shop));
    assertThat(again.lines()).isEmpty();
    assertThat(cluster.dispatcher().writes()).isEmpty();
    assertThat(versions()).isEqualTo(versions);
  }

  @Test
  void changingOneServiceWritesOnlyTheObjectsThatChanged() {
    Manifest before = Shop.render(Shop.SPECS);
    applier.apply(before, ApplyOptions.defaults());
    Map<ResourceKey, String> versions = versions();
    cluster.dispatcher().clearWrites();

    Manifest after = Shop.render(Shop.DB_MOVED);
    ApplyReport r = applier.apply(after, ApplyOptions.defaults());

    ManifestDiff expected = ManifestDiff.between(before, after);
    assertThat(expected.upserts()).isNotEmpty();
    assertThat(r.keys(Action.UPDATE))
        .isEqualTo(expected.upserts().stream().map(Resource::key).toList());
    assertThat(r.keys(Action.CREATE)).isEmpty();
    assertThat(r.keys(Action.DELETE)).isEqualTo(expected.deletes());
    assertThat(cluster.dispatcher().writes()).hasSize(expected.upserts().size());
    // db's and api's objects moved; web's and cart's kept their resourceVersion
    Map<ResourceKey, String> now = versions();
    for (ResourceKey k : now.keySet()) {
      boolean written = r.keys(Action.UPDATE).contains(k);
      assertThat(now.get(k).equals(versions.get(k))).as("%s", k).isEqualTo(!written);
    }
    assertThat(r.keys(Action.UPDATE))
        .extracting(ResourceKey::name)
        .allMatch(n -> n.startsWith("db") || n.startsWith("api"));
    assertThatClusterHolds(after);
  }

  @Test
  void prunesManagedObjectsTheManifestNoLongerHoldsAndNothingElse() {
    applier.apply(Shop.render(Shop.SPECS), ApplyOptions.defaults());
    // someone else's policy in the same namespace, and a managed object of a kind Lattice does not
    // render: neither is Lattice's to prune
    var policies = Kind.RENDERED.get(2).in(cluster.client()).inNamespace("shop");
    policies.resource(object("cilium.io/v2", "CiliumNetworkPolicy", "legacy", false)).create();
    cluster
        .client()
        .configMaps()
        .inNamespace("shop")
        .resource(
            new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata()
                .withName("lattice-notes")
                .addToLabels(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
                .endMetadata()
                .build())
        .create();

    Manifest without = Shop.render(Shop.WITHOUT_CART);
    ApplyReport r = applier.apply(without, ApplyOptions.defaults());

    assertThat(r.keys(Action.DELETE))
        .isNotEmpty()
        .allSatisfy(k -> assertThat(k.name()).startsWith("cart"));
    assertThatClusterHolds(without);
    assertThat(policies.withName("legacy").get()).isNotNull();
    assertThat(cluster.client().configMaps().inNamespace("shop").withName("lattice-notes").get())
        .isNotNull();

    // cluster-scoped objects are pruned too: out of the mesh, no ambient-probe policy is rendered
    Manifest outOfMesh = Shop.render(Shop.OUT_OF_MESH);
    ApplyReport r2 = applier.apply(outOfMesh, ApplyOptions.defaults());
    assertThat(r2.keys(Action.DELETE))
        .contains(
            ResourceKey.of(
                "cilium.io", "CiliumClusterwideNetworkPolicy", "", "lattice-ambient-probes"));
    assertThatClusterHolds(outOfMesh);

    // and with prune off, nothing is deleted
    ApplyReport r3 = applier.apply(without, ApplyOptions.defaults().prune(false));
    assertThat(r3.keys(Action.DELETE)).isEmpty();
    assertThat(live().keySet())
        .containsAll(keys(outOfMesh).stream().filter(k -> !k.namespace().isEmpty()).toList());
  }

  @Test
  void aDryRunReportsWhatWouldChangeAndWritesNothing() {
    applier.apply(Shop.render(Shop.SPECS), ApplyOptions.defaults());
    Map<ResourceKey, JsonNode> before = live();
    cluster.dispatcher().clearWrites();

    Manifest next = Shop.render(Shop.WITHOUT_CART.replace("pg: {port: 5432", "pg: {port: 6432"));
    ApplyReport dry = applier.apply(next, ApplyOptions.defaults().dryRun(true));

    assertThat(dry.dryRun()).isTrue();
    assertThat(cluster.dispatcher().writes()).isEmpty();
    assertThat(live()).isEqualTo(before);
    assertThat(dry.keys(Action.UPDATE)).isNotEmpty();
    assertThat(dry.keys(Action.DELETE)).isNotEmpty();
    assertThat(dry.lines()).anySatisfy(l -> assertThat(l).startsWith("would prune "));
    assertThat(dry.toString()).startsWith("dry run: ");

    // the dry run said exactly what the real run then does
    ApplyReport real = applier.apply(next, ApplyOptions.defaults());
    assertThat(real.steps()).isEqualTo(dry.steps());
    assertThatClusterHolds(next);
  }

  @Test
  void aFailureHalfwayStopsWithAClearErrorAndARerunConverges() {
    applier.apply(Shop.render(Shop.WITHOUT_CART), ApplyOptions.defaults());
    // the next manifest adds cart's objects and changes db's; the API server refuses to write
    // cart's Istio policy (as an admission webhook or missing RBAC would)
    cluster.dispatcher().refuse("/authorizationpolicies/cart", 403, "admission denied: no");
    Manifest next = Shop.render(Shop.SPECS.replace("pg: {port: 5432", "pg: {port: 6432"));

    ApplyReport failed = applier.apply(next, ApplyOptions.defaults());

    assertThat(failed.isComplete()).isFalse();
    ApplyReport.Failure f = failed.failure().orElseThrow();
    assertThat(f.step().key())
        .isEqualTo(
            ResourceKey.of("security.istio.io", "AuthorizationPolicy", "shop", "cart-ztunnel"));
    assertThat(f.status()).isEqualTo(403);
    assertThat(f.message())
        .startsWith("applying AuthorizationPolicy shop/cart-ztunnel failed (HTTP 403): ")
        .contains("admission denied: no")
        .contains("grant it with RBAC");
    assertThat(failed.pending()).isNotEmpty();
    // what the report says took effect did, and what it says did not run did not
    Map<ResourceKey, JsonNode> live = live();
    for (ApplyReport.Step s : failed.steps()) {
      assertThat(
              Drift.covers(
                  next.get(s.key()).orElseThrow().document().path("spec"),
                  live.get(s.key()).path("spec")))
          .as("%s", s.key())
          .isTrue();
    }
    assertThat(failed.pending()).noneMatch(s -> s.action() == Action.UNCHANGED);
    for (ApplyReport.Step s : failed.pending()) {
      JsonNode o = live.get(s.key());
      assertThat(
              o == null
                  || !Drift.covers(
                      next.get(s.key()).orElseThrow().document().path("spec"), o.path("spec")))
          .as("%s did not run", s.key())
          .isTrue();
    }
    assertThat(failed.lines())
        .anySatisfy(l -> assertThat(l).startsWith("error: applying AuthorizationPolicy shop/cart"))
        .anySatisfy(l -> assertThat(l).startsWith("not run: "));

    cluster.dispatcher().allow("/authorizationpolicies/cart");
    ApplyReport rerun = applier.apply(next, ApplyOptions.defaults());
    assertThat(rerun.isComplete()).isTrue();
    List<ResourceKey> written = new ArrayList<>(rerun.keys(Action.CREATE));
    written.addAll(rerun.keys(Action.UPDATE));
    assertThat(written)
        .doesNotContainAnyElementsOf(
            failed.steps().stream()
                .filter(s -> s.action() != Action.UNCHANGED)
                .map(ApplyReport.Step::key)
                .toList());
    assertThatClusterHolds(next);
  }

  @Test
  void takesOverAnotherWritersObjectOnlyWhenForced() {
    Manifest shop = Shop.render(Shop.SPECS);
    Resource web =
        shop.get(ResourceKey.of("cilium.io", "CiliumNetworkPolicy", "shop", "web")).orElseThrow();
    GenericKubernetesResource theirs = KubernetesObjects.of(web);
    // someone else wrote the policy first, with other rules: they own its rule lists
    theirs.setAdditionalProperty(
        "spec", Map.of("endpointSelector", Map.of(), "ingress", List.of(), "egress", List.of()));
    Kind.RENDERED.get(2).in(cluster.client()).inNamespace("shop").resource(theirs).create();

    ApplyReport refused = applier.apply(shop, ApplyOptions.defaults());
    assertThat(refused.failure())
        .hasValueSatisfying(
            f -> {
              assertThat(f.status()).isEqualTo(409);
              assertThat(f.message())
                  .contains("CiliumNetworkPolicy shop/web")
                  .contains("apply with force");
            });

    ApplyReport forced = applier.apply(shop, ApplyOptions.defaults().force(true));
    assertThat(forced.isComplete()).isTrue();
    assertThat(cluster.dispatcher().writes()).last().asString().endsWith("&force=true");
    assertThatClusterHolds(shop);
  }

  @Test
  void repairsDriftButKeepsWhatOthersAdded() {
    Manifest shop = Shop.render(Shop.SPECS);
    applier.apply(shop, ApplyOptions.defaults());
    var policies = Kind.RENDERED.get(0).in(cluster.client()).inNamespace("data");
    // someone adds a label (theirs to keep) to one policy, and changes another's action
    policies
        .withName("db-ztunnel")
        .edit(
            o -> {
              o.getMetadata().getLabels().put("team", "data");
              return o;
            });
    GenericKubernetesResource api =
        Kind.RENDERED.get(0).in(cluster.client()).inNamespace("shop").withName("api-ztunnel").get();
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) api.getAdditionalProperties().get("spec");
    spec.put("action", "DENY");
    Kind.RENDERED.get(0).in(cluster.client()).inNamespace("shop").resource(api).update();

    ApplyReport r = applier.apply(shop, ApplyOptions.defaults());

    assertThat(r.keys(Action.UPDATE))
        .containsExactly(
            ResourceKey.of("security.istio.io", "AuthorizationPolicy", "shop", "api-ztunnel"));
    assertThatClusterHolds(shop);
    assertThat(policies.withName("db-ztunnel").get().getMetadata().getLabels())
        .containsEntry("team", "data");
  }

  @Test
  void appliesAControllersIncrementalDiff() {
    Topology t = Shop.topology(Shop.SPECS);
    CiliumRenderer cilium = CiliumRenderer.create();
    IstioRenderer istio = IstioRenderer.create();
    Manifest c = cilium.render(t);
    Manifest i = istio.render(t);
    applier.apply(c.plus(i), ApplyOptions.defaults());

    Service db =
        Shop.topology(Shop.DB_MOVED).services().stream()
            .filter(s -> s.name().equals("db"))
            .findFirst()
            .orElseThrow();
    TopologyUpdate u = t.update(List.of(db), List.of());
    var cu = cilium.update(c, u);
    var iu = istio.update(i, u);
    cluster.dispatcher().clearWrites();
    ApplyReport rc = applier.apply(cu.diff(), ApplyOptions.defaults());
    ApplyReport ri = applier.apply(iu.diff(), ApplyOptions.defaults());

    assertThat(rc.isComplete() && ri.isComplete()).isTrue();
    assertThat(cluster.dispatcher().writes())
        .hasSize(cu.diff().upserts().size() + iu.diff().upserts().size());
    assertThatClusterHolds(cu.manifest().plus(iu.manifest()));
    assertThatClusterHolds(Shop.render(Shop.DB_MOVED));
  }

  @Test
  void aDiffsDeletesSpareAnObjectNoLongerLabelledAsLattices() {
    applier.apply(Shop.render(Shop.SPECS), ApplyOptions.defaults());
    // someone replaced cart's Cilium policy with one of their own, same name, no label
    var policies = Kind.RENDERED.get(2).in(cluster.client()).inNamespace("shop");
    policies.withName("cart").delete();
    policies.resource(object("cilium.io/v2", "CiliumNetworkPolicy", "cart", false)).create();

    ManifestDiff diff =
        ManifestDiff.between(Shop.render(Shop.SPECS), Shop.render(Shop.WITHOUT_CART));
    ResourceKey cart = ResourceKey.of("cilium.io", "CiliumNetworkPolicy", "shop", "cart");
    assertThat(diff.deletes()).contains(cart);
    ApplyReport r = applier.apply(diff, ApplyOptions.defaults());

    assertThat(r.keys(Action.DELETE)).isNotEmpty().doesNotContain(cart);
    assertThat(policies.withName("cart").get()).isNotNull();
  }

  // ---------------------------------------------------------------- the cluster, read back

  /** Every object of the rendered kinds in the mock cluster, managed or not, by key. */
  private Map<ResourceKey, JsonNode> live() {
    Map<ResourceKey, JsonNode> out = new TreeMap<>();
    for (Kind k : Kind.RENDERED) {
      var op = k.in(cluster.client());
      var items = (k.namespaced() ? op.inAnyNamespace().list() : op.list()).getItems();
      for (GenericKubernetesResource o : items) {
        String ns = o.getMetadata().getNamespace();
        out.put(
            ResourceKey.of(k.group(), k.kind(), ns == null ? "" : ns, o.getMetadata().getName()),
            KubernetesObjects.tree(o));
      }
    }
    return out;
  }

  private Map<ResourceKey, String> versions() {
    Map<ResourceKey, String> out = new TreeMap<>();
    live().forEach((k, v) -> out.put(k, v.path("metadata").path("resourceVersion").asText()));
    return out;
  }

  /** The managed objects are exactly {@code manifest}'s, each holding its document. */
  private void assertThatClusterHolds(Manifest manifest) {
    Map<ResourceKey, JsonNode> managed = new TreeMap<>();
    live()
        .forEach(
            (k, v) -> {
              if (Drift.isManaged(v)) {
                managed.put(k, v);
              }
            });
    assertThat(managed.keySet()).isEqualTo(new java.util.TreeSet<>(keys(manifest)));
    for (Resource r : manifest.resources()) {
      assertThat(Drift.needsApply(r.document(), managed.get(r.key()), "lattice"))
          .as("%s differs from its document", r.key())
          .isFalse();
    }
  }

  private static List<ResourceKey> keys(Manifest m) {
    return m.resources().stream().map(Resource::key).toList();
  }

  private static GenericKubernetesResource object(
      String apiVersion, String kind, String name, boolean managed) {
    var b =
        new GenericKubernetesResourceBuilder()
            .withApiVersion(apiVersion)
            .withKind(kind)
            .withNewMetadata()
            .withName(name)
            .withNamespace("shop");
    if (managed) {
      b = b.addToLabels(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
    }
    GenericKubernetesResource r = b.endMetadata().build();
    r.setAdditionalProperty("spec", Map.of("endpointSelector", Map.of()));
    return r;
  }
}
