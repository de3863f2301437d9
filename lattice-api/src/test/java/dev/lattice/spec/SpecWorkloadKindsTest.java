package dev.lattice.spec;

import static dev.lattice.spec.Diags.at;
import static dev.lattice.spec.Diags.graph;
import static dev.lattice.spec.Diags.service;
import static dev.lattice.spec.Diags.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.diagnostics.DiagnosticCode;
import dev.lattice.graph.ServiceGraph;
import dev.lattice.graph.Topology;
import dev.lattice.model.Declaration;
import dev.lattice.model.MeshMode;
import dev.lattice.model.Port;
import dev.lattice.model.Service;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code LatticeJob} and {@code LatticeModel} read as the mesh members the Lattice platform derives
 * from them, and {@code advertise} accepted and noted; each expectation follows the platform's
 * source (cited in the readers).
 */
class SpecWorkloadKindsTest {

  private static final String JOB =
      """
      apiVersion: lattice.dev/v1alpha1
      kind: LatticeJob
      metadata: {name: etl, namespace: batch}
      spec:
        schedulerName: volcano
        schedule: "0 2 * * *"
        defaults:
          workload:
            service:
              ports:
                http: {port: 8080}
            resources:
              warehouse: {namespace: data, params: {ports: [pg]}}
              queue: {namespace: data}
        tasks:
          extract:
            replicas: 2
            restartPolicy: OnFailure
            workload:
              containers: {main: {image: etl:1}}
          load:
            workload:
              containers: {main: {image: etl:1}}
              service:
                ports:
                  admin: {port: 9000}
              resources:
                queue: {namespace: data, direction: inbound}
      """;

  private static String ports(Service s) {
    return s.ports().stream().map(p -> p.name() + ":" + p.port()).toList().toString();
  }

  private static String declarations(Service s) {
    return s.declarations().stream().map(Declaration::toString).sorted().toList().toString();
  }

  @Test
  void aJobIsOneMemberPerTaskNamedAndSelectedAsThePlatformDoes() {
    SpecResult result = Specs.parse("etl.yaml", JOB);
    ServiceGraph g = graph(result);

    assertThat(g.services())
        .extracting(Service::toString)
        .containsExactly("batch/etl-extract", "batch/etl-load");
    Service extract = service(g, "batch/etl-extract");
    // app.kubernetes.io/name and the service account are <job>-<task>, in the mesh
    assertThat(extract.selector()).isEqualTo(Map.of(Service.NAME_LABEL, "etl-extract"));
    assertThat(extract.serviceAccount()).isEqualTo("etl-extract");
    assertThat(extract.mesh()).isEqualTo(MeshMode.AMBIENT);
    assertThat(extract.allowPeerTraffic()).isFalse();
    // the defaults fill what the task leaves out: its Service ports and both resources
    assertThat(ports(extract)).isEqualTo("[http:8080]");
    assertThat(declarations(extract))
        .isEqualTo("[outbound data/queue, outbound data/warehouse ports [pg]]");
    assertThat(extract.source().orElseThrow().toString()).isEqualTo("etl.yaml:16:5");

    // a task's own service replaces the defaults' whole; its resources win key by key
    Service load = service(g, "batch/etl-load");
    assertThat(ports(load)).isEqualTo("[admin:9000]");
    assertThat(declarations(load))
        .isEqualTo("[inbound data/queue, outbound data/warehouse ports [pg]]");

    Diagnostic info = single(result, DiagnosticCode.WORKLOAD_MEMBERS);
    assertThat(at(info)).isEqualTo("etl.yaml:2:7");
    assertThat(info.path()).isEqualTo("batch/etl");
    assertThat(info.message())
        .contains("LatticeJob batch/etl is read as the mesh members etl-extract, etl-load")
        .contains("name these members in agreements");
  }

  @Test
  void aTrainingJobLeavesTheMeshAndSelectsTheWholeGangWithTheRendezvousPort() {
    SpecResult result =
        Specs.parse(
            "train.yaml",
            """
            apiVersion: lattice.dev/v1alpha1
            kind: LatticeJob
            metadata: {name: llm, namespace: ml}
            spec:
              training: {framework: PyTorch, coordinatorTask: master}
              tasks:
                master:
                  workload:
                    containers: {main: {image: t:1, command: [torchrun]}}
                worker:
                  replicas: 3
                  workload:
                    containers: {main: {image: t:1, command: [torchrun]}}
                    service:
                      ports:
                        master: {port: 23456}
                        nccl: {port: 29400}
            """);
    ServiceGraph g = graph(result);

    for (Service s : g.services()) {
      assertThat(s.mesh()).as("%s", s).isEqualTo(MeshMode.NONE);
      assertThat(s.allowPeerTraffic()).as("%s", s).isTrue();
      assertThat(s.selector()).as("%s", s).isEqualTo(Map.of("lattice.dev/training-job", "llm"));
      // the platform's headless Service for the gang is the job: MASTER_ADDR=llm-master-0.llm
      assertThat(s.podSubdomain()).as("%s", s).isEqualTo("llm");
    }
    // the platform adds master (29500) by name; a task that names a port master keeps its own
    assertThat(ports(service(g, "ml/llm-master"))).isEqualTo("[master:29500]");
    assertThat(service(g, "ml/llm-master").ports().get(0).source().orElseThrow().toString())
        .isEqualTo("train.yaml:5:3");
    assertThat(ports(service(g, "ml/llm-worker"))).isEqualTo("[master:23456, nccl:29400]");
    assertThat(service(g, "ml/llm-worker").serviceAccount()).isEqualTo("llm-worker");
    assertThat(single(result, DiagnosticCode.WORKLOAD_MEMBERS).message())
        .contains("training job's pods leave the mesh", "lattice.dev/training-job: llm");
  }

  private static final String MODEL =
      """
      apiVersion: lattice.dev/v1alpha1
      kind: LatticeModel
      metadata: {name: llama, namespace: ml}
      spec:
        modelSource:
          uri: hf://meta-llama/Llama-3-8B
        routing:
          inferenceEngine: vLLM
          model: meta-llama/Llama-3-8B
          port: 8000
          kvConnector: {type: nixl}
        defaults:
          entryWorkload:
            resources:
              cache: {namespace: data}
        roles:
          prefill:
            entryWorkload:
              containers: {main: {image: vllm:1}}
              service:
                ports:
                  metrics: {port: 9090}
            autoscaling: {max: 4}
          decode:
            entryWorkload:
              containers: {main: {image: vllm:1}}
              service:
                ports:
                  inference: {port: 8001}
            workerWorkload:
              containers: {main: {image: vllm:1}}
      """;

  @Test
  void aModelIsOneMemberPerRoleAndWorkerWithThePlatformsCallersPortsAndEgress() {
    SpecResult result = Specs.parse("llama.yaml", MODEL);
    ServiceGraph g = graph(result);

    assertThat(g.services())
        .extracting(Service::toString)
        .containsExactly("ml/llama-prefill", "ml/llama-decode", "ml/llama-decode-worker");
    for (Service s : g.services()) {
      // out of the mesh, every member selects every pod of the model, KV transfer between roles
      assertThat(s.mesh()).as("%s", s).isEqualTo(MeshMode.NONE);
      assertThat(s.selector()).as("%s", s).isEqualTo(Map.of("lattice.dev/model", "llama"));
      assertThat(s.allowPeerTraffic()).as("%s", s).isTrue();
      // the downloader reaches the Hugging Face hosts on 443
      assertThat(s.egress())
          .extracting(e -> e.target().value())
          .containsExactly(
              "huggingface.co",
              "cdn-lfs-us-1.hf.co",
              "cdn-lfs.hf.co",
              "cas-server.xethub.hf.co",
              "transfer.xethub.hf.co");
      assertThat(s.egress()).allSatisfy(e -> assertThat(e.ports()).containsExactly(443));
    }
    Service prefill = service(g, "ml/llama-prefill");
    assertThat(prefill.serviceAccount()).isEqualTo("llama-prefill");
    assertThat(ports(prefill)).isEqualTo("[metrics:9090, inference:8000]");
    // the router (routing) and the autoscaler (autoscaling) may call; the defaults' resource too
    assertThat(declarations(prefill))
        .isEqualTo(
            "[inbound kthena-system/kthena-autoscaler, inbound kthena-system/kthena-router,"
                + " outbound data/cache]");
    // decode names its own inference port (8001): the platform keeps it, and adds 8000 to no one
    Service decode = service(g, "ml/llama-decode");
    assertThat(ports(decode)).isEqualTo("[inference:8001]");
    assertThat(declarations(decode))
        .isEqualTo("[inbound kthena-system/kthena-router, outbound data/cache]");
    // the worker gets the inference port by number, and the router
    Service worker = service(g, "ml/llama-decode-worker");
    assertThat(ports(worker)).isEqualTo("[inference:8000]");
    assertThat(worker.ports()).extracting(Port::source).allSatisfy(s -> assertThat(s).isPresent());
    assertThat(declarations(worker)).isEqualTo("[inbound kthena-system/kthena-router]");
    assertThat(worker.source().orElseThrow().toString()).isEqualTo("llama.yaml:30:7");

    assertThat(single(result, DiagnosticCode.WORKLOAD_MEMBERS).message())
        .contains(
            "the mesh members llama-prefill, llama-decode, llama-decode-worker",
            "lattice.dev/model: llama",
            "kthena-system/kthena-router may call each on the port inference (8000)");
  }

  @Test
  void agreementsThatNameTheDerivedMembersAreNotOneSided() {
    Topology t =
        graph(
                Specs.parse(
                    "ml.yaml",
                    MODEL
                        + """
                        ---
                        apiVersion: lattice.dev/v1alpha1
                        kind: LatticeMeshMember
                        metadata: {name: kthena-router, namespace: kthena-system}
                        spec:
                          target: {selector: {app.kubernetes.io/component: kthena-router}}
                          ports: [{name: http, port: 8080}]
                          dependsAll: true
                        """))
            .resolve();

    assertThat(t.diagnostics()).filteredOn(Diagnostic::isError).isEmpty();
    assertThat(t.diagnostics())
        .noneMatch(d -> d.code() == DiagnosticCode.ONE_SIDED && d.path().contains("kthena-router"));
    assertThat(t.agreements())
        .extracting(Object::toString)
        .filteredOn(a -> a.startsWith("kthena-system/kthena-router"))
        .containsExactly(
            "kthena-system/kthena-router -> ml/llama-decode [inference 8001/TCP]",
            "kthena-system/kthena-router -> ml/llama-decode-worker [inference 8000/TCP]",
            "kthena-system/kthena-router -> ml/llama-prefill [inference 8000/TCP, metrics 9090/TCP]");
  }

  @Test
  void advertiseIsAcceptedOnBothKindsAndNotedAsIgnored() {
    SpecResult result =
        Specs.parse(
            "adv.yaml",
            """
            apiVersion: lattice.dev/v1alpha1
            kind: LatticeMeshMember
            metadata: {name: vmselect, namespace: monitoring}
            spec:
              target: {selector: {app: vmselect}}
              ports: [{name: http, port: 8481}]
              advertise:
                allowedServices: [edge/grafana, "*"]
            ---
            apiVersion: lattice.dev/v1alpha1
            kind: LatticeService
            metadata: {name: api, namespace: shop}
            spec:
              advertise: {allowedServices: []}
            """);

    assertThat(result.hasErrors()).isFalse();
    assertThat(result.diagnostics())
        .filteredOn(d -> d.code() == DiagnosticCode.ADVERTISE_IGNORED)
        .extracting(Diags::at, Diagnostic::path)
        .containsExactly(
            tuple("adv.yaml:7:3", "monitoring/vmselect.spec.advertise"),
            tuple("adv.yaml:14:3", "shop/api.spec.advertise"));
    assertThat(result.diagnostics().get(0).message())
        .contains(
            "monitoring/vmselect is advertised to other clusters (edge/grafana, *)",
            "admits no cross-cluster caller, so those calls stay denied",
            "allowedCallers");
    // nothing of it reaches the model: no wildcard caller was added
    assertThat(service(graph(result), "monitoring/vmselect").declarations()).isEmpty();
  }

  @Test
  void anUnknownFieldInAdvertiseIsAnError() {
    SpecResult result =
        Specs.parse(
            "adv.yaml",
            """
            apiVersion: lattice.dev/v1alpha1
            kind: LatticeMeshMember
            metadata: {name: vmselect, namespace: monitoring}
            spec:
              target: {selector: {app: vmselect}}
              advertise: {allowedService: ["*"]}
            """);

    Diagnostic d = single(result, DiagnosticCode.SPEC_UNKNOWN_FIELD);
    assertThat(at(d)).isEqualTo("adv.yaml:6:15");
    assertThat(d.message()).contains("did you mean allowedServices?");
    assertThat(result.diagnostics()).noneMatch(x -> x.code() == DiagnosticCode.ADVERTISE_IGNORED);
  }
}
