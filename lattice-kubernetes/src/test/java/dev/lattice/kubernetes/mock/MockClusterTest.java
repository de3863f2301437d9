package dev.lattice.kubernetes.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What fabric8's mock API server does with server-side apply, with and without {@link
 * ServerSideApplyDispatcher}: the tests of {@code Applier} are only as honest as this.
 */
class MockClusterTest {
  private static final ResourceDefinitionContext CNP =
      new ResourceDefinitionContext.Builder()
          .withGroup("cilium.io")
          .withVersion("v2")
          .withKind("CiliumNetworkPolicy")
          .withPlural("ciliumnetworkpolicies")
          .withNamespaced(true)
          .build();

  private static GenericKubernetesResource policy(String name, Map<String, Object> spec) {
    GenericKubernetesResource r =
        new GenericKubernetesResourceBuilder()
            .withApiVersion("cilium.io/v2")
            .withKind("CiliumNetworkPolicy")
            .withNewMetadata()
            .withName(name)
            .withNamespace("shop")
            .addToLabels("app.kubernetes.io/managed-by", "lattice")
            .endMetadata()
            .build();
    r.setAdditionalProperty("spec", spec);
    return r;
  }

  @Test
  void thePlainCrudMockDoesNotImplementServerSideApply() {
    MockCluster.quiet();
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(MockCluster.kinds()),
            false);
    server.init();
    try (KubernetesClient client = server.createClient()) {
      var policies = client.genericKubernetesResources(CNP).inNamespace("shop");
      GenericKubernetesResource web = policy("web", Map.of("endpointSelector", Map.of()));
      // a missing object: not created, 404
      assertThatThrownBy(() -> policies.resource(web).fieldManager("lattice").serverSideApply())
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(404));
      // an existing one: the apply patch's media type is refused, 415
      policies.resource(web).create();
      assertThatThrownBy(() -> policies.resource(web).fieldManager("lattice").serverSideApply())
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(415));
    } finally {
      server.destroy();
    }
  }

  @Test
  void theEmulationCreatesUpdatesAndRemovesWhatTheManagerNoLongerApplies() {
    try (MockCluster cluster = MockCluster.start()) {
      var policies = cluster.client().genericKubernetesResources(CNP).inNamespace("shop");
      var first =
          policies
              .resource(policy("web", Map.of("a", 1, "b", Map.of("c", 2, "d", 3))))
              .fieldManager("lattice")
              .serverSideApply();
      assertThat(first.getMetadata().getManagedFields())
          .singleElement()
          .satisfies(m -> assertThat(m.getManager()).isEqualTo("lattice"));
      String rv = first.getMetadata().getResourceVersion();

      // the same document again: nothing changes, not even the resourceVersion
      var same =
          policies
              .resource(policy("web", Map.of("a", 1, "b", Map.of("c", 2, "d", 3))))
              .fieldManager("lattice")
              .serverSideApply();
      assertThat(same.getMetadata().getResourceVersion()).isEqualTo(rv);

      // b.d dropped: removed; a changed
      var next =
          policies
              .resource(policy("web", Map.of("a", 5, "b", Map.of("c", 2))))
              .fieldManager("lattice")
              .serverSideApply();
      assertThat(next.getAdditionalProperties().get("spec"))
          .isEqualTo(Map.of("a", 5, "b", Map.of("c", 2)));
      assertThat(next.getMetadata().getResourceVersion()).isNotEqualTo(rv);
    }
  }

  @Test
  void theEmulationReportsConflictsUnlessForcedAndStoresNothingOnDryRun() {
    try (MockCluster cluster = MockCluster.start()) {
      var policies = cluster.client().genericKubernetesResources(CNP).inNamespace("shop");
      policies.resource(policy("web", Map.of("a", 1))).create(); // a plain write: not an apply
      assertThatThrownBy(
              () ->
                  policies
                      .resource(policy("web", Map.of("a", 2)))
                      .fieldManager("lattice")
                      .serverSideApply())
          .isInstanceOfSatisfying(
              KubernetesClientException.class,
              e -> {
                assertThat(e.getCode()).isEqualTo(409);
                assertThat(e.getStatus().getMessage())
                    .contains("conflict with \"before-first-apply\": .spec.a");
              });
      var dry =
          policies
              .resource(policy("web", Map.of("a", 2)))
              .dryRun()
              .fieldManager("lattice")
              .forceConflicts()
              .serverSideApply();
      assertThat(dry.getAdditionalProperties().get("spec")).isEqualTo(Map.of("a", 2));
      assertThat(policies.withName("web").get().getAdditionalProperties().get("spec"))
          .isEqualTo(Map.of("a", 1));
      policies
          .resource(policy("web", Map.of("a", 2)))
          .fieldManager("lattice")
          .forceConflicts()
          .serverSideApply();
      assertThat(policies.withName("web").get().getAdditionalProperties().get("spec"))
          .isEqualTo(Map.of("a", 2));
      assertThat(cluster.dispatcher().writes())
          .containsExactly(
              "POST /apis/cilium.io/v2/namespaces/shop/ciliumnetworkpolicies",
              "PATCH /apis/cilium.io/v2/namespaces/shop/ciliumnetworkpolicies/web?fieldManager=lattice",
              "PATCH /apis/cilium.io/v2/namespaces/shop/ciliumnetworkpolicies/web?fieldManager=lattice&dryRun=All&force=true",
              "PATCH /apis/cilium.io/v2/namespaces/shop/ciliumnetworkpolicies/web?fieldManager=lattice&force=true");
    }
  }

  private static final ResourceDefinitionContext MODELS =
      new ResourceDefinitionContext.Builder()
          .withGroup("lattice.dev")
          .withVersion("v1alpha1")
          .withKind("LatticeModel")
          .withPlural("latticemodels")
          .withNamespaced(true)
          .build();

  private static GenericKubernetesResource model(String name) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("lattice.dev/v1alpha1")
        .withKind("LatticeModel")
        .withNewMetadata()
        .withName(name)
        .withNamespace("ml")
        .endMetadata()
        .build();
  }

  private static CustomResourceDefinition modelsCrd() {
    return new CustomResourceDefinitionBuilder()
        .withNewMetadata()
        .withName("latticemodels.lattice.dev")
        .endMetadata()
        .withNewSpec()
        .withGroup("lattice.dev")
        .withScope("Namespaced")
        .withNewNames()
        .withKind("LatticeModel")
        .withPlural("latticemodels")
        .endNames()
        .addNewVersion()
        .withName("v1alpha1")
        .withServed(true)
        .withStorage(true)
        .endVersion()
        .endSpec()
        .build();
  }

  @Test
  void thePlainCrudMockServesAKindWithoutItsCrd() {
    MockCluster.quiet();
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(MockCluster.kinds()),
            false);
    server.init();
    try (KubernetesClient client = server.createClient()) {
      assertThat(client.genericKubernetesResources(MODELS).inAnyNamespace().list().getItems())
          .isEmpty();
    } finally {
      server.destroy();
    }
  }

  @Test
  void thePlainCrudMockMergePatchesAListByAppending() {
    MockCluster.quiet();
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(MockCluster.kinds()),
            false);
    server.init();
    try (KubernetesClient client = server.createClient()) {
      var models = client.genericKubernetesResources(MODELS).inNamespace("ml");
      models.resource(model("llama")).create();
      models.resource(withStatus(Map.of("list", List.of("a")))).patchStatus();
      models.resource(withStatus(Map.of("list", List.of()))).patchStatus();
      assertThat(models.withName("llama").get().getAdditionalProperties().get("status"))
          .isEqualTo(Map.of("list", List.of("a")));
    } finally {
      server.destroy();
    }
  }

  private static GenericKubernetesResource withStatus(Map<String, Object> status) {
    GenericKubernetesResource o = model("llama");
    o.setAdditionalProperty("status", status);
    return o;
  }

  @Test
  void theEmulationMergePatchesAsRfc7386Says() {
    try (MockCluster cluster = MockCluster.start()) {
      var models = cluster.client().genericKubernetesResources(MODELS).inNamespace("ml");
      models.resource(model("llama")).create();
      models.resource(withStatus(Map.of("list", List.of("a"), "phase", "x"))).patchStatus();
      models.resource(withStatus(Map.of("list", List.of()))).patchStatus();
      assertThat(models.withName("llama").get().getAdditionalProperties().get("status"))
          .isEqualTo(Map.of("list", List.of(), "phase", "x"));
    }
  }

  @Test
  void theEmulationServesAKindOnlyWhileItsCrdExists() {
    try (MockCluster cluster = MockCluster.start()) {
      cluster.dispatcher().serveOnlyWithCrd("latticemodels.lattice.dev");
      var models = cluster.client().genericKubernetesResources(MODELS);
      assertThatThrownBy(() -> models.inAnyNamespace().list())
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(404));
      assertThatThrownBy(() -> models.inNamespace("ml").resource(model("llama")).create())
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(404));

      cluster.client().resource(modelsCrd()).create();
      models.inNamespace("ml").resource(model("llama")).create();
      assertThat(models.inAnyNamespace().list().getItems()).hasSize(1);

      cluster.client().resource(modelsCrd()).delete();
      assertThatThrownBy(() -> models.inAnyNamespace().list())
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(404));
    }
  }

  @Test
  void theEmulationPrunesStatusFieldsTheSchemaDoesNotName() {
    try (MockCluster cluster = MockCluster.start()) {
      cluster.dispatcher().pruneStatus("latticemodels.lattice.dev", Set.of("phase"));
      var models = cluster.client().genericKubernetesResources(MODELS).inNamespace("ml");
      models.resource(model("llama")).create();
      GenericKubernetesResource written =
          models.resource(withStatus(Map.of("phase", "Serving", "mine", true))).patchStatus();

      assertThat(written.getAdditionalProperties().get("status"))
          .isEqualTo(Map.of("phase", "Serving"));
      assertThat(models.withName("llama").get().getAdditionalProperties().get("status"))
          .isEqualTo(Map.of("phase", "Serving"));
    }
  }
}
