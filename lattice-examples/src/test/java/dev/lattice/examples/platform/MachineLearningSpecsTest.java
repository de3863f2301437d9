package dev.lattice.examples.platform;

import static dev.lattice.verify.LatticeAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.cilium.CiliumRenderer;
import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.diagnostics.DiagnosticCode;
import dev.lattice.diagnostics.Severity;
import dev.lattice.graph.Topology;
import dev.lattice.istio.IstioRenderer;
import dev.lattice.model.MeshMode;
import dev.lattice.model.Service;
import dev.lattice.output.Manifest;
import dev.lattice.spec.SpecResult;
import dev.lattice.spec.Specs;
import dev.lattice.verify.Query;
import dev.lattice.verify.Verdict;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Lattice platform's {@code LatticeJob} and {@code LatticeModel} end to end ({@code specs/ml}):
 * loaded as the mesh members the platform derives from them, rendered by both renderers, every
 * document checked against its CRD, and the result judged by lattice-verify's evaluators — each
 * layer alone allows exactly the agreements, including those that name the derived members ({@code
 * ml/etl-load}, {@code ml/llama-serving}), and nothing else.
 */
class MachineLearningSpecsTest {
  static final Path SPECS = Path.of("specs", "ml");

  private static SpecResult loaded;
  private static Topology topology;
  private static List<JsonNode> documents;
  private static Manifest manifest;

  @BeforeAll
  static void renderTheSpecs() {
    loaded = Specs.load(SPECS);
    topology = loaded.orThrow().resolve().orThrow();
    manifest =
        CiliumRenderer.create().render(topology).plus(IstioRenderer.create().render(topology));
    documents = new ArrayList<>();
    manifest.resources().forEach(r -> documents.add(r.document()));
  }

  private static Judge judge() {
    return new Judge(topology, documents, manifest.requiredLabels());
  }

  @Test
  void theJobAndTheModelAreReadAsThePlatformsMembersAndEveryAgreementIsTwoSided() {
    assertThat(topology.services())
        .extracting(s -> s.id().toString())
        .containsExactlyInAnyOrder(
            "apps/chat",
            "data/warehouse",
            "kthena-system/kthena-router",
            "ml/etl-extract",
            "ml/etl-load",
            "ml/finetune-master",
            "ml/llama-serving");
    Service llama =
        topology.services().stream()
            .filter(s -> s.name().equals("llama-serving"))
            .findFirst()
            .orElseThrow();
    assertThat(llama.mesh()).isEqualTo(MeshMode.NONE);
    assertThat(llama.selector()).isEqualTo(Map.of("lattice.dev/model", "llama"));
    assertThat(loaded.diagnostics())
        .filteredOn(d -> d.code() == DiagnosticCode.WORKLOAD_MEMBERS)
        .extracting(Diagnostic::path)
        .containsExactly("ml/etl", "ml/finetune", "ml/llama");
    // no one-sided declaration, no unknown peer: the names agree on both sides
    assertThat(topology.diagnostics()).filteredOn(d -> d.severity() != Severity.INFO).isEmpty();
    assertThat(topology.agreements())
        .extracting(Object::toString)
        .containsExactly(
            "apps/chat -> kthena-system/kthena-router [http 80->8080/TCP]",
            "kthena-system/kthena-router -> ml/llama-serving [inference 8000/TCP]",
            "ml/etl-load -> data/warehouse [pg 5432/TCP]",
            "ml/finetune-master -> ml/finetune-master [master 29500/TCP]");
  }

  @Test
  void everyRenderedDocumentPassesItsCrd() {
    assertThat(documents).isNotEmpty();
    assertThat(Documents.violations(SPECS.toString(), documents)).isEmpty();
  }

  @Test
  void eachLayerAloneAllowsExactlyTheAgreedCallsAndTheDeclaredEgress() {
    Judge judge = judge();
    assertThat(judge.verifier.findings()).isEmpty();
    judge.serviceToService().egress();
    assertThat(judge.problems()).isEmpty();
    assertThat(judge.seen().getOrDefault("agreed", 0)).isGreaterThanOrEqualTo(3);
    assertThat(judge.seen().getOrDefault("egress declared", 0)).isGreaterThanOrEqualTo(5);
  }

  @Test
  void onlyTheRouterReachesTheModelAndOnlyTheLoadTaskTheWarehouse() {
    assertThat(judge().verifier)
        .allows("apps/chat", "kthena-system/kthena-router", 80)
        .allows("kthena-system/kthena-router", "ml/llama-serving", 8000)
        // chat asks the router, never the model's pods
        .deniesAtEachLayer("apps/chat", "ml/llama-serving", 8000)
        .allows("ml/etl-load", "data/warehouse", 5432)
        // the extract task shares the job, not the load task's agreement
        .deniesAtEachLayer("ml/etl-extract", "data/warehouse", 5432);
  }

  @Test
  void theTrainingGangFindsItsMasterUnderTheJobsHeadlessService() {
    Service gang =
        topology.services().stream()
            .filter(s -> s.name().equals("finetune-master"))
            .findFirst()
            .orElseThrow();
    assertThat(gang.podSubdomain()).isEqualTo("finetune");
    // every rank dials MASTER_ADDR=finetune-master-0.finetune on MASTER_PORT=29500: the lookup of
    // that pod record passes Cilium's DNS proxy, and the connection each layer
    Verdict rendezvous = judge().verifier.check("ml/finetune-master", "ml/finetune-master", 29500);
    assertThat(rendezvous.allowed()).as("%s", rendezvous.explain()).isTrue();
    assertThat(rendezvous.explain()).contains("lookup of finetune-master-1.finetune by");
    // and nothing else of the cluster reaches the gang's rendezvous port
    assertThat(judge().verifier).deniesAtEachLayer("ml/etl-load", "ml/finetune-master", 29500);
  }

  @Test
  void theModelDownloadsFromHuggingFaceAndTheJobFromItsVendorOnly() {
    assertThat(judge().verifier)
        .allows(Query.from("ml/llama-serving").toHost("huggingface.co", 443))
        .allows(Query.from("ml/llama-serving").toHost("cdn-lfs.hf.co", 443))
        .denies(Query.from("apps/chat").toHost("huggingface.co", 443))
        // the defaults' vendor endpoint merged into both tasks
        .allows(Query.from("ml/etl-extract").toHost("exports.example-vendor.net", 443))
        .allows(Query.from("ml/etl-load").toHost("exports.example-vendor.net", 443))
        .denies(Query.from("ml/llama-serving").toHost("exports.example-vendor.net", 443));
  }
}
