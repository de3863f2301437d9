package dev.lattice.examples.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.kubernetes.ApplyReport;
import dev.lattice.kubernetes.mock.MockCluster;
import dev.lattice.model.ServiceId;
import dev.lattice.model.Settings;
import dev.lattice.output.ManifestDiff;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
  void theStorefrontRepositoryAsCustomResourcesConvergesToItsRender() throws IOException {
    // a fresh cluster holding the 20 storefront specs as objects (the Deployment is not one)
    cluster.close();
    cluster = MockCluster.start();
    client = cluster.client();
    ClusterReconciler storefront =
        ClusterReconciler.create(client, Settings.defaults(), Duration.ofHours(1));
    List<String> docs = new ArrayList<>();
    try (var files = Files.list(Path.of("specs", "storefront"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        for (String doc : Files.readString(f, StandardCharsets.UTF_8).split("(?m)^---\n")) {
          if (doc.contains("apiVersion: lattice.dev/v1alpha1")) {
            docs.add(doc);
            Shop.create(client, doc);
          }
        }
      }
    }
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
}
