package dev.lattice.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.diagnostics.DiagnosticCode;
import dev.lattice.graph.Topology;
import dev.lattice.kubernetes.mock.MockCluster;
import dev.lattice.model.ServiceId;
import dev.lattice.model.Settings;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ClusterSpecs}: Lattice custom resources in a cluster, read as specs. */
class ClusterSpecsTest {
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  private static void create(MockCluster cluster, String yaml) {
    for (String doc : yaml.split("(?m)^---\n")) {
      GenericKubernetesResource o = YAML.unmarshal(doc, GenericKubernetesResource.class);
      Kind k =
          o.getKind().equals("LatticeService") ? Kind.LATTICE_SERVICE : Kind.LATTICE_MESH_MEMBER;
      k.in(cluster.client()).inNamespace(o.getMetadata().getNamespace()).resource(o).create();
    }
  }

  @Test
  void readsEveryObjectIntoTheGraphTheSameSpecsAsFilesGive() {
    try (MockCluster cluster = MockCluster.start()) {
      create(
          cluster,
          Shop.SPECS
              + "---\n"
              + """
          apiVersion: lattice.dev/v1alpha1
          kind: LatticeMeshMember
          metadata: {name: prometheus, namespace: monitoring}
          spec:
            target: {selector: {app: prometheus}}
            dependsAll: true
          """);
      ClusterSpecs specs = ClusterSpecs.read(cluster.client());

      assertThat(specs.hasErrors()).as("%s", specs.diagnostics()).isFalse();
      assertThat(specs.objects()).hasSize(5);
      assertThat(specs.objects().get(0).origin())
          .matches("LatticeMeshMember monitoring/prometheus \\(resourceVersion \\d+\\)");
      Topology fromCluster = specs.graph().orElseThrow().resolve(Settings.defaults());
      Topology fromFile = Shop.topology(Shop.SPECS);
      assertThat(fromCluster.services())
          .extracting(s -> s.id().toString())
          .contains("monitoring/prometheus")
          .containsAll(fromFile.services().stream().map(s -> s.id().toString()).toList());
      assertThat(fromCluster.view(ServiceId.of("data", "db")).orElseThrow().inbound())
          .hasSameSizeAs(fromFile.view(ServiceId.of("data", "db")).orElseThrow().inbound());
    }
  }

  @Test
  void namesTheObjectAndItsResourceVersionInDiagnosticsAndRefusesAPartialGraph() {
    try (MockCluster cluster = MockCluster.start()) {
      create(
          cluster,
          Shop.SPECS.replace(
              "db: {namespace: data}", "db: {namespace: data, direciton: outbound}"));
      ClusterSpecs specs = ClusterSpecs.read(cluster.client());

      assertThat(specs.graph()).isEmpty();
      ClusterSpecs.SpecObject api =
          specs.objects().stream()
              .filter(o -> o.key().name().equals("api"))
              .findFirst()
              .orElseThrow();
      Diagnostic d =
          specs.diagnostics().stream().filter(Diagnostic::isError).findFirst().orElseThrow();
      assertThat(d.code()).isEqualTo(DiagnosticCode.SPEC_UNKNOWN_FIELD);
      assertThat(d.toString())
          .isEqualTo(
              "LatticeService shop/api (resourceVersion "
                  + api.resourceVersion()
                  + "): shop/api.spec.workload.resources[db].direciton: "
                  + d.severity().label()
                  + "[spec-unknown-field]: "
                  + d.message());
      assertThat(api.result().hasErrors()).isTrue();
      assertThat(api.service()).isEmpty();
      // the other objects read fine on their own
      assertThat(specs.objects())
          .filteredOn(o -> !o.key().name().equals("api"))
          .allSatisfy(o -> assertThat(o.service()).isPresent());
    }
  }

  @Test
  void anEmptyClusterIsAnErrorNotAnEmptyGraph() {
    try (MockCluster cluster = MockCluster.start()) {
      ClusterSpecs specs = ClusterSpecs.read(cluster.client());
      assertThat(specs.graph()).isEmpty();
      assertThat(specs.diagnostics())
          .extracting(Diagnostic::code)
          .containsExactly(DiagnosticCode.NO_SPECS);
      assertThat(ClusterSpecs.of(List.of()).hasErrors()).isTrue();
    }
  }
}
