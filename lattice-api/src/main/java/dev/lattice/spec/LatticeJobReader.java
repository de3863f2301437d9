package dev.lattice.spec;

import dev.lattice.diagnostics.DiagnosticCode;
import dev.lattice.model.MeshMode;
import dev.lattice.model.Port;
import dev.lattice.model.Service;
import dev.lattice.model.SourceLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a {@code LatticeJob} (the platform's batch workload on Volcano) as the mesh members the
 * platform derives from it: one per task, named {@code <job>-<task>}. The platform compiles each
 * task's workload through the same pipeline as a {@code LatticeService} and enrolls it with a
 * {@code LatticeMeshMember} of that name, selecting the pods by {@code app.kubernetes.io/name:
 * <job>-<task>} and running them as the service account {@code <job>-<task>} — Lattice's defaults
 * for a service of that name, so a task reads like a {@code LatticeService} named so. Its ports and
 * peers are its {@code workload.service.ports} and {@code workload.resources}, with {@code
 * spec.defaults} merged in as the platform merges them.
 *
 * <p>A training job ({@code spec.training}) is different: its pods leave the mesh ({@code
 * istio.io/dataplane-mode: none}), every task's member selects the whole gang by {@code
 * lattice.dev/training-job: <job>} and allows peer traffic, and each task gets the rendezvous port
 * {@code master} (29500) unless it names a port so. The gang's pods find each other under the
 * headless Service the platform names after the job ({@code MASTER_ADDR=<job>-master-0.<job>}),
 * which is each member's {@code podSubdomain}.
 *
 * <p>Source (the Lattice platform, {@code crates/}): {@code lattice-job/src/compiler.rs} ({@code
 * compile_job}: the {@code format!("{}-{}", name, task_name)} members and the training override;
 * {@code inject_training_service_port}, {@code DEFAULT_MASTER_PORT}); {@code
 * lattice-workload/src/compiler.rs} ({@code WorkloadCompiler::compile}: the member's selector,
 * ports, callers and dependencies); {@code lattice-workload/src/pipeline/pod_template.rs} ({@code
 * service_account_name: name}); {@code lattice-crd/src/crd/job.rs} ({@code LatticeJobSpec}, {@code
 * merged_tasks}).
 */
final class LatticeJobReader {
  /** The label the platform puts on every pod of a training gang. */
  static final String TRAINING_JOB_LABEL = "lattice.dev/training-job";

  /** The rendezvous port the platform adds to every task of a training job. */
  static final int MASTER_PORT = 29500;

  static final String MASTER_PORT_NAME = "master";

  // the network parts; the rest (schedulerName, minAvailable, schedule, policies...) is Volcano's
  private static final List<String> SPEC_FIELDS = List.of("tasks", "defaults", "training");
  private static final List<String> TASK_FIELDS = List.of("workload");

  private LatticeJobReader() {}

  /** The members the job {@code id} derives, one per task (none when the tasks are unreadable). */
  static List<Service> read(
      Fields spec, DocumentReader.Identity id, SourceLocation kindAt, Problems problems) {
    spec.nearMisses("spec", SPEC_FIELDS);
    Optional<Fields> tasks =
        Workloads.parts(
            spec,
            "tasks",
            "task names to tasks, e.g. worker: {workload: {containers: ...}}",
            "a LatticeJob needs at least one task, e.g. tasks: {worker: {workload: {...}}} (the"
                + " platform refuses a job without tasks)");
    Optional<Fields> defaults =
        spec.mapping("defaults", "a task's fields, e.g. workload: {resources: {...}}")
            .map(d -> d.nearMisses("spec.defaults", TASK_FIELDS));
    Optional<Fields> defaultWorkload = defaults.flatMap(d -> d.mapping("workload"));
    boolean training = spec.mapping("training", "e.g. framework: PyTorch").isPresent();
    List<Service> members = new ArrayList<>();
    if (tasks.isEmpty()) {
      return members;
    }
    for (Node.Entry e : tasks.get().entries().values()) {
      String path = tasks.get().path() + "[" + e.key() + "]";
      Optional<Fields> task =
          Workloads.part(e, path, "task \"" + e.key() + "\"", problems)
              .map(t -> t.nearMisses("spec.tasks[" + e.key() + "]", TASK_FIELDS));
      LatticeServiceReader member =
          LatticeServiceReader.derived(id.derived(e.key(), e.keyAt()), problems);
      member.workload(
          task.flatMap(t -> t.mapping("workload")),
          defaultWorkload,
          "spec.tasks[" + e.key() + "].workload");
      if (training) {
        SourceLocation trainingAt = spec.keyAt("training");
        if (member.ports().stream().noneMatch(p -> p.name().equals(MASTER_PORT_NAME))) {
          member.addPort(
              Port.builder().name(MASTER_PORT_NAME).port(MASTER_PORT).source(trainingAt).build());
        }
        member
            .service()
            .selector(Map.of(TRAINING_JOB_LABEL, id.name()))
            // the platform's headless Service for the gang is named after the job, so a task's
            // pods are <job>-<task>-<i>.<job> (its MASTER_ADDR is <job>-master-0.<job>)
            .podSubdomain(id.name())
            .mesh(MeshMode.NONE)
            .allowPeerTraffic(true);
      }
      members.add(member.service().build());
    }
    problems.report(
        DiagnosticCode.WORKLOAD_MEMBERS,
        id.toString(),
        kindAt,
        "LatticeJob "
            + id
            + " is read as "
            + Workloads.names(members)
            + (training
                ? ": a training job's pods leave the mesh, and each member selects the whole gang"
                    + " by "
                    + TRAINING_JOB_LABEL
                    + ": "
                    + id.name()
                    + " with peer traffic under the headless Service "
                    + id.name()
                    + " and the port "
                    + MASTER_PORT_NAME
                    + " ("
                    + MASTER_PORT
                    + "), as the platform does"
                : ", each selecting its pods by "
                    + Service.NAME_LABEL
                    + " and running as the service account of that name, as the platform does")
            + "; name these members in agreements");
    return members;
  }
}
