package dev.lattice.spec;

import dev.lattice.diagnostics.DiagnosticCode;
import dev.lattice.model.Declaration;
import dev.lattice.model.Direction;
import dev.lattice.model.Egress;
import dev.lattice.model.MeshMode;
import dev.lattice.model.PeerRef;
import dev.lattice.model.Port;
import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import dev.lattice.model.SourceLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a {@code LatticeModel} (the platform's model serving on Kthena) as the mesh members the
 * platform derives from it: one per role, {@code <model>-<role>} for its entry pods, and {@code
 * <model>-<role>-worker} for its worker pods when it has a {@code workerWorkload}. Each is compiled
 * like a {@code LatticeService} of that name (ports and peers from the workload, service account
 * {@code <model>-<role>}, {@code spec.defaults} merged in), then the platform changes every member
 * alike, and so does Lattice:
 *
 * <ul>
 *   <li>the model's pods leave the mesh ({@code istio.io/dataplane-mode: none}), and every member
 *       selects all of them by {@code lattice.dev/model: <model>};
 *   <li>with {@code routing}, each role's entry workload gets the port {@code inference} ({@code
 *       routing.port}, required) unless it names a port so, every member gets that port (by
 *       number), and the router {@code kthena-system/kthena-router} may call every member;
 *   <li>a role with {@code autoscaling} admits {@code kthena-system/kthena-autoscaler}, on its
 *       entry workload's {@code metrics} port when it has one;
 *   <li>with {@code routing.kvConnector} and both a {@code prefill} and a {@code decode} role,
 *       those two allow peer traffic (the KV cache transfer);
 *   <li>with {@code modelSource}, every member may reach the download hosts on 443: {@code
 *       modelSource.egress} when it lists some, else those of the URI's scheme ({@code hf://},
 *       {@code s3://}, {@code gs://}).
 * </ul>
 *
 * These callers form agreements only when the router and the autoscaler are declared too (as {@code
 * LatticeMeshMember}s with {@code dependsAll}, as the platform installs them). Lattice adds a
 * platform port only when the member has no port of that name or number (the platform would add a
 * second port of the same name).
 *
 * <p>Source (the Lattice platform, {@code crates/}): {@code lattice-model/src/compiler.rs} ({@code
 * entry_workload_name}, {@code worker_workload_name}, {@code prepare_roles}, {@code finalize_mesh},
 * {@code augment_kthena_callers}, {@code augment_mesh_member}, {@code download_egress_fqdns});
 * {@code lattice-volcano-policy/src/routing_compiler.rs} ({@code has_pd_roles}); {@code
 * lattice-common/src/lib.rs} ({@code KTHENA_*}, {@code LABEL_MODEL}); {@code
 * lattice-crd/src/crd/model_serving.rs} ({@code LatticeModelSpec}, {@code merged_roles}).
 */
final class LatticeModelReader {
  /** The label the platform puts on every pod of a model. */
  static final String MODEL_LABEL = "lattice.dev/model";

  static final String KTHENA_NAMESPACE = "kthena-system";
  static final String ROUTER = "kthena-router";
  static final String AUTOSCALER = "kthena-autoscaler";
  static final String INFERENCE = "inference";
  static final String METRICS = "metrics";
  static final String PREFILL = "prefill";
  static final String DECODE = "decode";

  private static final List<String> SPEC_FIELDS =
      List.of("roles", "defaults", "routing", "modelSource");
  private static final List<String> ROLE_FIELDS =
      List.of("entryWorkload", "workerWorkload", "autoscaling");
  private static final List<String> ROUTING_FIELDS =
      List.of(
          "inferenceEngine", "model", "port", "protocol", "trafficPolicy", "kvConnector", "routes");
  private static final List<String> SOURCE_FIELDS =
      List.of(
          "uri", "cacheUri", "cacheSize", "mountPath", "tokenSecret", "downloaderImage", "egress");

  private final DocumentReader.Identity id;
  private final Problems problems;
  private final Optional<Fields> routing;
  private final SourceLocation routingAt;
  private final Optional<Integer> inferencePort;
  private final boolean peerRoles;
  private final boolean autoscaling;
  private final List<Egress> downloads;

  private LatticeModelReader(
      Fields spec, Optional<Fields> roles, DocumentReader.Identity id, Problems problems) {
    this.id = id;
    this.problems = problems;
    this.routing =
        spec.mapping("routing", "e.g. port: 8000")
            .map(r -> r.nearMisses("spec.routing", ROUTING_FIELDS));
    if (routing.isPresent() && !routing.get().has("port")) {
      routing
          .get()
          .missing(
              "port",
              "the router "
                  + KTHENA_NAMESPACE
                  + "/"
                  + ROUTER
                  + " calls every role on it, and the platform refuses a routing without one,"
                  + " e.g. port: 8000");
    }
    this.routingAt = spec.keyAt("routing");
    this.inferencePort = routing.flatMap(r -> r.integer("port"));
    boolean kv = routing.map(r -> r.has("kvConnector")).orElse(false);
    Map<String, Node.Entry> entries = roles.map(Fields::entries).orElse(Map.of());
    this.peerRoles = kv && entries.containsKey(PREFILL) && entries.containsKey(DECODE);
    // the platform's autoscaling compiler reads the roles as written, before defaults
    this.autoscaling =
        entries.values().stream()
            .anyMatch(
                e ->
                    e.value() instanceof Node.Mapping
                        && ((Node.Mapping) e.value()).entries().containsKey("autoscaling")
                        && !Fields.isNull(
                            ((Node.Mapping) e.value()).entries().get("autoscaling").value()));
    this.downloads = downloads(spec);
  }

  /** The members the model {@code id} derives (none when its roles are unreadable). */
  static List<Service> read(
      Fields spec, DocumentReader.Identity id, SourceLocation kindAt, Problems problems) {
    spec.nearMisses("spec", SPEC_FIELDS);
    Optional<Fields> roles =
        Workloads.parts(
            spec,
            "roles",
            "role names to roles, e.g. serving: {entryWorkload: {containers: ...}}",
            "a LatticeModel needs at least one role, e.g. roles: {serving: {entryWorkload:"
                + " {...}}} (the platform refuses a model without roles)");
    LatticeModelReader reader = new LatticeModelReader(spec, roles, id, problems);
    Optional<Fields> defaults =
        spec.mapping("defaults", "a role's fields, e.g. entryWorkload: {resources: {...}}")
            .map(d -> d.nearMisses("spec.defaults", ROLE_FIELDS));
    List<Service> members = new ArrayList<>();
    if (roles.isEmpty()) {
      return members;
    }
    for (Node.Entry e : roles.get().entries().values()) {
      reader.role(e, roles.get().path() + "[" + e.key() + "]", defaults, members);
    }
    problems.report(
        DiagnosticCode.WORKLOAD_MEMBERS,
        id.toString(),
        kindAt,
        "LatticeModel "
            + id
            + " is read as "
            + Workloads.names(members)
            + ": the platform takes a model's pods out of the mesh, and each member selects all of"
            + " them by "
            + MODEL_LABEL
            + ": "
            + id.name()
            + reader
                .routing
                .map(
                    r ->
                        "; the router "
                            + KTHENA_NAMESPACE
                            + "/"
                            + ROUTER
                            + " may call each"
                            + reader
                                .inferencePort
                                .map(p -> " on the port " + INFERENCE + " (" + p + ")")
                                .orElse(""))
                .orElse("")
            + "; name these members in agreements");
    return members;
  }

  private void role(Node.Entry e, String path, Optional<Fields> defaults, List<Service> members) {
    String role = e.key();
    Optional<Fields> spec =
        Workloads.part(e, path, "role \"" + role + "\"", problems)
            .map(r -> r.nearMisses("spec.roles[" + role + "]", ROLE_FIELDS));
    // merge_option: the role's own autoscaling, else the defaults'
    Optional<SourceLocation> scaled =
        spec.filter(r -> r.has("autoscaling"))
            .or(() -> defaults.filter(d -> d.has("autoscaling")))
            .map(f -> f.keyAt("autoscaling"));

    LatticeServiceReader entry =
        LatticeServiceReader.derived(id.derived(role, e.keyAt()), problems);
    entry.workload(
        spec.flatMap(r -> r.mapping("entryWorkload")),
        defaults.flatMap(d -> d.mapping("entryWorkload")),
        "spec.roles[" + role + "].entryWorkload");
    if (inferencePort.isPresent() && !hasName(entry, INFERENCE)) {
      // prepare_roles: the inference port joins the entry workload's Service ports by name
      entry.addPort(port(INFERENCE, inferencePort.get(), routing.get().valueAt("port")));
    }
    Optional<Port> metrics =
        entry.ports().stream().filter(p -> p.name().equals(METRICS)).findFirst();
    members.add(finish(entry, role, scaled, metrics));

    boolean worker =
        spec.map(r -> r.has("workerWorkload")).orElse(false)
            || defaults.map(d -> d.has("workerWorkload")).orElse(false);
    if (worker) {
      SourceLocation at =
          spec.filter(r -> r.has("workerWorkload"))
              .map(r -> r.keyAt("workerWorkload"))
              .orElse(e.keyAt());
      LatticeServiceReader w =
          LatticeServiceReader.derived(id.derived(role + "-worker", at), problems);
      w.workload(
          spec.flatMap(r -> r.mapping("workerWorkload")),
          defaults.flatMap(d -> d.mapping("workerWorkload")),
          "spec.roles[" + role + "].workerWorkload");
      members.add(finish(w, role, scaled, metrics));
    }
  }

  /** What finalize_mesh and augment_kthena_callers add to every member of {@code role}. */
  private Service finish(
      LatticeServiceReader member,
      String role,
      Optional<SourceLocation> scaled,
      Optional<Port> metrics) {
    Service.Builder s = member.service();
    List<Port> added = new ArrayList<>();
    if (routing.isPresent()) {
      admit(member, ROUTER, routingAt);
      inferencePort
          .filter(p -> !hasName(member, INFERENCE) && !hasTarget(member, p))
          .ifPresent(p -> added.add(port(INFERENCE, p, routing.get().valueAt("port"))));
    }
    if (autoscaling && scaled.isPresent()) {
      admit(member, AUTOSCALER, scaled.get());
      metrics
          .filter(m -> !hasName(member, METRICS) && !hasTarget(member, m.port()))
          .ifPresent(m -> added.add(port(METRICS, m.port(), m.source().orElse(null))));
    }
    added.forEach(member::addPort);
    if (peerRoles && (role.equals(PREFILL) || role.equals(DECODE))) {
      s.allowPeerTraffic(true);
    }
    downloads.forEach(s::addEgress);
    return s.selector(Map.of(MODEL_LABEL, id.name())).mesh(MeshMode.NONE).build();
  }

  /** Adds {@code kthena-system/<caller>} as an inbound peer, unless the workload names it. */
  private void admit(LatticeServiceReader member, String caller, SourceLocation at) {
    ServiceId peer = ServiceId.of(KTHENA_NAMESPACE, caller);
    for (Declaration d : member.declarations()) {
      if (d.direction().isInbound() && d.peer().resolve(id.namespace()).equals(peer)) {
        return;
      }
    }
    member
        .service()
        .addDeclarations(
            Declaration.builder()
                .peer(PeerRef.of(KTHENA_NAMESPACE, caller))
                .direction(Direction.INBOUND)
                .source(at)
                .build());
  }

  private static boolean hasName(LatticeServiceReader member, String name) {
    return member.ports().stream().anyMatch(p -> p.name().equals(name));
  }

  private static boolean hasTarget(LatticeServiceReader member, int port) {
    return member.ports().stream().anyMatch(p -> p.targetPort() == port);
  }

  private static Port port(String name, int number, SourceLocation at) {
    Port.Builder p = Port.builder().name(name).port(number);
    if (at != null) {
      p.source(at);
    }
    return p.build();
  }

  /** The download hosts of {@code modelSource}, each on TCP 443. */
  private List<Egress> downloads(Fields spec) {
    Optional<Fields> source =
        spec.mapping("modelSource", "e.g. uri: hf://meta-llama/Llama-3-8B")
            .map(m -> m.nearMisses("spec.modelSource", SOURCE_FIELDS));
    if (source.isEmpty()) {
      return List.of();
    }
    Fields m = source.get();
    List<Egress> out = new ArrayList<>();
    List<Node> listed = m.list("egress").orElse(List.of());
    if (!listed.isEmpty()) {
      for (int i = 0; i < listed.size(); i++) {
        Node item = listed.get(i);
        Fields.text(item, m.path("egress") + "[" + i + "]", "an item of egress", problems)
            .ifPresent(host -> out.add(https(host, item.at())));
      }
      return out;
    }
    String uri = m.text("uri").orElse("");
    List<String> hosts;
    if (uri.startsWith("hf://")) {
      hosts =
          List.of(
              "huggingface.co",
              "cdn-lfs-us-1.hf.co",
              "cdn-lfs.hf.co",
              "cas-server.xethub.hf.co",
              "transfer.xethub.hf.co");
    } else if (uri.startsWith("s3://")) {
      hosts = List.of("*.amazonaws.com");
    } else if (uri.startsWith("gs://")) {
      hosts = List.of("storage.googleapis.com");
    } else {
      hosts = List.of();
    }
    for (String h : hosts) {
      out.add(https(h, m.valueAt("uri")));
    }
    return out;
  }

  private static Egress https(String host, SourceLocation at) {
    return Egress.builder().kind(Egress.Kind.FQDN).target(host).addPorts(443).source(at).build();
  }
}
