package dev.lattice.spec;

import dev.lattice.diagnostics.DiagnosticCode;
import dev.lattice.model.Declaration;
import dev.lattice.model.Direction;
import dev.lattice.model.Egress;
import dev.lattice.model.Exposure;
import dev.lattice.model.PeerRef;
import dev.lattice.model.Port;
import dev.lattice.model.Service;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a {@code LatticeMeshMember} spec: a workload Lattice does not deploy (a gateway, a
 * monitoring agent, a webhook) that takes part in the bilateral agreements. Its whole spec is a
 * network part, so every unknown field is an error.
 *
 * <p>A caller named in {@code allowedCallers} and in {@code dependencies} yields two declarations,
 * one inbound and one outbound: resolution indexes each side on its own, so this is exactly {@code
 * both}, and each keeps the location it was written at.
 *
 * <p>{@code target.namespace} (the platform's "every pod of a namespace") is rejected: a Lattice
 * service is one set of pods with one selector and one service account (its mesh identity), and a
 * namespace of pods has neither, so any mapping would guess a selector and an identity that the
 * policies then trust. Name the pods with {@code target.selector} instead.
 */
final class MeshMemberReader {
  private static final List<String> SPEC_FIELDS =
      List.of(
          "target",
          "ports",
          "allowedCallers",
          "dependencies",
          "egress",
          "allowPeerTraffic",
          "dependsAll",
          "serviceAccount",
          "ambient",
          // ours: the member is an Istio gateway proxy (it needs istiod; R5 for waypoints)
          "gateway",
          // cross-cluster discovery: checked, and noted as ignored (DocumentReader.advertise)
          "advertise",
          // the platform's Gateway API ingress: routed through a gateway that is a member of its
          // own, so nothing here for the network policies
          "ingress");
  private static final List<String> TARGET_FIELDS = List.of("selector", "namespace");
  private static final List<String> PORT_FIELDS =
      List.of("port", "servicePort", "name", "peerAuth", "protocol", "exposedTo");
  private static final List<String> REF_FIELDS = List.of("name", "namespace", "podIp");
  private static final List<String> EGRESS_FIELDS = List.of("target", "ports", "protocol");
  private static final Map<String, Egress.Kind> EGRESS_TARGETS =
      Map.of("fqdn", Egress.Kind.FQDN, "cidr", Egress.Kind.CIDR, "entity", Egress.Kind.ENTITY);
  private static final List<String> EGRESS_TARGET_FIELDS = List.of("fqdn", "cidr", "entity");

  private final DocumentReader.Identity id;
  private final Problems problems;
  private final Service.Builder service;

  private MeshMemberReader(DocumentReader.Identity id, Problems problems) {
    this.id = id;
    this.problems = problems;
    this.service = id.builder();
  }

  /** The service {@code spec} declares, with what could be read of it. */
  static Service read(Fields spec, DocumentReader.Identity id, Problems problems) {
    return new MeshMemberReader(id, problems).spec(spec);
  }

  private Service spec(Fields spec) {
    spec.only("a LatticeMeshMember spec", SPEC_FIELDS);
    target(spec);
    Values.identity(spec, service);
    spec.bool("gateway").ifPresent(service::gateway);
    items(spec, "ports", "a port", this::port);
    items(spec, "allowedCallers", "an allowed caller", (f, at) -> ref(f, at, Direction.INBOUND));
    items(spec, "dependencies", "a dependency", (f, at) -> ref(f, at, Direction.OUTBOUND));
    if (spec.bool("dependsAll").orElse(false)) {
      service.addDeclarations(
          Declaration.builder()
              .peer(PeerRef.any())
              .direction(Direction.OUTBOUND)
              .source(spec.valueAt("dependsAll"))
              .build());
    }
    items(spec, "egress", "an egress rule", this::egress);
    DocumentReader.advertise(spec, id, problems);
    return service.build();
  }

  /** Reads each item of the list {@code key} as a mapping. */
  private void items(Fields spec, String key, String what, Item reader) {
    List<Node> items = spec.list(key).orElse(List.of());
    for (int i = 0; i < items.size(); i++) {
      Node item = items.get(i);
      Fields.of(item, spec.path(key) + "[" + i + "]", what, problems)
          .ifPresent(f -> reader.read(f, item));
    }
  }

  /** Reads one item of a list. */
  @FunctionalInterface
  private interface Item {
    void read(Fields fields, Node item);
  }

  private void target(Fields spec) {
    Optional<Fields> target = spec.mapping("target", "e.g. selector: {app: prometheus}");
    if (target.isEmpty()) {
      if (!spec.has("target")) {
        spec.missing(
            "target", "name the member's pods, e.g. target: {selector: {app: prometheus}}");
      }
      return;
    }
    Fields t = target.get().only("target", TARGET_FIELDS);
    if (t.has("namespace")) {
      problems.report(
          DiagnosticCode.SPEC_INVALID_VALUE,
          t.path("namespace"),
          t.valueAt("namespace"),
          "a namespace target (every pod of a namespace) is not one service: its pods share no"
              + " selector and no service account, so Lattice cannot name their identity; use"
              + " target.selector with the pods' labels (and spec.serviceAccount), one member per"
              + " workload");
      return;
    }
    Optional<Fields> selector =
        t.nonEmptyMapping(
            "selector",
            "label keys to values, e.g. app: prometheus",
            "an empty selector would select every pod of the namespace; name the pods' labels,"
                + " e.g. selector: {app: prometheus}");
    if (selector.isPresent()) {
      service.selector(DocumentReader.selector(selector.get()));
    } else if (!t.has("selector")) {
      t.missing(
          "selector", "name the member's pods by their labels, e.g. selector: {app: prometheus}");
    }
  }

  private void port(Fields f, Node item) {
    f.only("a port", PORT_FIELDS);
    Optional<String> name = f.requiredText("name", "every port needs a name, e.g. name: http");
    Optional<Integer> containerPort = f.integer("port");
    if (!f.has("port")) {
      f.missing("port", "the port the pods listen on, e.g. port: 8080");
    }
    Optional<Integer> servicePort = f.integer("servicePort");
    Port.Builder p = Port.builder().source(item.at());
    Values.protocol(f, "protocol", problems).ifPresent(p::protocol);
    Optional<Values.PeerAuthValue> peerAuth = Values.peerAuth(f, "peerAuth", problems);
    peerAuth.ifPresent(v -> p.peerAuth(v.mode));
    List<Exposure> exposures = new ArrayList<>(Values.exposedTo(f, "exposedTo", problems));
    if (peerAuth.orElse(null) == Values.PeerAuthValue.WEBHOOK
        && exposures.stream().noneMatch(x -> x.kind() == Exposure.Kind.KUBE_APISERVER)) {
      // the platform's Webhook mode: plaintext from the API server only
      exposures.add(Exposure.kubeApiserver().at(f.valueAt("peerAuth")));
    }
    p.addAllExposedTo(exposures);
    if (name.isPresent() && containerPort.isPresent()) {
      // port is the container's; the Service's port defaults to it
      service.addPorts(
          p.name(name.get())
              .port(servicePort.orElse(containerPort.get()))
              .targetPort(containerPort.get())
              .build());
    }
  }

  private void ref(Fields f, Node item, Direction direction) {
    f.only(direction == Direction.INBOUND ? "an allowed caller" : "a dependency", REF_FIELDS);
    f.requiredText("name", "name the service, or \"*\" for any service")
        .ifPresent(
            name ->
                service.addDeclarations(
                    Declaration.builder()
                        .peer(DocumentReader.peer(name, DocumentReader.peerNamespace(f, name)))
                        .direction(direction)
                        .byPodIp(f.bool("podIp").orElse(false))
                        .source(item.at())
                        .build()));
  }

  private void egress(Fields f, Node item) {
    f.only("an egress rule", EGRESS_FIELDS);
    Optional<Fields> target =
        f.mapping("target", "fqdn, cidr or entity, e.g. fqdn: api.example.com");
    if (target.isEmpty()) {
      if (!f.has("target")) {
        f.missing(
            "target",
            "write target: {fqdn: api.example.com}, {cidr: 10.0.0.0/8} or"
                + " {entity: kube-apiserver}");
      }
      return;
    }
    Fields t = target.get().only("an egress target", EGRESS_TARGET_FIELDS);
    List<String> given = t.entries().keySet().stream().filter(EGRESS_TARGETS::containsKey).toList();
    if (given.size() != 1) {
      problems.report(
          given.isEmpty() ? DiagnosticCode.SPEC_MISSING_FIELD : DiagnosticCode.SPEC_INVALID_VALUE,
          t.path(),
          t.at(),
          "an egress target takes exactly one of fqdn, cidr or entity"
              + (given.isEmpty() ? "" : ", got " + String.join(" and ", given)));
      return;
    }
    String kind = given.get(0);
    Optional<String> value = t.text(kind);
    if (value.isEmpty()) {
      if (!t.has(kind)) {
        t.missing(kind, "write the " + kind + " to reach");
      }
      return;
    }
    Egress.Builder e =
        Egress.builder().kind(EGRESS_TARGETS.get(kind)).target(value.get()).source(item.at());
    // no ports: all of them (a CIDR or an entity), as upstream; an empty list must not say the same
    List<Node> ports =
        f.nonEmptyList(
                "ports",
                "an empty port list would open every port of "
                    + value.get()
                    + "; list the ports, e.g. ports: [443], or leave ports out to mean all ports")
            .orElse(List.of());
    for (int i = 0; i < ports.size(); i++) {
      Fields.integer(ports.get(i), f.path("ports") + "[" + i + "]", "an egress port", problems)
          .ifPresent(e::addPorts);
    }
    Values.protocol(f, "protocol", problems).ifPresent(e::protocol);
    service.addEgress(e.build());
  }
}
