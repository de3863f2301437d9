package dev.lattice.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.lattice.cilium.CiliumRenderer;
import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.diagnostics.DiagnosticCode;
import dev.lattice.graph.Topology;
import dev.lattice.istio.IstioRenderer;
import dev.lattice.kubernetes.SpecKind.Served;
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
      SpecKind.of(o.getKind())
          .orElseThrow()
          .in(cluster.client())
          .inNamespace(o.getMetadata().getNamespace())
          .resource(o)
          .create();
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
      assertThat(api.services()).isEmpty();
      // the other objects read fine on their own
      assertThat(specs.objects())
          .filteredOn(o -> !o.key().name().equals("api"))
          .allSatisfy(o -> assertThat(o.services()).hasSize(1));
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

  /** A job (two tasks) and a model (one role) the warehouse and the router agree with. */
  static final String ML =
      """
      apiVersion: lattice.dev/v1alpha1
      kind: LatticeJob
      metadata: {name: etl, namespace: ml}
      spec:
        tasks:
          extract:
            workload: {containers: {main: {image: etl}}}
          load:
            workload:
              containers: {main: {image: etl}}
              resources:
                warehouse: {namespace: data}
      ---
      apiVersion: lattice.dev/v1alpha1
      kind: LatticeService
      metadata: {name: warehouse, namespace: data}
      spec:
        workload:
          service:
            ports:
              pg: {port: 5432}
          resources:
            etl-load: {namespace: ml, direction: inbound}
      ---
      apiVersion: lattice.dev/v1alpha1
      kind: LatticeModel
      metadata: {name: llama, namespace: ml}
      spec:
        routing: {inferenceEngine: vLLM, model: llama, port: 8000}
        roles:
          serving:
            entryWorkload: {containers: {main: {image: vllm}}}
      ---
      apiVersion: lattice.dev/v1alpha1
      kind: LatticeMeshMember
      metadata: {name: kthena-router, namespace: kthena-system}
      spec:
        target:
          selector: {app.kubernetes.io/name: kthena-router}
        ports:
          - {name: http, port: 8080}
        dependsAll: true
      """;

  @Test
  void readsJobsAndModelsAsTheMembersThePlatformDerivesAsFilesDo() {
    try (MockCluster cluster = MockCluster.start()) {
      create(cluster, ML);
      ClusterSpecs specs = ClusterSpecs.read(cluster.client());

      assertThat(specs.hasErrors()).as("%s", specs.diagnostics()).isFalse();
      assertThat(specs.unserved()).isEmpty();
      ClusterSpecs.SpecObject job =
          specs.objects().stream()
              .filter(o -> o.key().kind().equals("LatticeJob"))
              .findFirst()
              .orElseThrow();
      assertThat(job.origin()).matches("LatticeJob ml/etl \\(resourceVersion \\d+\\)");
      assertThat(job.services())
          .extracting(s -> s.id().toString())
          .containsExactly("ml/etl-extract", "ml/etl-load");
      // the platform's note on what a job is read as names the object it came from
      assertThat(specs.diagnostics())
          .filteredOn(d -> d.code() == DiagnosticCode.WORKLOAD_MEMBERS)
          .extracting(d -> d.location().orElseThrow().file())
          .contains(job.origin());
      Topology fromCluster = specs.graph().orElseThrow().resolve(Settings.defaults()).orThrow();
      Topology fromFile = Shop.topology(ML);
      assertThat(render(fromCluster)).isEqualTo(render(fromFile));
      assertThat(fromCluster.services())
          .extracting(s -> s.id().toString())
          .contains("ml/llama-serving", "ml/etl-load", "data/warehouse");
    }
  }

  @Test
  void aJobsErrorNamesTheJobAndItsResourceVersion() {
    try (MockCluster cluster = MockCluster.start()) {
      create(cluster, ML.replace("warehouse: {namespace: data}", "warehouse: {namspace: data}"));
      ClusterSpecs specs = ClusterSpecs.read(cluster.client());

      assertThat(specs.graph()).isEmpty();
      ClusterSpecs.SpecObject job =
          specs.objects().stream()
              .filter(o -> o.key().kind().equals("LatticeJob"))
              .findFirst()
              .orElseThrow();
      Diagnostic d =
          specs.diagnostics().stream().filter(Diagnostic::isError).findFirst().orElseThrow();
      assertThat(d.code()).isEqualTo(DiagnosticCode.SPEC_UNKNOWN_FIELD);
      assertThat(d.location().orElseThrow().file())
          .isEqualTo("LatticeJob ml/etl (resourceVersion " + job.resourceVersion() + ")");
      assertThat(d.path()).contains("namspace");
    }
  }

  @Test
  void aKindWhoseCrdIsNotInstalledReadsAsNoneAndIsNamed() {
    try (MockCluster cluster = MockCluster.start()) {
      cluster.dispatcher().serveOnlyWithCrd(SpecKind.LATTICE_MODEL.crdName());
      create(cluster, Shop.SPECS);
      assertThat(SpecKind.LATTICE_MODEL.servedBy(cluster.client()))
          .isEqualTo(SpecKind.Served.ABSENT);

      ClusterSpecs specs = ClusterSpecs.read(cluster.client());

      assertThat(specs.unserved()).containsExactly(entry(SpecKind.LATTICE_MODEL, Served.ABSENT));
      assertThat(specs.hasErrors()).as("%s", specs.diagnostics()).isFalse();
      assertThat(specs.objects()).hasSize(4);
    }
  }

  @Test
  void aKindTheClientMayNotListIsAnErrorNotAnEmptyKind() {
    try (MockCluster cluster = MockCluster.start()) {
      cluster.dispatcher().refuseReads("/latticejobs", 403, "latticejobs is forbidden");
      create(cluster, Shop.SPECS);
      assertThat(SpecKind.LATTICE_JOB.servedBy(cluster.client()))
          .isEqualTo(SpecKind.Served.FORBIDDEN);

      ClusterSpecs specs = ClusterSpecs.read(cluster.client());

      assertThat(specs.graph()).isEmpty();
      assertThat(specs.unserved()).containsExactly(entry(SpecKind.LATTICE_JOB, Served.FORBIDDEN));
      assertThat(specs.diagnostics())
          .singleElement()
          .satisfies(
              d -> {
                assertThat(d.code()).isEqualTo(DiagnosticCode.IO_ERROR);
                assertThat(d.message())
                    .contains("may not list LatticeJob")
                    .contains("list")
                    .contains("latticejobs");
              });
    }
  }

  private static String render(Topology t) {
    return CiliumRenderer.create().render(t).plus(IstioRenderer.create().render(t)).toYaml();
  }
}
