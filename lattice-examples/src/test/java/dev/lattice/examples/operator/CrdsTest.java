package dev.lattice.examples.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.diagnostics.DiagnosticCode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
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
 * {@code operator/crds.yaml}: the CRDs a user installs match what the operator watches and writes,
 * and keep every spec field for Lattice's own checks.
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

  @Test
  void describeTheResourcesTheOperatorWatches() throws IOException {
    List<CustomResourceDefinition> crds = crds();
    assertThat(crds).hasSize(2);
    for (Class<? extends CustomResource<?, ?>> type :
        List.<Class<? extends CustomResource<?, ?>>>of(
            LatticeServiceResource.class, LatticeMeshMemberResource.class)) {
      String plural = HasMetadata.getPlural(type);
      CustomResourceDefinition crd =
          crds.stream()
              .filter(c -> c.getSpec().getNames().getPlural().equals(plural))
              .findFirst()
              .orElseThrow();
      assertThat(crd.getMetadata().getName()).isEqualTo(CustomResource.getCRDName(type));
      assertThat(crd.getSpec().getGroup()).isEqualTo(HasMetadata.getGroup(type));
      assertThat(crd.getSpec().getNames().getKind()).isEqualTo(HasMetadata.getKind(type));
      assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
      CustomResourceDefinitionVersion v = crd.getSpec().getVersions().get(0);
      assertThat(v.getName()).isEqualTo(HasMetadata.getVersion(type));
      assertThat(v.getSubresources().getStatus()).isNotNull();
      JSONSchemaProps spec = v.getSchema().getOpenAPIV3Schema().getProperties().get("spec");
      // pruning would drop a misspelt field before Lattice could report it
      assertThat(spec.getXKubernetesPreserveUnknownFields()).isTrue();
      assertThat(spec.getProperties()).isNullOrEmpty();
    }
  }

  @Test
  void theStatusTheOperatorWritesFitsTheSchema() throws IOException {
    Diagnostic d =
        Diagnostic.of(DiagnosticCode.SPEC_UNKNOWN_FIELD, "shop/api.spec.x", Optional.empty(), "m");
    JsonNode status = ClusterReconciler.status(3L, false, "refused", List.of(d));
    for (CustomResourceDefinition crd : crds()) {
      JSONSchemaProps schema =
          crd.getSpec()
              .getVersions()
              .get(0)
              .getSchema()
              .getOpenAPIV3Schema()
              .getProperties()
              .get("status");
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
}
