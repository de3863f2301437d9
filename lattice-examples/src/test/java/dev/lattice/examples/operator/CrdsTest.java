package dev.lattice.examples.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.diagnostics.DiagnosticCode;
import dev.lattice.kubernetes.SpecKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code operator/crds.yaml} and {@code operator/rbac.yaml}: the CRDs a user installs match what
 * the operator watches and writes (with the Lattice platform's group, version and names), keep
 * every spec field for Lattice's own checks, and RBAC grants what the operator does.
 */
class CrdsTest {
  private static List<CustomResourceDefinition> crds() throws IOException {
    List<CustomResourceDefinition> out = new ArrayList<>();
    String text;
    try (InputStream in = CrdsTest.class.getResourceAsStream("/operator/crds.yaml")) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    for (String doc : text.split("(?m)^---\n")) {
      if (doc.contains("kind: CustomResourceDefinition")) {
        out.add(new KubernetesSerialization().unmarshal(doc, CustomResourceDefinition.class));
      }
    }
    return out;
  }

  private static final Map<SpecKind, Class<? extends CustomResource<?, ?>>> TYPES =
      Map.of(
          SpecKind.LATTICE_SERVICE, LatticeServiceResource.class,
          SpecKind.LATTICE_MESH_MEMBER, LatticeMeshMemberResource.class,
          SpecKind.LATTICE_JOB, LatticeJobResource.class,
          SpecKind.LATTICE_MODEL, LatticeModelResource.class);

  @Test
  void describeTheResourcesTheOperatorWatchesWithThePlatformsNames() throws IOException {
    List<CustomResourceDefinition> crds = crds();
    assertThat(crds).hasSize(SpecKind.values().length);
    for (SpecKind kind : SpecKind.values()) {
      Class<? extends CustomResource<?, ?>> type = TYPES.get(kind);
      CustomResourceDefinition crd =
          crds.stream()
              .filter(c -> c.getSpec().getNames().getPlural().equals(kind.plural()))
              .findFirst()
              .orElseThrow();
      // what lattice-kubernetes reads, what the SDK watches, and what the CRD defines agree
      assertThat(crd.getMetadata().getName())
          .isEqualTo(kind.crdName())
          .isEqualTo(CustomResource.getCRDName(type));
      assertThat(crd.getSpec().getGroup())
          .isEqualTo(SpecKind.GROUP)
          .isEqualTo(HasMetadata.getGroup(type));
      assertThat(crd.getSpec().getNames().getKind())
          .isEqualTo(kind.kind())
          .isEqualTo(HasMetadata.getKind(type));
      assertThat(HasMetadata.getPlural(type)).isEqualTo(kind.plural());
      assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
      CustomResourceDefinitionVersion v = crd.getSpec().getVersions().get(0);
      assertThat(v.getName()).isEqualTo(SpecKind.VERSION).isEqualTo(HasMetadata.getVersion(type));
      assertThat(v.getSubresources().getStatus()).isNotNull();
      JSONSchemaProps spec = v.getSchema().getOpenAPIV3Schema().getProperties().get("spec");
      // pruning would drop a misspelt field before Lattice could report it
      assertThat(spec.getXKubernetesPreserveUnknownFields()).isTrue();
      assertThat(spec.getProperties()).isNullOrEmpty();
      assertThat(v.getAdditionalPrinterColumns())
          .filteredOn(c -> c.getJsonPath().startsWith(".status"))
          .allSatisfy(c -> assertThat(c.getJsonPath()).startsWith(".status.policies."))
          .isNotEmpty();
    }
  }

  @Test
  void theStatusTheOperatorWritesFitsTheSchema() throws IOException {
    Diagnostic d =
        Diagnostic.of(DiagnosticCode.SPEC_UNKNOWN_FIELD, "shop/api.spec.x", Optional.empty(), "m");
    JsonNode status = StatusWriter.status(3L, false, "refused", List.of(d));
    for (CustomResourceDefinition crd : crds()) {
      JSONSchemaProps schema =
          crd.getSpec()
              .getVersions()
              .get(0)
              .getSchema()
              .getOpenAPIV3Schema()
              .getProperties()
              .get("status")
              .getProperties()
              .get(ClusterReconciler.STATUS_KEY);
      Map<String, JSONSchemaProps> props = schema.getProperties();
      status.fieldNames().forEachRemaining(f -> assertThat(props).containsKey(f));
      JSONSchemaProps item = props.get("diagnostics").getItems().getSchema();
      status
          .path("diagnostics")
          .get(0)
          .fieldNames()
          .forEachRemaining(f -> assertThat(item.getProperties()).containsKey(f));
      assertThat(item.getProperties().get("severity").getEnum())
          .extracting(JsonNode::asText)
          .containsExactlyInAnyOrder("error", "warning", "info");
    }
  }

  @Test
  void rbacGrantsWhatTheOperatorReadsAndWrites() throws IOException {
    String text;
    try (InputStream in = CrdsTest.class.getResourceAsStream("/operator/rbac.yaml")) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    ClusterRole role = null;
    Role leader = null;
    for (String doc : text.split("(?m)^---\n")) {
      if (doc.contains("\nkind: ClusterRole\n")) {
        role = new KubernetesSerialization().unmarshal(doc, ClusterRole.class);
      }
      if (doc.contains("\nkind: Role\n")) {
        leader = new KubernetesSerialization().unmarshal(doc, Role.class);
      }
    }
    assertThat(role).isNotNull();
    // the replicas' election: the Lease in the namespace OperatorMain defaults to
    assertThat(leader).isNotNull();
    assertThat(leader.getMetadata().getNamespace()).isEqualTo(OperatorMain.DEFAULT_NAMESPACE);
    assertThat(leader.getRules())
        .anySatisfy(
            r -> {
              assertThat(r.getApiGroups()).contains("coordination.k8s.io");
              assertThat(r.getResources()).contains("leases");
              assertThat(r.getVerbs()).contains("get", "create", "update");
            });
    assertThat(text)
        .contains("kind: RoleBinding")
        .contains("name: " + leader.getMetadata().getName());
    for (SpecKind kind : SpecKind.values()) {
      assertThat(verbs(role, SpecKind.GROUP, kind.plural())).contains("get", "list", "watch");
      assertThat(verbs(role, SpecKind.GROUP, kind.plural() + "/status")).contains("patch");
    }
    for (String[] rendered :
        new String[][] {
          {"cilium.io", "ciliumnetworkpolicies"},
          {"cilium.io", "ciliumclusterwidenetworkpolicies"},
          {"security.istio.io", "authorizationpolicies"},
          {"security.istio.io", "peerauthentications"},
          {"networking.istio.io", "serviceentries"},
          {"gateway.networking.k8s.io", "gateways"}
        }) {
      assertThat(verbs(role, rendered[0], rendered[1]))
          .contains("get", "list", "create", "patch", "delete");
    }
  }

  private static List<String> verbs(ClusterRole role, String group, String resource) {
    List<String> out = new ArrayList<>();
    for (PolicyRule r : role.getRules()) {
      if (r.getApiGroups().contains(group) && r.getResources().contains(resource)) {
        out.addAll(r.getVerbs());
      }
    }
    return out;
  }
}
