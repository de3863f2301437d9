package dev.lattice.examples.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.kubernetes.ApplyReport;
import dev.lattice.kubernetes.SpecKind;
import dev.lattice.kubernetes.SpecKind.Served;
import dev.lattice.kubernetes.mock.MockCluster;
import dev.lattice.model.ServiceId;
import dev.lattice.model.Settings;
import dev.lattice.output.ManifestDiff;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ClusterReconciler}, one pass at a time (no SDK, no threads), against the mock API server:
 * what each pass writes, and how it converges after a refused write.
 */
class ClusterReconcilerTest {
  private MockCluster cluster;
  private KubernetesClient client;
  private ClusterReconciler reconciler;
  private final List<String> specs = new ArrayList<>(Shop.ALL);

  @BeforeEach
  void start() {
    cluster = MockCluster.start();
    client = cluster.client();
    reconciler = ClusterReconciler.create(client, Settings.defaults(), Duration.ofHours(1));
    specs.forEach(s -> Shop.create(client, s));
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void aChangeToOneServiceWritesOnlyWhatItsRenderChanged() {
    ClusterReconciler.Pass first = reconciler.reconcile();
    assertThat(first.fullSync()).isTrue();
    assertThat(first.statusWrites()).isEqualTo(5);
    assertThat(Shop.managed(client)).isEqualTo(Shop.documents(Shop.render(specs)));

    // nothing new: no writes at all
    cluster.dispatcher().clearWrites();
    ClusterReconciler.Pass idle = reconciler.reconcile();
    assertThat(idle.reports()).isEmpty();
    assertThat(cluster.dispatcher().writes()).isEmpty();

    String moved = Shop.DB.replace("pg: {port: 5432}", "pg: {port: 6432}");
    Shop.update(client, moved);
    List<String> next = new ArrayList<>(specs);
    next.set(next.indexOf(Shop.DB), moved);
    cluster.dispatcher().clearWrites();
    ClusterReconciler.Pass pass = reconciler.reconcile();

    assertThat(pass.fullSync()).isFalse();
    assertThat(pass.affected()).contains(ServiceId.of("data", "db"), ServiceId.of("shop", "api"));
    ManifestDiff diff = ManifestDiff.between(Shop.render(specs), Shop.render(next));
    // the policies that changed, and db's status (its generation moved)
    assertThat(cluster.dispatcher().writes())
        .filteredOn(w -> !w.contains("/latticeservices/"))
        .hasSize(diff.upserts().size() + diff.deletes().size());
    assertThat(cluster.dispatcher().writes())
        .filteredOn(w -> w.contains("/latticeservices/"))
        .containsExactly(
            "PATCH /apis/lattice.dev/v1alpha1/namespaces/data/latticeservices/db/status");
    assertThat(Shop.managed(client)).isEqualTo(Shop.documents(Shop.render(next)));
  }

  @Test
  void theStorefrontRepositoryAsCustomResourcesConvergesToItsRender() {
    // a fresh cluster holding the 20 storefront specs as objects (the Deployment is not one)
    cluster.close();
    cluster = MockCluster.start();
    client = cluster.client();
    ClusterReconciler storefront =
        ClusterReconciler.create(client, Settings.defaults(), Duration.ofHours(1));
    List<String> docs = Shop.documents(Path.of("specs", "storefront"));
    docs.forEach(d -> Shop.create(client, d));
    assertThat(docs).hasSize(20);

    ClusterReconciler.Pass pass = storefront.reconcile();

    assertThat(pass.accepted()).as("%s", pass.diagnostics()).isTrue();
    assertThat(pass.isComplete()).isTrue();
    assertThat(Shop.managed(client)).isEqualTo(Shop.documents(Shop.render(docs)));
    assertThat(pass.requiredLabels()).isEqualTo(Shop.render(docs).requiredLabels()).isNotEmpty();
    cluster.dispatcher().clearWrites();
    assertThat(storefront.reconcile().reports()).isEmpty();
    assertThat(cluster.dispatcher().writes()).isEmpty();
  }

  @Test
  void aRefusedWriteIsReportedOnTheStatusesAndTheNextPassConverges() {
    cluster.dispatcher().refuse("/authorizationpolicies/db", 403, "forbidden by policy");
    ClusterReconciler.Pass failed = reconciler.reconcile();

    assertThat(failed.isComplete()).isFalse();
    ApplyReport.Failure f = failed.reports().get(0).failure().orElseThrow();
    assertThat(f.message()).contains("AuthorizationPolicy data/db").contains("forbidden by policy");
    assertThat(Shop.status(client, "LatticeService", "shop", "web").path("message").asText())
        .startsWith("not in force yet: applying AuthorizationPolicy data/db");

    cluster.dispatcher().allow("/authorizationpolicies/db");
    ClusterReconciler.Pass retry = reconciler.reconcile();
    assertThat(retry.isComplete()).isTrue();
    assertThat(retry.fullSync()).isTrue();
    assertThat(Shop.managed(client)).isEqualTo(Shop.documents(Shop.render(specs)));
    assertThat(Shop.status(client, "LatticeService", "shop", "web").path("inForce").asBoolean())
        .isTrue();
  }

  @Test
  void removingEveryObjectIsRefusedAndKeepsThePolicies() {
    reconciler.reconcile();
    var synced = Shop.managed(client);
    Shop.delete(client, "LatticeService", "shop", "web");
    Shop.delete(client, "LatticeService", "shop", "api");
    Shop.delete(client, "LatticeService", "shop", "cart");
    Shop.delete(client, "LatticeService", "data", "db");
    Shop.delete(client, "LatticeMeshMember", "monitoring", "prometheus");

    ClusterReconciler.Pass pass = reconciler.reconcile();

    assertThat(pass.accepted()).isFalse();
    assertThat(pass.diagnostics()).anySatisfy(d -> assertThat(d.code().id()).isEqualTo("no-specs"));
    assertThat(Shop.managed(client)).isEqualTo(synced);
  }

  @Test
  void aResyncRepairsAHandEdit() {
    ClusterReconciler eager = ClusterReconciler.create(client, Settings.defaults(), Duration.ZERO);
    eager.reconcile();
    Shop.delete(client, "LatticeService", "shop", "cart");
    Shop.create(client, Shop.CART);
    var synced = Shop.managed(client);
    client
        .genericKubernetesResources("cilium.io/v2", "CiliumNetworkPolicy")
        .inNamespace("shop")
        .withName("web")
        .delete();
    assertThat(Shop.managed(client)).isNotEqualTo(synced);

    ClusterReconciler.Pass pass = eager.reconcile();
    assertThat(pass.fullSync()).isTrue();
    assertThat(Shop.managed(client)).isEqualTo(synced);
  }

  // ---------------------------------------------------------------- jobs, models, missing CRDs

  /** The machine-learning example's documents: a job, a model, the router, the services. */
  private static final List<String> ML = Shop.documents(Path.of("specs", "ml"));

  private static List<String> ml(String... kinds) {
    List<String> wanted = List.of(kinds);
    return ML.stream()
        .filter(d -> wanted.stream().anyMatch(k -> d.contains("\nkind: " + k + "\n")))
        .toList();
  }

  private ClusterReconciler fresh() {
    cluster.close();
    cluster = MockCluster.start();
    client = cluster.client();
    return ClusterReconciler.create(client, Settings.defaults(), Duration.ofHours(1));
  }

  @Test
  void aJobAndAModelAsCustomResourcesConvergeToTheRenderOfTheirSpecs() {
    ClusterReconciler ml = fresh();
    ML.forEach(d -> Shop.create(client, d));
    assertThat(ML).hasSize(6);

    ClusterReconciler.Pass pass = ml.reconcile();

    assertThat(pass.accepted()).as("%s", pass.diagnostics()).isTrue();
    assertThat(pass.unserved()).isEmpty();
    assertThat(pass.affected())
        .contains(
            ServiceId.of("ml", "etl-extract"),
            ServiceId.of("ml", "etl-load"),
            ServiceId.of("ml", "finetune-master"),
            ServiceId.of("ml", "llama-serving"));
    assertThat(Shop.managed(client)).isEqualTo(Shop.documents(Shop.render(ML)));
    JsonNode job = Shop.status(client, "LatticeJob", "ml", "etl");
    assertThat(job.path("inForce").asBoolean()).isTrue();
    // what the job is read as, on the job
    assertThat(job.path("diagnostics"))
        .anySatisfy(
            d -> {
              assertThat(d.path("code").asText()).isEqualTo("workload-members");
              assertThat(d.path("message").asText()).contains("etl-extract, etl-load");
            });
    assertThat(Shop.status(client, "LatticeModel", "ml", "llama").path("inForce").asBoolean())
        .isTrue();
  }

  @Test
  void aJobsErrorIsOnTheJobNamingItsResourceVersionAndNothingNewIsApplied() {
    ClusterReconciler ml = fresh();
    ML.forEach(d -> Shop.create(client, d));
    ml.reconcile();
    var synced = Shop.managed(client);
    String etl = ml("LatticeJob").get(0);
    Shop.update(
        client,
        etl.replace("      resources:\n        vendor:", "      resorces:\n        vendor:"));
    // the resourceVersion the spec is read at (the status write moves it on)
    String rv = Shop.get(client, "LatticeJob", "ml", "etl").getMetadata().getResourceVersion();

    ClusterReconciler.Pass pass = ml.reconcile();

    assertThat(pass.accepted()).isFalse();
    JsonNode job = Shop.status(client, "LatticeJob", "ml", "etl");
    assertThat(job.path("message").asText()).startsWith("refused: this object has errors");
    assertThat(pass.diagnostics())
        .filteredOn(d -> d.isError())
        .singleElement()
        .satisfies(
            d ->
                assertThat(d.toString())
                    .startsWith("LatticeJob ml/etl (resourceVersion " + rv + "): ")
                    .contains("resorces"));
    assertThat(Shop.status(client, "LatticeService", "data", "warehouse").path("message").asText())
        .startsWith("not in force: errors in LatticeJob ml/etl (resourceVersion " + rv + ")");
    assertThat(Shop.managed(client)).isEqualTo(synced);
  }

  @Test
  void aKindWhoseCrdIsAbsentReadsAsNoneAndIsReadOnceItsCrdIsInstalled() {
    ClusterReconciler ml = fresh();
    cluster.dispatcher().serveOnlyWithCrd(SpecKind.LATTICE_MODEL.crdName());
    List<String> withoutModel = ml("LatticeService", "LatticeJob", "LatticeMeshMember");
    withoutModel.forEach(d -> Shop.create(client, d));

    ClusterReconciler.Pass pass = ml.reconcile();

    assertThat(pass.accepted()).as("%s", pass.diagnostics()).isTrue();
    assertThat(pass.unserved()).containsExactly(entry(SpecKind.LATTICE_MODEL, Served.ABSENT));
    assertThat(Shop.managed(client)).isEqualTo(Shop.documents(Shop.render(withoutModel)));

    client.resource(Shop.crd(SpecKind.LATTICE_MODEL)).create();
    ml("LatticeModel").forEach(d -> Shop.create(client, d));
    ClusterReconciler.Pass installed = ml.reconcile();

    assertThat(installed.unserved()).isEmpty();
    assertThat(installed.affected()).contains(ServiceId.of("ml", "llama-serving"));
    assertThat(Shop.managed(client)).isEqualTo(Shop.documents(Shop.render(ML)));
  }

  @Test
  void aKindTheOperatorMayNotListRefusesThePassAndTheStatusesSayWhy() {
    reconciler.reconcile();
    var synced = Shop.managed(client);
    Shop.delete(client, "LatticeService", "shop", "cart");
    cluster.dispatcher().refuseReads("/latticejobs", 403, "latticejobs is forbidden");

    ClusterReconciler.Pass pass = reconciler.reconcile();

    assertThat(pass.accepted()).isFalse();
    assertThat(pass.unserved()).containsExactly(entry(SpecKind.LATTICE_JOB, Served.FORBIDDEN));
    assertThat(Shop.status(client, "LatticeService", "shop", "web").path("message").asText())
        .startsWith("not in force: may not list LatticeJob objects")
        .contains("latticejobs");
    // cart's policies stay: a pass that cannot see every kind applies nothing new
    assertThat(Shop.managed(client)).isEqualTo(synced);

    cluster.dispatcher().allow("/latticejobs");
    assertThat(reconciler.reconcile().accepted()).isTrue();
    assertThat(Shop.managed(client).keySet()).noneMatch(k -> k.name().startsWith("cart"));
  }

  @Test
  void nextToThePlatformItWritesOnlyItsPartOfTheStatusAndLogsWhatTheCrdDrops() {
    ClusterReconciler ml = fresh();
    // the platform's LatticeJob CRD names its status fields one by one (job.rs, LatticeJobStatus)
    cluster
        .dispatcher()
        .pruneStatus(
            SpecKind.LATTICE_JOB.crdName(),
            Set.of(
                "phase",
                "message",
                "observedGeneration",
                "startTime",
                "completionTime",
                "cost",
                "metrics"));
    ML.forEach(d -> Shop.create(client, d));
    // what the platform's controllers wrote
    platformStatus("LatticeJob", "ml", "etl", "Running");
    platformStatus("LatticeService", "data", "warehouse", "Ready");

    ClusterReconciler.Pass pass = ml.reconcile();

    assertThat(pass.isComplete()).isTrue();
    assertThat(pass.statusesNotWritten()).containsOnlyKeys(SpecKind.LATTICE_JOB);
    assertThat(pass.statusesNotWritten().get(SpecKind.LATTICE_JOB))
        .contains("latticejobs.lattice.dev", "drops status.policies", "log");
    // both jobs of specs/ml (etl, and the training job finetune)
    assertThat(pass.unwrittenStatuses())
        .hasSize(2)
        .allSatisfy(l -> assertThat(l).contains("in force").contains("workload-members"))
        .anySatisfy(l -> assertThat(l).startsWith("LatticeJob ml/etl (resourceVersion "))
        .anySatisfy(l -> assertThat(l).startsWith("LatticeJob ml/finetune (resourceVersion "));
    JsonNode job = Shop.wholeStatus(client, "LatticeJob", "ml", "etl");
    assertThat(job.path("phase").asText()).isEqualTo("Running");
    assertThat(job.path("message").asText()).isEqualTo("Running");
    assertThat(job.has("policies")).isFalse();
    // where the CRD keeps it, the operator's part sits beside the platform's, which stays
    JsonNode warehouse = Shop.wholeStatus(client, "LatticeService", "data", "warehouse");
    assertThat(warehouse.path("phase").asText()).isEqualTo("Ready");
    assertThat(warehouse.path("message").asText()).isEqualTo("Ready");
    assertThat(warehouse.path("policies").path("inForce").asBoolean()).isTrue();

    // the next pass neither writes the job's status again nor logs it again
    cluster.dispatcher().clearWrites();
    ClusterReconciler.Pass idle = ml.reconcile();
    assertThat(idle.unwrittenStatuses()).isEmpty();
    assertThat(cluster.dispatcher().writes()).isEmpty();
  }

  private void platformStatus(String kind, String ns, String name, String phase) {
    var o = Shop.get(client, kind, ns, name);
    o.setAdditionalProperty(
        "status", Map.of("phase", phase, "message", phase, "observedGeneration", 1));
    SpecKind.of(kind).orElseThrow().in(client).inNamespace(ns).resource(o).patchStatus();
  }

  @Test
  void eventsThatArriveDuringAPassShareTheNextOne() throws InterruptedException {
    reconciler.reconcile();
    List<Thread> events = new ArrayList<>();
    List<Optional<ClusterReconciler.Pass>> ran = new CopyOnWriteArrayList<>();
    // hold the reconciler's lock, as a running pass does, while ten events arrive
    synchronized (reconciler) {
      for (int i = 0; i < 10; i++) {
        Thread t = new Thread(() -> ran.add(reconciler.catchUp()));
        t.start();
        events.add(t);
      }
      for (Thread t : events) {
        while (t.getState() != Thread.State.BLOCKED) {
          Thread.onSpinWait();
        }
      }
    }
    for (Thread t : events) {
      t.join();
    }
    // the first to get the lock runs one pass that began after all ten: the others need none
    assertThat(ran).hasSize(10);
    assertThat(ran).filteredOn(Optional::isPresent).hasSize(1);
    // an event after that pass gets a pass of its own
    assertThat(reconciler.catchUp()).isPresent();
  }

  @Test
  void eventsAPassThatThrewWouldHaveCoveredRunTheirOwn() throws InterruptedException {
    reconciler.reconcile();
    List<Optional<ClusterReconciler.Pass>> ran = new CopyOnWriteArrayList<>();
    Thread event = new Thread(() -> ran.add(reconciler.catchUp()));
    synchronized (reconciler) {
      event.start();
      while (event.getState() != Thread.State.BLOCKED) {
        Thread.onSpinWait();
      }
      // a pass that begins after the event, and fails reading the cluster
      cluster.dispatcher().refuseReads("/latticeservices", 500, "etcdserver: request timed out");
      assertThatThrownBy(reconciler::reconcile)
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(500));
      assertThat(reconciler.due()).isTrue();
      cluster.dispatcher().allow("/latticeservices");
    }
    event.join();
    assertThat(ran).singleElement().satisfies(p -> assertThat(p).isPresent());
    assertThat(reconciler.due()).isFalse();
  }
}
