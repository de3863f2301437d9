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
import dev.lattice.model.Declaration;
import dev.lattice.model.Direction;
import dev.lattice.model.Egress;
import dev.lattice.model.Exposure;
import dev.lattice.model.HttpRule;
import dev.lattice.model.MeshMode;
import dev.lattice.model.PeerAuth;
import dev.lattice.model.PeerRef;
import dev.lattice.model.Port;
import dev.lattice.model.Protocol;
import dev.lattice.model.Service;
import dev.lattice.model.SourceLocation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecsTest {
  private static final Path SPECS = Path.of("src/test/resources/spec");

  private static SourceLocation loc(String file, int line, int column) {
    return SourceLocation.of(file, line, column);
  }

  // ---------------------------------------------------------------- LatticeService

  @Test
  void readsTheNetworkPartsOfAPlatformServiceAndIgnoresTheRest() {
    Path file = SPECS.resolve("platform/checkout.yaml");
    String f = file.toString();

    SpecResult result = Specs.load(file);

    assertThat(result.diagnostics()).isEmpty();
    Service s = service(graph(result), "shop/checkout");
    assertThat(s.source()).hasValue(loc(f, 6, 9));
    assertThat(s.serviceAccount()).isEqualTo("checkout-sa");
    assertThat(s.selector())
        .containsExactly(
            Map.entry("app.kubernetes.io/name", "checkout"), Map.entry("tier", "backend"));
    assertThat(s.mesh()).isEqualTo(MeshMode.AMBIENT);
    assertThat(s.allowPeerTraffic()).isFalse();

    assertThat(s.ports()).extracting(Port::name).containsExactly("http", "grpc", "metrics");
    Port http = s.port("http").orElseThrow();
    assertThat(http.port()).isEqualTo(80);
    assertThat(http.targetPort()).isEqualTo(8080);
    assertThat(http.protocol()).isEqualTo(Protocol.TCP);
    assertThat(http.peerAuth()).isEqualTo(PeerAuth.STRICT);
    assertThat(http.source()).hasValue(loc(f, 40, 9));
    assertThat(s.port("grpc").orElseThrow().targetPort()).isEqualTo(9090);
    Port metrics = s.port("metrics").orElseThrow();
    assertThat(metrics.peerAuth()).isEqualTo(PeerAuth.PERMISSIVE);
    assertThat(metrics.exposedTo()).containsExactly(Exposure.cidr("10.20.0.0/16"));
    assertThat(metrics.exposedTo().get(0).source()).hasValue(loc(f, 50, 23));

    assertThat(s.declarations())
        .containsExactly(
            Declaration.builder()
                .peer(PeerRef.named("web"))
                .direction(Direction.INBOUND)
                .addPorts("http")
                .addHttpRules(HttpRule.of(List.of("GET", "POST"), List.of("/cart/*", "/checkout")))
                .build(),
            Declaration.builder()
                .peer(PeerRef.of("data", "db"))
                .direction(Direction.OUTBOUND)
                .addPorts("pg")
                .build(),
            Declaration.builder()
                .peer(PeerRef.of("audit", "db"))
                .direction(Direction.OUTBOUND)
                .build());
    assertThat(s.declarations())
        .extracting(d -> d.source().orElseThrow())
        .containsExactly(loc(f, 52, 7), loc(f, 59, 7), loc(f, 66, 7));
    assertThat(s.declarations().get(0).httpRules().get(0).source()).hasValue(loc(f, 57, 15));

    assertThat(s.egress())
        .containsExactly(
            egress(new Egress.Fqdn("api.stripe.com"), 443),
            egress(new Egress.Fqdn("files.stripe.com"), 8443),
            egress(new Egress.Entity("kube-apiserver"), 6443));
    assertThat(s.egress())
        .extracting(e -> e.source().orElseThrow())
        .containsExactly(loc(f, 85, 18), loc(f, 86, 20), loc(f, 89, 13));
    assertThat(s.egress())
        .extracting(e -> e.label().orElseThrow())
        .containsExactly("stripe/api", "stripe/files", "kube");
  }

  private static Egress egress(Egress.Target target, int port) {
    return Egress.builder().target(target).addPorts(port).build();
  }

  /** {@code FQDN api.stripe.com [443] TCP}. */
  private static String describe(Egress e) {
    return e.target().getClass().getSimpleName().toUpperCase(java.util.Locale.ROOT)
        + " "
        + e.target().value()
        + " "
        + e.ports()
        + " "
        + e.protocol();
  }

  @Test
  void appliesTheDefaultsOfAMinimalService() {
    SpecResult result =
        Specs.parse(
            "api.yaml",
            """
            apiVersion: lattice.dev/v1alpha1
            kind: LatticeService
            metadata:
              name: api
            spec:
              workload:
                service:
                  ports:
                    http: {port: 8080}
                resources:
                  db: {}
            """);

    Service s = service(graph(result), "default/api");
    assertThat(s.namespace()).isEqualTo("default");
    assertThat(s.selector()).containsExactly(Map.entry("app.kubernetes.io/name", "api"));
    assertThat(s.serviceAccount()).isEqualTo("api");
    assertThat(s.mesh()).isEqualTo(MeshMode.AMBIENT);
    Port http = s.ports().get(0);
    assertThat(http.targetPort()).isEqualTo(8080);
    assertThat(http.protocol()).isEqualTo(Protocol.TCP);
    assertThat(http.peerAuth()).isEqualTo(PeerAuth.STRICT);
    assertThat(http.exposedTo()).isEmpty();
    Declaration db = s.declarations().get(0);
    assertThat(db.peer()).isEqualTo(PeerRef.named("db"));
    assertThat(db.direction()).isEqualTo(Direction.OUTBOUND);
    assertThat(db.ports()).isEmpty();
  }

  @Test
  void readsLatticeExtensionsOnAServiceOutOfTheMesh() {
    SpecResult result =
        Specs.parse(
            "legacy.yaml",
            """
            apiVersion: lattice.dev/v1alpha1
            kind: LatticeService
            metadata: {name: legacy, namespace: old}
            spec:
              ambient: false
              allowPeerTraffic: true
              workload:
                service:
                  ports:
                    dns: {port: 53, protocol: UDP}
                    sync: {port: 7000, protocol: SCTP, peerAuth: Permissive}
                    hook: {port: 9443, peerAuth: Webhook}
                    admin: {port: 8081, exposedTo: [world, kube-apiserver, "2001:db8::/32"]}
            """);

    Service s = service(graph(result), "old/legacy");
    assertThat(s.mesh()).isEqualTo(MeshMode.NONE);
    assertThat(s.allowPeerTraffic()).isTrue();
    assertThat(s.port("dns").orElseThrow().protocol()).isEqualTo(Protocol.UDP);
    assertThat(s.port("sync").orElseThrow().protocol()).isEqualTo(Protocol.SCTP);
    assertThat(s.port("sync").orElseThrow().peerAuth()).isEqualTo(PeerAuth.PERMISSIVE);
    // the platform's Webhook mode: plaintext from the API server only
    assertThat(s.port("hook").orElseThrow().peerAuth()).isEqualTo(PeerAuth.PERMISSIVE);
    assertThat(s.port("hook").orElseThrow().exposedTo()).containsExactly(Exposure.kubeApiserver());
    assertThat(s.port("admin").orElseThrow().exposedTo())
        .containsExactly(
            Exposure.world(), Exposure.kubeApiserver(), Exposure.cidr("2001:db8::/32"));
  }

  @Test
  void namesSameNamedPeersInTwoNamespacesThroughId() {
    SpecResult result =
        Specs.parse(
            "reports.yaml",
            """
            apiVersion: lattice.dev/v1alpha1
            kind: LatticeService
            metadata: {name: reports, namespace: shop}
            spec:
              workload:
                resources:
                  db: {namespace: data}
                  archive-db: {id: db, namespace: archive}
                  everyone: {id: "*", direction: inbound}
                  web: {direction: both, params: {ports: [http]}}
                service:
                  ports:
                    http: {port: 8080}
            """);

    Service s = service(graph(result), "shop/reports");
    assertThat(s.declarations())
        .extracting(Declaration::peer, Declaration::direction)
        .containsExactly(
            tuple(PeerRef.of("data", "db"), Direction.OUTBOUND),
            tuple(PeerRef.of("archive", "db"), Direction.OUTBOUND),
            tuple(PeerRef.any(), Direction.INBOUND),
            tuple(PeerRef.named("web"), Direction.BOTH));
    assertThat(s.declarations().get(3).ports()).containsExactly("http");
  }

  @Test
  void readsEveryEndpointFormOfAnExternalService() {
    SpecResult result =
        Specs.parse(
            "egress.yaml",
            """
            apiVersion: lattice.dev/v1alpha1
            kind: LatticeService
            metadata: {name: worker, namespace: jobs}
            spec:
              workload:
                resources:
                  internet:
                    type: external-service
                    params:
                      endpoints:
                        stripe: https://api.stripe.com/v1
                        legacy: http://legacy.example.com:8080
                        pg: tcp://pg.example.com:5432
                        ntp: udp://ntp.example.com:123
                        grpc: grpc://grpc.example.com:50051
                        redis: redis.example.com:6379
                        s3: "*.s3.amazonaws.com:443"
                        vm: 10.1.2.3:22
                        v6: "[2001:db8::1]:443"
                        office: 10.0.0.0/8:5432
                        office6: 2001:db8::/32:443
                  world:
                    type: external-service
                    id: entity:world
            """);

    Service s = service(graph(result), "jobs/worker");
    assertThat(s.egress())
        .extracting(SpecsTest::describe)
        .containsExactly(
            "FQDN api.stripe.com [443] TCP",
            "FQDN legacy.example.com [8080] TCP",
            "FQDN pg.example.com [5432] TCP",
            "FQDN ntp.example.com [123] UDP",
            "FQDN grpc.example.com [50051] TCP",
            "FQDN redis.example.com [6379] TCP",
            "FQDN *.s3.amazonaws.com [443] TCP",
            "CIDR 10.1.2.3/32 [22] TCP",
            "CIDR 2001:db8::1/128 [443] TCP",
            "CIDR 10.0.0.0/8 [5432] TCP",
            "CIDR 2001:db8::/32 [443] TCP",
            "ENTITY world [443] TCP");
    assertThat(s.declarations()).isEmpty();
    assertThat(graph(result).resolve().diagnostics()).isEmpty();
  }

  @Test
  void exposesEveryPortOfALoadBalancerToTheWorldAndMakesItPermissive() {
    SpecResult result =
        Specs.parse(
            "lb.yaml",
            """
            apiVersion: lattice.dev/v1alpha1
            kind: LatticeService
            metadata: {name: edge, namespace: shop}
            spec:
              workload:
                service:
                  serviceType: LoadBalancer
                  ports:
                    https: {port: 443, targetPort: 8443}
                    admin: {port: 9000, peerAuth: PERMISSIVE, exposedTo: [world]}
            """);

    Service s = service(graph(result), "shop/edge");
    for (Port p : s.ports()) {
      assertThat(p.peerAuth()).isEqualTo(PeerAuth.PERMISSIVE);
      assertThat(p.exposedTo()).containsExactly(Exposure.world());
    }
    Diagnostic info = single(result, DiagnosticCode.LOAD_BALANCER_EXPOSED);
    assertThat(at(info)).isEqualTo("lb.yaml:7:20");
    assertThat(info.path()).isEqualTo("shop/edge.spec.workload.service.serviceType");
    assertThat(info.message()).contains("https, admin", "world", "PERMISSIVE", "ClusterIP");
    // the note travels with the graph, so resolution reports it too
    assertThat(graph(result).resolve().diagnostics()).contains(info);
    assertThat(graph(result).resolve().hasErrors()).isFalse();
  }

  @Test
  void warnsThatACidrExposureOnANodePortOnlyMatchesWithoutSnat() {
    SpecResult result =
        Specs.parse(
            "np.yaml",
            """
            apiVersion: lattice.dev/v1alpha1
            kind: LatticeService
            metadata: {name: edge, namespace: shop}
            spec:
              workload:
                service:
                  serviceType: NodePort
                  ports:
                    http: {port: 80, exposedTo: [10.20.0.0/16]}
            """);

    Diagnostic warning = single(result, DiagnosticCode.CIDR_BEHIND_SNAT);
    assertThat(at(warning)).isEqualTo("np.yaml:9:38");
    assertThat(warning.message()).contains("SNAT", "externalTrafficPolicy: Local");
    assertThat(service(graph(result), "shop/edge").ports().get(0).exposedTo())
        .containsExactly(Exposure.cidr("10.20.0.0/16"), Exposure.world());
  }

  // ---------------------------------------------------------------- LatticeMeshMember

  @Test
  void readsAMeshMemberWithEveryField() {
    SpecResult result =
        Specs.parse(
            "gateway.yaml",
            """
            apiVersion: lattice.dev/v1alpha1
            kind: LatticeMeshMember
            metadata:
              name: gateway
              namespace: edge
            spec:
              target:
                selector:
                  app: istio-gateway
                  version: 2
              ports:
                - name: https
                  port: 8443
                  servicePort: 443
                  peerAuth: PERMISSIVE
                  exposedTo: [world]
                - name: status
                  port: 15021
                  protocol: TCP
                  peerAuth: STRICT
                - name: webhook
                  port: 9443
                  peerAuth: Webhook
              allowedCallers:
                - name: prometheus
                  namespace: monitoring
                - name: "*"
              dependencies:
                - name: web
                  namespace: shop
                - name: prometheus
                  namespace: monitoring
              egress:
                - target: {fqdn: api.stripe.com}
                  ports: [443]
                - target: {cidr: 10.0.0.0/8}
                  ports: [5432, 5433]
                  protocol: TCP
                - target: {entity: kube-apiserver}
                  ports: [6443]
                - target: {fqdn: ntp.example.com}
                  ports: [123]
                  protocol: UDP
              allowPeerTraffic: true
              dependsAll: true
              serviceAccount: istio-gateway
              ambient: true
              ingress: {routes: {}}
            """);

    Service s = service(graph(result), "edge/gateway");
    assertThat(s.source()).hasValue(loc("gateway.yaml", 4, 9));
    assertThat(s.selector())
        .containsExactly(Map.entry("app", "istio-gateway"), Map.entry("version", "2"));
    assertThat(s.serviceAccount()).isEqualTo("istio-gateway");
    assertThat(s.allowPeerTraffic()).isTrue();
    assertThat(s.mesh()).isEqualTo(MeshMode.AMBIENT);

    Port https = s.port("https").orElseThrow();
    assertThat(https.port()).isEqualTo(443);
    assertThat(https.targetPort()).isEqualTo(8443);
    assertThat(https.peerAuth()).isEqualTo(PeerAuth.PERMISSIVE);
    assertThat(https.exposedTo()).containsExactly(Exposure.world());
    assertThat(https.source()).hasValue(loc("gateway.yaml", 12, 7));
    Port status = s.port("status").orElseThrow();
    assertThat(status.port()).isEqualTo(15021);
    assertThat(status.targetPort()).isEqualTo(15021);
    assertThat(s.port("webhook").orElseThrow().exposedTo())
        .containsExactly(Exposure.kubeApiserver());

    assertThat(s.declarations())
        .extracting(Declaration::peer, Declaration::direction)
        .containsExactly(
            tuple(PeerRef.of("monitoring", "prometheus"), Direction.INBOUND),
            tuple(PeerRef.any(), Direction.INBOUND),
            tuple(PeerRef.of("shop", "web"), Direction.OUTBOUND),
            tuple(PeerRef.of("monitoring", "prometheus"), Direction.OUTBOUND),
            tuple(PeerRef.any(), Direction.OUTBOUND));
    assertThat(s.declarations())
        .extracting(d -> d.source().orElseThrow())
        .containsExactly(
            loc("gateway.yaml", 25, 7),
            loc("gateway.yaml", 27, 7),
            loc("gateway.yaml", 29, 7),
            loc("gateway.yaml", 31, 7),
            loc("gateway.yaml", 45, 15));

    assertThat(s.egress())
        .extracting(SpecsTest::describe)
        .containsExactly(
            "FQDN api.stripe.com [443] TCP",
            "CIDR 10.0.0.0/8 [5432, 5433] TCP",
            "ENTITY kube-apiserver [6443] TCP",
            "FQDN ntp.example.com [123] UDP");
    assertThat(s.egress().get(1).source()).hasValue(loc("gateway.yaml", 36, 7));
  }

  @Test
  void aMeshMemberThatBothCallsAndAdmitsAPeerResolvesBothWays() {
    SpecResult result =
        Specs.parse(
            "pair.yaml",
            """
            apiVersion: lattice.dev/v1alpha1
            kind: LatticeMeshMember
            metadata: {name: agent, namespace: ops}
            spec:
              target: {selector: {app: agent}}
              ports: [{name: grpc, port: 9000}]
              allowedCallers: [{name: collector}]
              dependencies: [{name: collector}]
            ---
            apiVersion: lattice.dev/v1alpha1
            kind: LatticeMeshMember
            metadata: {name: collector, namespace: ops}
            spec:
              target: {selector: {app: collector}}
              ports: [{name: otlp, port: 4317}]
              allowedCallers: [{name: agent}]
              dependencies: [{name: agent}]
            """);

    var topology = graph(result).resolve();

    assertThat(topology.diagnostics()).isEmpty();
    assertThat(topology.agreements())
        .extracting(a -> a.caller() + " -> " + a.callee())
        .containsExactly("ops/agent -> ops/collector", "ops/collector -> ops/agent");
  }

  // ---------------------------------------------------------------- streams and files

  @Test
  void readsAMultiDocumentStreamAndSkipsOtherKindsWithANote() {
    SpecResult result =
        Specs.parse(
            "stream.yaml",
            """
            # leading comment
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: shop}
            spec: {replicas: 2}
            ---
            ---
            apiVersion: lattice.dev/v1alpha1
            kind: LatticeService
            metadata: {name: web, namespace: shop}
            spec: {}
            ...
            ---
            apiVersion: lattice.dev/v1alpha1
            kind: LatticeMeshMember
            metadata: {name: gw, namespace: shop}
            spec: {target: {selector: {app: gw}}}
            """);

    assertThat(graph(result).services())
        .extracting(s -> s.id().toString())
        .containsExactly("shop/web", "shop/gw");
    Diagnostic skipped = single(result, DiagnosticCode.SPEC_SKIPPED_KIND);
    assertThat(at(skipped)).isEqualTo("stream.yaml:4:7");
    assertThat(skipped.message()).contains("Deployment shop/web");
    assertThat(result.diagnostics()).containsExactly(skipped);
  }

  @Test
  void loadsADirectoryRecursivelyInNameOrderSkippingHiddenAndOtherFiles() {
    Path dir = SPECS.resolve("tree");

    SpecResult result = Specs.load(dir);

    ServiceGraph g = graph(result);
    assertThat(g.services())
        .extracting(s -> s.source().orElseThrow().toString())
        .containsExactly(
            dir + "/a-gateway.yaml:3:18",
            dir + "/shop/nested/api.yml:3:18",
            dir + "/shop/web.yaml:3:18");
    assertThat(g.resolve().agreements())
        .extracting(Object::toString)
        .containsExactly("shop/web -> shop/api [http 8080/TCP]");
  }

  @Test
  void keepsFileNamesAsTheCallerGaveThem(@TempDir Path tmp) throws Exception {
    Files.writeString(
        tmp.resolve("api.yaml"),
        "apiVersion: lattice.dev/v1alpha1\n"
            + "kind: LatticeService\n"
            + "metadata: {name: api}\n"
            + "spec: {}\n");

    SpecResult absolute = Specs.load(tmp.resolve("api.yaml"));
    SpecResult relative = Specs.load(SPECS.resolve("two-files/data.yaml"));

    assertThat(service(graph(absolute), "api").source())
        .hasValue(loc(tmp.resolve("api.yaml").toString(), 3, 18));
    assertThat(service(graph(relative), "data/db").source().orElseThrow().file())
        .isEqualTo("src/test/resources/spec/two-files/data.yaml");
  }

  @Test
  void expandsAnchorsAliasesAndMergeKeys() {
    SpecResult result =
        Specs.parse(
            "anchors.yaml",
            """
            apiVersion: lattice.dev/v1alpha1
            kind: LatticeService
            metadata: {name: api, namespace: &ns shop}
            spec:
              workload:
                service:
                  ports:
                    http: &permissive
                      port: 80
                      peerAuth: PERMISSIVE
                    admin:
                      <<: *permissive
                      port: 81
                    debug: {<<: [*permissive], peerAuth: STRICT, port: 82}
                resources:
                  web: &in {direction: inbound, namespace: *ns}
                  gw: *in
            """);

    Service s = service(graph(result), "shop/api");
    assertThat(s.ports())
        .extracting(p -> p.name() + " " + p.port() + " " + p.peerAuth())
        .containsExactly("http 80 PERMISSIVE", "admin 81 PERMISSIVE", "debug 82 STRICT");
    assertThat(s.declarations())
        .extracting(Declaration::peer)
        .containsExactly(PeerRef.of("shop", "web"), PeerRef.of("shop", "gw"));
    // a resource given by an alias is located at its own key
    assertThat(s.declarations().get(1).source()).hasValue(loc("anchors.yaml", 17, 7));
  }

  @Test
  void acceptsAByteOrderMarkAndWindowsLineEnds(@TempDir Path tmp) throws Exception {
    String yaml =
        "\uFEFFapiVersion: lattice.dev/v1alpha1\r\nkind: LatticeService\r\n"
            + "metadata: {name: api}\r\nspec: {}\r\n";
    Path utf8 = Files.write(tmp.resolve("bom.yaml"), yaml.getBytes(StandardCharsets.UTF_8));
    Path utf16 = Files.write(tmp.resolve("utf16.yaml"), yaml.getBytes(StandardCharsets.UTF_16LE));

    assertThat(service(graph(Specs.load(utf8)), "api").source())
        .hasValue(loc(utf8.toString(), 3, 18));
    assertThat(service(graph(Specs.load(utf16)), "api").source())
        .hasValue(loc(utf16.toString(), 3, 18));
  }

  @Test
  void loadingIsDeterministic() {
    List<Path> inputs =
        List.of(SPECS.resolve("tree"), SPECS.resolve("platform"), SPECS.resolve("two-files"));

    SpecResult first = Specs.load(inputs);
    SpecResult second = Specs.load(inputs);

    assertThat(second.diagnostics()).isEqualTo(first.diagnostics());
    assertThat(second.graph().orElseThrow().services())
        .isEqualTo(first.graph().orElseThrow().services());
    assertThat(second.graph().orElseThrow().services())
        .extracting(s -> s.source().orElseThrow())
        .isEqualTo(
            first.graph().orElseThrow().services().stream()
                .map(s -> s.source().orElseThrow())
                .toList());
    assertThat(second.graph().orElseThrow().resolve().diagnostics())
        .isEqualTo(first.graph().orElseThrow().resolve().diagnostics());
  }

  @Test
  void orThrowReturnsTheGraphOfCleanSpecs() {
    SpecResult result = Specs.load(SPECS.resolve("two-files"));

    assertThat(result.hasErrors()).isFalse();
    assertThat(result.orThrow().services()).hasSize(3);
    assertThat(result.graph()).isEqualTo(Optional.of(result.orThrow()));
  }
}
