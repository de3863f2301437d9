package dev.lattice.spec;

import static dev.lattice.spec.Diags.at;
import static dev.lattice.spec.Diags.graph;
import static dev.lattice.spec.Diags.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.diagnostics.DiagnosticCode;
import dev.lattice.graph.Topology;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Loaded specs through {@code resolve()}: agreements, and errors at the lines that caused them. */
class SpecResolutionTest {
  private static final Path SPECS = Path.of("src/test/resources/spec");

  private static Topology resolve(String yaml) {
    return graph(Specs.parse("api.yaml", yaml)).resolve();
  }

  @Test
  void twoFilesResolveToTheAgreementsBothSidesDeclared() {
    Topology t = graph(Specs.load(SPECS.resolve("two-files"))).resolve();

    assertThat(t.diagnostics()).isEmpty();
    assertThat(t.agreements())
        .extracting(Object::toString)
        .containsExactly(
            "shop/api -> data/db [pg 5432/TCP]", "shop/web -> shop/api [http 80->8080/TCP]");
    // each side of an agreement is located where it was written
    String shop = SPECS.resolve("two-files/shop.yaml").toString();
    String data = SPECS.resolve("two-files/data.yaml").toString();
    assertThat(t.agreements().get(0).outboundSource().orElseThrow().toString())
        .isEqualTo(shop + ":26:7");
    assertThat(t.agreements().get(0).inboundSource().orElseThrow().toString())
        .isEqualTo(data + ":12:7");
  }

  @Test
  void portsZeroAnd65536AreReportedByResolutionWhereTheyWereWritten() {
    Topology t =
        resolve(
            """
            apiVersion: lattice.dev/v1alpha1
            kind: LatticeService
            metadata: {name: api, namespace: shop}
            spec:
              workload:
                service:
                  ports:
                    zero: {port: 0}
                    big: {port: 8080, targetPort: 65536}
            """);

    assertThat(t.diagnostics())
        .filteredOn(d -> d.code() == DiagnosticCode.PORT_OUT_OF_RANGE)
        .extracting(Diags::at, Diagnostic::path, Diagnostic::message)
        .containsExactly(
            tuple("api.yaml:8:9", "shop/api.ports[zero]", "port must be 1..65535, got 0"),
            tuple("api.yaml:9:9", "shop/api.ports[big]", "targetPort must be 1..65535, got 65536"));
  }

  @Test
  void duplicatePortNumbersAreReportedAtTheSecondPort() {
    Topology t =
        resolve(
            """
            apiVersion: lattice.dev/v1alpha1
            kind: LatticeMeshMember
            metadata: {name: api, namespace: shop}
            spec:
              target: {selector: {app: api}}
              ports:
                - {name: http, port: 8080}
                - {name: alt, port: 8080}
            """);

    Diagnostic d = single(t.diagnostics(), DiagnosticCode.DUPLICATE_PORT);
    assertThat(at(d)).isEqualTo("api.yaml:8:7");
    assertThat(d.path()).isEqualTo("shop/api.ports[alt]");
    assertThat(d.message()).contains("8080/TCP twice", "remove one or give it another number");
  }

  @Test
  void theSameServiceDeclaredDifferentlyInTwoFilesPointsAtBoth() {
    Topology t = graph(Specs.load(SPECS.resolve("duplicate"))).resolve();

    Diagnostic d = single(t.diagnostics(), DiagnosticCode.DUPLICATE_SERVICE);
    assertThat(at(d)).isEqualTo(SPECS.resolve("duplicate/b.yaml") + ":4:9");
    assertThat(d.path()).isEqualTo("shop/api");
    assertThat(d.message())
        .contains("first at " + SPECS.resolve("duplicate/a.yaml") + ":4:9", "keep one definition");
  }

  @Test
  void theSameServiceDeclaredIdenticallyTwiceIsOneService() {
    Path a = SPECS.resolve("duplicate/a.yaml");

    Topology t = graph(Specs.load(List.of(a, a))).resolve();

    assertThat(t.diagnostics()).isEmpty();
    assertThat(t.services()).hasSize(1);
  }

  @Test
  void locationsOfDeclarationsHttpRulesAndEgressReachResolution() {
    Topology t =
        resolve(
            """
            apiVersion: lattice.dev/v1alpha1
            kind: LatticeService
            metadata: {name: api, namespace: shop}
            spec:
              ambient: false
              workload:
                service:
                  ports:
                    http: {port: 8080}
                resources:
                  api: {direction: inbound}
                  web:
                    direction: inbound
                    params:
                      ports: [grpc]
                      http:
                        - methods: [get]
                  cdn:
                    type: external-service
                    params: {endpoints: {assets: "cdn.example.com:99999"}}
            """);

    assertThat(t.diagnostics())
        .filteredOn(Diagnostic::isError)
        .extracting(Diagnostic::code, Diags::at)
        .containsExactly(
            tuple(DiagnosticCode.SELF_REFERENCE, "api.yaml:11:7"),
            tuple(DiagnosticCode.HTTP_WITHOUT_WAYPOINT, "api.yaml:12:7"),
            tuple(DiagnosticCode.UNKNOWN_PORT, "api.yaml:12:7"),
            tuple(DiagnosticCode.INVALID_HTTP_RULE, "api.yaml:17:15"),
            tuple(DiagnosticCode.PORT_OUT_OF_RANGE, "api.yaml:20:38"));
  }
}
