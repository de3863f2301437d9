package dev.lattice.spec;

import dev.lattice.diagnostics.DiagnosticCode;
import dev.lattice.model.Declaration;
import dev.lattice.model.Direction;
import dev.lattice.model.Egress;
import dev.lattice.model.Exposure;
import dev.lattice.model.HttpRule;
import dev.lattice.model.PeerAuth;
import dev.lattice.model.PeerRef;
import dev.lattice.model.Port;
import dev.lattice.model.Service;
import dev.lattice.model.SourceLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the network parts of a {@code LatticeService} spec: {@code workload.service} (ports and
 * service type), {@code workload.resources} of type {@code service} and {@code external-service},
 * and Lattice's extensions {@code serviceAccount}, {@code selector}, {@code ambient} and {@code
 * allowPeerTraffic}. Containers, replicas, other resource types and every other field belong to the
 * platform and are ignored.
 */
final class LatticeServiceReader {
  private static final List<String> SPEC_FIELDS =
      List.of("workload", "serviceAccount", "selector", "ambient", "allowPeerTraffic", "advertise");
  private static final List<String> WORKLOAD_FIELDS = List.of("service", "resources");
  private static final List<String> SERVICE_FIELDS = List.of("ports", "serviceType");
  private static final List<String> PORT_FIELDS =
      List.of("port", "targetPort", "protocol", "peerAuth", "exposedTo");
  // class and metadata are the platform's (Score's) and carry nothing for the network
  private static final List<String> RESOURCE_FIELDS =
      List.of("type", "direction", "namespace", "id", "params", "class", "metadata");
  private static final List<String> SERVICE_PARAMS = List.of("ports", "http", "podIp");
  private static final List<String> EXTERNAL_PARAMS = List.of("endpoints");
  private static final List<String> HTTP_FIELDS = List.of("methods", "paths");
  private static final List<String> SERVICE_TYPES =
      List.of("ClusterIP", "LoadBalancer", "NodePort");
  private static final List<String> RESOURCE_TYPES = List.of("service", "external-service");
  private static final List<String> DIRECTIONS = List.of("outbound", "inbound", "both");

  private final DocumentReader.Identity id;
  private final Problems problems;
  private final Service.Builder service;

  /** The ports read so far, in order: a derived member adds the platform's own after them. */
  private final List<Port> ports = new ArrayList<>();

  /** The declarations read so far: a derived member adds the platform's callers unless named. */
  private final List<Declaration> declarations = new ArrayList<>();

  private LatticeServiceReader(DocumentReader.Identity id, Problems problems) {
    this.id = id;
    this.problems = problems;
    this.service = id.builder();
  }

  /** The service {@code spec} declares, with what could be read of it. */
  static Service read(Fields spec, DocumentReader.Identity id, Problems problems) {
    return new LatticeServiceReader(id, problems).spec(spec);
  }

  /**
   * A reader for the member {@code id} that the platform derives from a job's task or a model's
   * role: call {@link #workload}, then add what the platform adds and build {@link #service()}.
   */
  static LatticeServiceReader derived(DocumentReader.Identity id, Problems problems) {
    return new LatticeServiceReader(id, problems);
  }

  /** The service being read; its selector, mesh mode and peer traffic are still unset. */
  Service.Builder service() {
    return service;
  }

  /** The ports read, in order. */
  List<Port> ports() {
    return List.copyOf(ports);
  }

  /** Adds a port the platform adds to the workload (after those read). */
  void addPort(Port port) {
    service.addPorts(port);
    ports.add(port);
  }

  /** The declarations read, in order. */
  List<Declaration> declarations() {
    return List.copyOf(declarations);
  }

  private Service spec(Fields spec) {
    spec.nearMisses("spec", SPEC_FIELDS);
    Values.identity(spec, service);
    spec.nonEmptyMapping(
            "selector",
            "label keys to values, e.g. app: api",
            "an empty selector would select every pod of the namespace; name the pods' labels,"
                + " or leave selector out for app.kubernetes.io/name: "
                + id.name())
        .map(DocumentReader::selector)
        .ifPresent(service::selector);
    DocumentReader.advertise(spec, id, problems);
    workload(spec.mapping("workload"), Optional.empty(), "spec.workload");
    // the platform's scrape port override: the port its implicit metrics scraper reads (the rest
    // of observability, PromQL mappings, is the platform's business)
    spec.mapping("observability")
        .flatMap(o -> o.nearMisses("spec.observability", List.of("metrics")).mapping("metrics"))
        .flatMap(m -> m.nearMisses("spec.observability.metrics", List.of("port")).text("port"))
        .ifPresent(service::metricsPort);
    return service.build();
  }

  /**
   * Reads a workload's network parts — {@code service} (its ports) and {@code resources} — merged
   * with {@code defaults} as the platform merges a job's or a model's defaults into each task or
   * role ({@code lattice-crd/src/crd/workload/merge.rs}, {@code Merge for WorkloadSpec}): the
   * workload's own {@code service} replaces the defaults' whole (ports are atomic), and resources
   * merge by key, the workload's own winning.
   */
  void workload(Optional<Fields> own, Optional<Fields> defaults, String what) {
    own.ifPresent(w -> w.nearMisses(what, WORKLOAD_FIELDS));
    defaults.ifPresent(w -> w.nearMisses(w.path(), WORKLOAD_FIELDS));
    Optional<Fields> service =
        own.filter(w -> w.has("service"))
            .or(() -> defaults)
            .flatMap(w -> w.mapping("service", "e.g. ports: {http: {port: 8080}}"));
    service.ifPresent(this::ports);
    Optional<Fields> ownResources =
        own.flatMap(
            w ->
                w.mapping(
                    "resources", "resource names to resources, e.g. db: {direction: outbound}"));
    ownResources.ifPresent(r -> resources(r, List.of()));
    defaults
        .flatMap(
            w ->
                w.mapping(
                    "resources", "resource names to resources, e.g. db: {direction: outbound}"))
        .ifPresent(
            r ->
                resources(
                    r, ownResources.map(o -> List.copyOf(o.entries().keySet())).orElse(List.of())));
  }

  // ---------------------------------------------------------------- ports

  private void ports(Fields svc) {
    svc.only("spec.workload.service", SERVICE_FIELDS);
    Optional<String> type = Values.oneOf(svc, "serviceType", SERVICE_TYPES, false, problems);
    boolean exposed = type.map(t -> t.equals("LoadBalancer") || t.equals("NodePort")).orElse(false);
    List<String> names = new ArrayList<>();
    svc.mapping("ports", "port names to ports, e.g. http: {port: 8080}")
        .ifPresent(
            ports -> {
              for (Node.Entry e : ports.entries().values()) {
                port(ports, e, exposed ? svc.valueAt("serviceType") : null, type.orElse(""))
                    .ifPresent(
                        p -> {
                          service.addPorts(p);
                          this.ports.add(p);
                          names.add(p.name());
                        });
              }
            });
    if (exposed && !names.isEmpty()) {
      // DESIGN §3: the platform exposes every port of a LoadBalancer/NodePort Service to the
      // internet, whose clients have no mesh identity, so the ports must accept plaintext.
      problems.report(
          DiagnosticCode.LOAD_BALANCER_EXPOSED,
          svc.path("serviceType"),
          svc.valueAt("serviceType"),
          id
              + " is a "
              + type.get()
              + " Service: its ports "
              + String.join(", ", names)
              + " are exposed to world and PERMISSIVE (plaintext allowed), as the Lattice"
              + " platform does; use serviceType ClusterIP to keep them inside the cluster");
    }
  }

  /** A port; {@code exposedAt} is where a LoadBalancer/NodePort type exposed it, or null. */
  private Optional<Port> port(Fields ports, Node.Entry e, SourceLocation exposedAt, String type) {
    boolean exposed = exposedAt != null;
    String path = ports.path() + "[" + e.key() + "]";
    Optional<Fields> fields = Fields.of(e.value(), path, "port \"" + e.key() + "\"", problems);
    if (fields.isEmpty()) {
      if (Fields.isNull(e.value())) {
        problems.report(
            DiagnosticCode.SPEC_MISSING_FIELD,
            path + ".port",
            e.keyAt(),
            "port \"" + e.key() + "\" has no port number; write " + e.key() + ": {port: 8080}");
      }
      return Optional.empty();
    }
    Fields f = fields.get().only("port \"" + e.key() + "\"", PORT_FIELDS);
    Optional<Integer> number = f.integer("port");
    if (!f.has("port")) {
      f.missing("port", "the number the Service exposes, e.g. port: 8080");
    }
    Port.Builder p = Port.builder().name(e.key()).source(e.keyAt());
    f.integer("targetPort").ifPresent(p::targetPort);
    Values.protocol(f, "protocol", problems).ifPresent(p::protocol);
    Optional<Values.PeerAuthValue> peerAuth = Values.peerAuth(f, "peerAuth", problems);
    List<Exposure> exposures = new ArrayList<>(Values.exposedTo(f, "exposedTo", problems));
    if (peerAuth.orElse(null) == Values.PeerAuthValue.WEBHOOK) {
      addIfAbsent(exposures, Exposure.kubeApiserver().at(f.valueAt("peerAuth")));
    }
    if (exposed) {
      if (peerAuth.orElse(null) == Values.PeerAuthValue.STRICT) {
        problems.report(
            DiagnosticCode.PEER_AUTH_CONFLICT,
            f.path("peerAuth"),
            f.valueAt("peerAuth"),
            "port \""
                + e.key()
                + "\" of "
                + id
                + " is STRICT, but the "
                + type
                + " Service exposes it to world, whose clients have no mesh identity; remove"
                + " peerAuth (the port is PERMISSIVE) or use serviceType ClusterIP");
      }
      for (Exposure x : exposures) {
        if (x.kind() == Exposure.Kind.CIDR) {
          problems.report(
              DiagnosticCode.CIDR_BEHIND_SNAT,
              f.path("exposedTo"),
              x.source().orElse(f.at()),
              "the exposure of port \""
                  + e.key()
                  + "\" to "
                  + x
                  + " only matches when the"
                  + " client's source address survives, but a "
                  + type
                  + " Service usually"
                  + " SNATs it to a node address; set externalTrafficPolicy: Local on the Service"
                  + " (and the setting loadBalancerPreservesSourceIp), or expose it to world");
        }
      }
      addIfAbsent(exposures, Exposure.world().at(exposedAt));
      p.peerAuth(PeerAuth.PERMISSIVE);
    } else {
      peerAuth.ifPresent(v -> p.peerAuth(v.mode));
    }
    p.addAllExposedTo(exposures);
    return number.map(n -> p.port(n).build());
  }

  private static void addIfAbsent(List<Exposure> exposures, Exposure x) {
    if (exposures.stream().noneMatch(e -> e.kind() == x.kind() && e.cidr().equals(x.cidr()))) {
      exposures.add(x);
    }
  }

  // ---------------------------------------------------------------- resources

  /** Reads the resources, but not those whose key is in {@code overridden}. */
  private void resources(Fields resources, List<String> overridden) {
    for (Node.Entry e : resources.entries().values()) {
      String key = e.key();
      if (overridden.contains(key)) {
        continue;
      }
      String path = resources.path() + "[" + key + "]";
      String what = "resource \"" + key + "\"";
      Optional<Fields> fields = Fields.of(e.value(), path, what, problems);
      if (fields.isEmpty()) {
        continue;
      }
      Fields r = fields.get();
      String type = r.text("type").orElse("service");
      if (type.equals("service")) {
        r.only(what, RESOURCE_FIELDS);
        serviceResource(r, e);
      } else if (type.equals("external-service")) {
        r.only(what, RESOURCE_FIELDS);
        externalResource(r, e);
      } else {
        // volumes, secrets, GPUs, databases...: the platform's business, unless a typo
        Texts.closest(type, RESOURCE_TYPES)
            .ifPresent(
                meant ->
                    problems.report(
                        DiagnosticCode.SPEC_INVALID_VALUE,
                        r.path("type"),
                        r.valueAt("type"),
                        "resource type \""
                            + type
                            + "\" is not one Lattice or the platform knows;"
                            + " did you mean "
                            + meant
                            + "?"));
      }
    }
  }

  private void serviceResource(Fields r, Node.Entry e) {
    Direction direction = direction(r).orElse(Direction.OUTBOUND);
    String name =
        r.nonEmptyText("id", "name the peer, \"*\" for any service, or leave id out to use the key")
            .orElse(e.key());
    Optional<String> namespace = DocumentReader.peerNamespace(r, name);
    PeerRef peer = DocumentReader.peer(name, namespace);
    Declaration.Builder d = Declaration.builder().peer(peer).direction(direction).source(e.keyAt());
    r.mapping("params", "e.g. ports: [http]")
        .ifPresent(
            params -> {
              params.only("params of resource \"" + e.key() + "\"", SERVICE_PARAMS);
              params
                  .nonEmptyTexts(
                      "ports",
                      "an empty port subset would cover every port of the callee; name the"
                          + " ports, e.g. ports: [http], or leave ports out to mean all of them")
                  .ifPresent(d::addAllPorts);
              params
                  .nonEmptyList(
                      "http",
                      "an empty list of HTTP rules would grant any request; list the rules, e.g."
                          + " http: [{methods: [GET], paths: [/api/*]}], or leave http out to"
                          + " grant any request")
                  .ifPresent(rules -> d.addAllHttpRules(httpRules(params, rules)));
              params.bool("podIp").ifPresent(d::byPodIp);
            });
    Declaration declaration = d.build();
    service.addDeclarations(declaration);
    declarations.add(declaration);
  }

  private List<HttpRule> httpRules(Fields params, List<Node> items) {
    List<HttpRule> rules = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      Node item = items.get(i);
      String path = params.path("http") + "[" + i + "]";
      Fields.of(item, path, "an HTTP rule", problems)
          .ifPresent(
              f -> {
                f.only("an HTTP rule", HTTP_FIELDS);
                List<String> methods =
                    f.nonEmptyTexts(
                            "methods",
                            "an empty list of methods would grant every method; list them, e.g."
                                + " methods: [GET], or leave methods out to mean any method")
                        .orElse(List.of());
                List<String> paths =
                    f.nonEmptyTexts(
                            "paths",
                            "an empty list of paths would grant every path; list them, e.g."
                                + " paths: [/api/*], or leave paths out to mean any path")
                        .orElse(List.of());
                rules.add(HttpRule.of(methods, paths).at(item.at()));
              });
    }
    return rules;
  }

  private Optional<Direction> direction(Fields r) {
    return Values.oneOf(r, "direction", DIRECTIONS, false, problems)
        .map(d -> Direction.valueOf(d.toUpperCase(Locale.ROOT)));
  }

  private void externalResource(Fields r, Node.Entry e) {
    int mark = problems.mark();
    String key = e.key();
    direction(r)
        .filter(d -> d != Direction.OUTBOUND)
        .ifPresent(
            d ->
                problems.report(
                    DiagnosticCode.SPEC_INVALID_VALUE,
                    r.path("direction"),
                    r.valueAt("direction"),
                    "external service \""
                        + key
                        + "\" can only be called, not call in; remove"
                        + " direction (outbound is the default)"));
    if (r.has("namespace")) {
      problems.report(
          DiagnosticCode.SPEC_INVALID_VALUE,
          r.path("namespace"),
          r.valueAt("namespace"),
          "external service \""
              + key
              + "\" lives outside the cluster and has no namespace;"
              + " remove namespace");
    }
    boolean any = false;
    Optional<String> entityId = r.text("id").filter(i -> i.startsWith("entity:"));
    if (entityId.isPresent()) {
      any = true;
      Endpoints.Parsed parsed = Endpoints.entity(entityId.get());
      egress(parsed, key, "id", r.path("id"), r.valueAt("id"), entityId.get());
    }
    Optional<Fields> params = r.mapping("params", "e.g. endpoints: {api: https://api.example.com}");
    if (params.isPresent()) {
      params.get().only("params of external service \"" + key + "\"", EXTERNAL_PARAMS);
      Optional<Fields> endpoints =
          params
              .get()
              .mapping("endpoints", "endpoint names to URLs, e.g. api: https://api.example.com");
      if (endpoints.isPresent()) {
        for (Map.Entry<String, Node.Entry> ep : endpoints.get().entries().entrySet()) {
          Fields f = endpoints.get();
          String name = ep.getKey();
          Optional<String> url = f.text(name);
          if (url.isPresent()) {
            any = true;
            egress(
                Endpoints.parse(url.get()),
                key + "/" + name,
                "endpoint \"" + name + "\"",
                f.path() + "[" + name + "]",
                f.valueAt(name),
                url.get());
          } else if (!f.has(name)) {
            problems.report(
                DiagnosticCode.SPEC_ENDPOINT,
                f.path() + "[" + name + "]",
                ep.getValue().keyAt(),
                "endpoint \"" + name + "\" is empty; write one of " + Endpoints.FORMS);
          }
        }
      }
    }
    if (!any && !problems.hasErrorsSince(mark)) {
      problems.report(
          DiagnosticCode.SPEC_MISSING_FIELD,
          r.path("params"),
          e.keyAt(),
          "external service \""
              + key
              + "\" names no endpoint; add params: {endpoints: {api:"
              + " https://api.example.com}} or id: entity:<name>[:port]");
    }
  }

  private void egress(
      Endpoints.Parsed parsed,
      String label,
      String what,
      String path,
      SourceLocation at,
      String written) {
    if (!parsed.ok()) {
      problems.report(
          DiagnosticCode.SPEC_ENDPOINT,
          path,
          at,
          what
              + " ("
              + Texts.abbreviate(written)
              + ") "
              + parsed.problem()
              + "; an endpoint is one of "
              + Endpoints.FORMS);
      return;
    }
    service.addEgress(
        Egress.builder()
            .kind(parsed.kind())
            .target(parsed.target())
            .addPorts(parsed.port())
            .protocol(parsed.protocol())
            .label(label)
            .source(at)
            .build());
  }
}
