package dev.lattice.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.diagnostics.DiagnosticCode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Values that would widen what is allowed if read the easy way — an empty list read as "all", a
 * {@code "*"} where no wildcard exists, a /0 range, an empty selector or name, a Service name no
 * Service can have — are each one located error that says what to write instead. The loader reports
 * what it can see alone; resolution reports the rest at the location the loader recorded.
 */
class SpecWideningTest {

  /** One bad input: the YAML, and the one error it must produce. */
  record Case(String name, String yaml, DiagnosticCode code, String path, String at, String fix) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static final String SERVICE =
      """
      apiVersion: lattice.dev/v1alpha1
      kind: LatticeService
      metadata: {name: api, namespace: shop}
      spec:
      """;

  private static final String MEMBER =
      """
      apiVersion: lattice.dev/v1alpha1
      kind: LatticeMeshMember
      metadata: {name: gw, namespace: edge}
      spec:
        target: {selector: {app: gw}}
      """;

  private static final String RESOURCES = "shop/api.spec.workload.resources[db]";

  static Stream<Case> cases() {
    return Stream.of(
        // ---- LatticeService
        new Case(
            "params.ports: [] is not every port",
            SERVICE
                + """
                  workload:
                    resources:
                      db:
                        params:
                          ports: []
                """,
            DiagnosticCode.SPEC_EMPTY_VALUE,
            RESOURCES + ".params.ports",
            "9:18",
            "leave ports out to mean all of them"),
        new Case(
            "params.http: [] is not any request",
            SERVICE
                + """
                  workload:
                    resources:
                      web:
                        direction: inbound
                        params:
                          http: []
                """,
            DiagnosticCode.SPEC_EMPTY_VALUE,
            "shop/api.spec.workload.resources[web].params.http",
            "10:17",
            "leave http out to grant any request"),
        new Case(
            "methods: [] is not every method",
            SERVICE
                + """
                  workload:
                    resources:
                      web:
                        direction: inbound
                        params:
                          http:
                            - methods: []
                              paths: [/api/*]
                """,
            DiagnosticCode.SPEC_EMPTY_VALUE,
            "shop/api.spec.workload.resources[web].params.http[0].methods",
            "11:24",
            "leave methods out to mean any method"),
        new Case(
            "paths: [] is not every path",
            SERVICE
                + """
                  workload:
                    resources:
                      web:
                        direction: inbound
                        params:
                          http:
                            - methods: [GET]
                              paths: []
                """,
            DiagnosticCode.SPEC_EMPTY_VALUE,
            "shop/api.spec.workload.resources[web].params.http[0].paths",
            "12:22",
            "leave paths out to mean any path"),
        new Case(
            "an empty selector is not every pod",
            SERVICE + "  selector: {}\n",
            DiagnosticCode.SPEC_EMPTY_VALUE,
            "shop/api.spec.selector",
            "5:13",
            "name the pods' labels, or leave selector out"),
        new Case(
            "namespace \"*\" is not a namespace wildcard",
            SERVICE
                + """
                  workload:
                    resources:
                      db:
                        namespace: "*"
                """,
            DiagnosticCode.SPEC_INVALID_VALUE,
            RESOURCES + ".namespace",
            "8:20",
            "write the name \"*\" with no namespace (instead of \"db\")"),
        new Case(
            "an empty peer namespace",
            SERVICE
                + """
                  workload:
                    resources:
                      db:
                        namespace: ""
                """,
            DiagnosticCode.SPEC_EMPTY_VALUE,
            RESOURCES + ".namespace",
            "8:20",
            "leave namespace out for the declaring service's own"),
        new Case(
            "an empty id",
            SERVICE
                + """
                  workload:
                    resources:
                      db:
                        id: ""
                """,
            DiagnosticCode.SPEC_EMPTY_VALUE,
            RESOURCES + ".id",
            "8:13",
            "leave id out to use the key"),
        new Case(
            "an empty service account",
            SERVICE + "  serviceAccount: \"\"\n",
            DiagnosticCode.SPEC_EMPTY_VALUE,
            "shop/api.spec.serviceAccount",
            "5:19",
            "leave serviceAccount out to use the service's name"),
        new Case(
            "an empty namespace in metadata",
            """
            apiVersion: lattice.dev/v1alpha1
            kind: LatticeService
            metadata:
              name: api
              namespace: ""
            spec: {}
            """,
            DiagnosticCode.SPEC_EMPTY_VALUE,
            "case.yaml",
            "5:14",
            "leave namespace out for the namespace default"),
        new Case(
            "an empty name in metadata",
            """
            apiVersion: lattice.dev/v1alpha1
            kind: LatticeService
            metadata:
              name: ''
            spec: {}
            """,
            DiagnosticCode.SPEC_EMPTY_VALUE,
            "case.yaml",
            "4:9",
            "every service needs a name"),
        new Case(
            "a Service name that starts with a digit",
            """
            apiVersion: lattice.dev/v1alpha1
            kind: LatticeService
            metadata:
              name: 1api
              namespace: shop
            spec: {}
            """,
            DiagnosticCode.INVALID_NAME,
            "shop/1api",
            "4:9",
            "DNS-1035 label (starting with a lower-case letter); rename it"),
        new Case(
            "a peer name that starts with a digit",
            SERVICE
                + """
                  workload:
                    resources:
                      2fa: {}
                """,
            DiagnosticCode.INVALID_NAME,
            "shop/api.dependsOn[2fa]",
            "7:7",
            "rename it"),
        new Case(
            "an endpoint to 0.0.0.0/0 is not a range",
            SERVICE
                + """
                  workload:
                    resources:
                      anywhere:
                        type: external-service
                        params:
                          endpoints:
                            all: 0.0.0.0/0:443
                """,
            DiagnosticCode.INVALID_EGRESS,
            "shop/api.egress[0.0.0.0/0]",
            "11:18",
            "use world"),
        new Case(
            "an exposure to ::/0 is not a range",
            SERVICE
                + """
                  workload:
                    service:
                      ports:
                        http:
                          port: 80
                          peerAuth: PERMISSIVE
                          exposedTo: ["::/0"]
                """,
            DiagnosticCode.INVALID_EXPOSURE,
            "shop/api.ports[http].exposedTo[::/0]",
            "11:23",
            "use world"),
        new Case(
            "port 0 is not every port",
            SERVICE
                + """
                  workload:
                    service:
                      ports:
                        http: {port: 0}
                """,
            DiagnosticCode.PORT_OUT_OF_RANGE,
            "shop/api.ports[http]",
            "8:9",
            "must be 1..65535"),
        // ---- LatticeMeshMember
        new Case(
            "an empty member selector is not every pod",
            """
            apiVersion: lattice.dev/v1alpha1
            kind: LatticeMeshMember
            metadata: {name: gw, namespace: edge}
            spec:
              target:
                selector: {}
            """,
            DiagnosticCode.SPEC_EMPTY_VALUE,
            "edge/gw.spec.target.selector",
            "6:15",
            "name the pods' labels, e.g. selector: {app: prometheus}"),
        new Case(
            "egress ports: [] is not every port",
            MEMBER
                + """
                  egress:
                    - target: {cidr: 10.0.0.0/8}
                      ports: []
                """,
            DiagnosticCode.SPEC_EMPTY_VALUE,
            "edge/gw.spec.egress[0].ports",
            "8:14",
            "leave ports out to mean all ports"),
        new Case(
            "an allowed caller's namespace \"*\"",
            MEMBER
                + """
                  allowedCallers:
                    - {name: web, namespace: "*"}
                """,
            DiagnosticCode.SPEC_INVALID_VALUE,
            "edge/gw.spec.allowedCallers[0].namespace",
            "7:30",
            "name it, or, to mean any service in any namespace, write the name \"*\""),
        new Case(
            "an allowed caller with an empty name",
            MEMBER
                + """
                  allowedCallers:
                    - {name: ""}
                """,
            DiagnosticCode.SPEC_EMPTY_VALUE,
            "edge/gw.spec.allowedCallers[0].name",
            "7:14",
            "name the service, or \"*\" for any service"),
        new Case(
            "egress to ::/0",
            MEMBER
                + """
                  egress:
                    - target: {cidr: "::/0"}
                      ports: [443]
                """,
            DiagnosticCode.INVALID_EGRESS,
            "edge/gw.egress[::/0]",
            "7:7",
            "use world"),
        new Case(
            "an advertise entry that is neither namespace/name nor *",
            MEMBER
                + """
                  advertise:
                    allowedServices: [gateway]
                """,
            DiagnosticCode.SPEC_INVALID_VALUE,
            "edge/gw.spec.advertise.allowedServices[0]",
            "7:23",
            "write e.g. edge/gateway"),
        // ---- LatticeJob and LatticeModel
        new Case(
            "a job without tasks",
            """
            apiVersion: lattice.dev/v1alpha1
            kind: LatticeJob
            metadata: {name: train, namespace: ml}
            spec:
              tasks: {}
            """,
            DiagnosticCode.SPEC_MISSING_FIELD,
            "ml/train.spec.tasks",
            "5:10",
            "a LatticeJob needs at least one task"),
        new Case(
            "a model's routing without its port",
            """
            apiVersion: lattice.dev/v1alpha1
            kind: LatticeModel
            metadata: {name: llm, namespace: ml}
            spec:
              routing:
                model: meta-llama/Llama-3-8B
              roles:
                serving: {}
            """,
            DiagnosticCode.SPEC_MISSING_FIELD,
            "ml/llm.spec.routing.port",
            "6:5",
            "e.g. port: 8000"),
        new Case(
            "a task whose member name is no Service name",
            """
            apiVersion: lattice.dev/v1alpha1
            kind: LatticeJob
            metadata: {name: train, namespace: ml}
            spec:
              tasks:
                w.1: {}
            """,
            DiagnosticCode.INVALID_NAME,
            "ml/train-w.1",
            "6:5",
            "did you mean \"train-w-1\"?"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void reportsOneLocatedErrorThatNamesTheFix(Case c) {
    SpecResult loaded = Specs.parse("case.yaml", c.yaml());
    List<Diagnostic> errors =
        loaded.hasErrors()
            ? loaded.diagnostics()
            : loaded.graph().orElseThrow().resolve().diagnostics();
    List<Diagnostic> found = errors.stream().filter(Diagnostic::isError).toList();

    assertThat(found).as("errors of %s", c.name()).hasSize(1);
    Diagnostic d = found.get(0);
    assertThat(d.code()).isEqualTo(c.code());
    assertThat(d.path()).isEqualTo(c.path());
    assertThat(Diags.at(d)).isEqualTo("case.yaml:" + c.at());
    assertThat(d.message()).contains(c.fix());
  }
}
