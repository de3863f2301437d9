package dev.lattice.spec;

import static dev.lattice.spec.Diags.at;
import static dev.lattice.spec.Diags.graph;
import static dev.lattice.spec.Diags.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.diagnostics.DiagnosticCode;
import dev.lattice.diagnostics.LatticeException;
import dev.lattice.diagnostics.Severity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per kind of bad input: the code, the path, the exact location, and the fix. */
class SpecErrorsTest {
  private static final Path SPECS = Path.of("src/test/resources/spec");

  /** A LatticeService shop/api whose {@code spec.workload} continues with {@code lines}. */
  private static SpecResult api(String... lines) {
    return Specs.parse(
        "api.yaml",
        "apiVersion: lattice.dev/v1alpha1\n"
            + "kind: LatticeService\n"
            + "metadata: {name: api, namespace: shop}\n"
            + "spec:\n"
            + "  workload:\n"
            + String.join("\n", lines)
            + "\n");
  }

  private static void assertOnlyError(SpecResult result, Diagnostic d) {
    assertThat(result.hasErrors()).isTrue();
    assertThat(result.graph()).isEmpty();
    assertThat(result.diagnostics()).filteredOn(Diagnostic::isError).containsExactly(d);
  }

  // ---------------------------------------------------------------- YAML

  @Test
  void reportsMalformedYamlWhereSnakeYamlFoundItAndWhatClosesIt() {
    SpecResult result =
        Specs.parse(
            "api.yaml",
            """
            apiVersion: lattice.dev/v1alpha1
            kind: LatticeService
            metadata: {name: api, namespace: shop
            spec: {}
            """);

    Diagnostic d = single(result, DiagnosticCode.YAML_SYNTAX);
    assertOnlyError(result, d);
    assertThat(at(d)).isEqualTo("api.yaml:4:5");
    assertThat(d.path()).isEqualTo("api.yaml");
    assertThat(d.message())
        .contains("flow mapping that starts at line 3, column 11", "close the mapping with '}'")
        .doesNotContain("Exception", "org.yaml", "com.fasterxml", "\n");
  }

  @Test
  void reportsATabInIndentationAsSyntaxAskingForSpaces() {
    SpecResult result = Specs.parse("tabs.yaml", "kind: LatticeService\nmetadata:\n\tname: api\n");

    Diagnostic d = single(result, DiagnosticCode.YAML_SYNTAX);
    assertThat(at(d)).isEqualTo("tabs.yaml:3:1");
    assertThat(d.message()).contains("tab", "indent YAML with spaces");
  }

  @Test
  void reportsADuplicateKeyAtTheSecondOneNamingTheFirst() {
    SpecResult result =
        api("    service:", "      ports:", "        http: {port: 80}", "        http: {port: 81}");

    Diagnostic d = single(result, DiagnosticCode.YAML_DUPLICATE_KEY);
    assertOnlyError(result, d);
    assertThat(at(d)).isEqualTo("api.yaml:9:9");
    assertThat(d.message()).contains("\"http\"", "first at line 8, column 9", "remove one");
  }

  @Test
  void stopsABillionLaughsAliasBombAtTheAliasThatCrossesTheBudget() {
    StringBuilder bomb = new StringBuilder("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    String previous = "a";
    for (String n : List.of("b", "c", "d", "e", "f", "g", "h", "i")) {
      bomb.append(n).append(": &").append(n).append(" [");
      bomb.append(String.join(", ", Collections.nCopies(9, "*" + previous)));
      bomb.append("]\n");
      previous = n;
    }

    SpecResult result =
        assertTimeoutPreemptively(
            Duration.ofSeconds(5), () -> Specs.parse("bomb.yaml", bomb.toString()));

    Diagnostic d = single(result, DiagnosticCode.YAML_TOO_LARGE);
    assertOnlyError(result, d);
    // a..f expand to 672,603 nodes; g's first *f (597,871 more) crosses the 1,000,000 budget
    assertThat(at(d)).isEqualTo("bomb.yaml:7:8");
    assertThat(d.message()).contains("aliases", "1000000 nodes");
  }

  @Test
  void refusesATenMegabyteGarbageFileQuicklyWithOneDiagnostic(@TempDir Path tmp) throws Exception {
    byte[] garbage = new byte[10 * 1024 * 1024];
    new Random(7).nextBytes(garbage);
    Path file = Files.write(tmp.resolve("garbage.yaml"), garbage);

    SpecResult result = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> Specs.load(file));

    Diagnostic d = single(result, DiagnosticCode.YAML_TOO_LARGE);
    assertThat(result.diagnostics()).containsExactly(d);
    assertThat(at(d)).isEqualTo(file + ":1:1");
    assertThat(d.message()).contains("10.0 MiB", "at most 8 MiB", "Split it");
  }

  @Test
  void refusesNestingDeeperThanASpecNeeds() {
    // the document's mapping is the first level, so the 64th '[' is one too many
    String deep = "a: " + "[".repeat(200) + "]".repeat(200) + "\n";

    SpecResult result = Specs.parse("deep.yaml", deep);

    Diagnostic d = single(result, DiagnosticCode.YAML_TOO_LARGE);
    assertThat(at(d)).isEqualTo("deep.yaml:1:67");
    assertThat(d.message()).contains("deeper than 64 levels");
  }

  @Test
  void refusesALineLongerThanAnySpecNeedsBeforeParsingIt() {
    String yaml = "kind: LatticeService\nmetadata: {name: " + "a".repeat(300_000) + "}\n";

    SpecResult result =
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> Specs.parse("long.yaml", yaml));

    Diagnostic d = single(result, DiagnosticCode.YAML_TOO_LARGE);
    assertThat(result.diagnostics()).containsExactly(d);
    assertThat(at(d)).isEqualTo("long.yaml:2:1");
    assertThat(d.message()).contains("line 2 is 300018 characters long", "at most 262144");
  }

  @Test
  void refusesAFileWithMoreValuesThanAnySpecNeeds() {
    StringBuilder yaml = new StringBuilder();
    for (int i = 0; i < 350_000; i++) {
      yaml.append("k").append(i).append(": [1, 2]\n");
    }

    Diagnostic d = single(Specs.parse("many.yaml", yaml.toString()), DiagnosticCode.YAML_TOO_LARGE);

    assertThat(d.message())
        .contains("more than 1000000 values", "Split it")
        .doesNotContain("alias");
  }

  @Test
  void refusesANumberLongerThanAnyPortWithoutNamingJacksonInternals() {
    SpecResult result =
        api("    service:", "      ports:", "        http: {port: " + "9".repeat(150) + "}");

    Diagnostic d = single(result, DiagnosticCode.YAML_TOO_LARGE);
    assertThat(at(d)).isEqualTo("api.yaml:8:22");
    assertThat(d.message())
        .isEqualTo(
            "Number value length (150) exceeds the maximum allowed (100); Lattice does not read"
                + " values this large");
  }

  @Test
  void reportsAnAliasWithoutAnchor() {
    SpecResult result = api("    resources:", "      db: *database");

    Diagnostic d = single(result, DiagnosticCode.YAML_SYNTAX);
    assertThat(at(d)).isEqualTo("api.yaml:7:11");
    assertThat(d.message()).contains("*database names no anchor", "define &database");
  }

  @Test
  void reportsBytesThatAreNotUtf8WithTheirPlace(@TempDir Path tmp) throws Exception {
    byte[] latin1 =
        "kind: LatticeService\nmetadata: {name: café}\n".getBytes(StandardCharsets.ISO_8859_1);
    Path file = Files.write(tmp.resolve("latin1.yaml"), latin1);

    SpecResult result = Specs.load(file);

    Diagnostic d = single(result, DiagnosticCode.YAML_SYNTAX);
    assertThat(at(d)).isEqualTo(file + ":2:21");
    assertThat(d.message()).contains("not valid UTF-8", "0xE9", "save the file as UTF-8");
  }

  @Test
  void reportsAControlCharacterAsABinaryFile() {
    SpecResult result = Specs.parse("bin.yaml", "kind: LatticeService\nmetadata: \u0000\n");

    Diagnostic d = single(result, DiagnosticCode.YAML_SYNTAX);
    assertThat(at(d)).isEqualTo("bin.yaml:2:11");
    assertThat(d.message()).contains("U+0000", "binary file");
  }

  // ---------------------------------------------------------------- files

  @Test
  void warnsAboutAnEmptyFileAndLoadsTheOthers() {
    Path empty = SPECS.resolve("empty.yaml");

    SpecResult result = Specs.load(empty, SPECS.resolve("two-files"));

    Diagnostic d = single(result, DiagnosticCode.SPEC_EMPTY_FILE);
    assertThat(d.severity()).isEqualTo(Severity.WARNING);
    assertThat(at(d)).isEqualTo(empty + ":1:1");
    assertThat(d.message()).contains("holds no YAML document", "remove the file");
    assertThat(graph(result).services()).hasSize(3);
  }

  @Test
  void reportsNoSpecsForADirectoryWithoutSpecFiles() {
    Path dir = SPECS.resolve("no-specs");

    SpecResult result = Specs.load(dir);

    Diagnostic d = single(result, DiagnosticCode.NO_SPECS);
    assertOnlyError(result, d);
    assertThat(d.path()).isEqualTo(dir.toString());
    assertThat(d.location()).isEmpty();
    assertThat(d.message()).contains(dir + " holds no *.yaml or *.yml files");
  }

  @Test
  void reportsNoSpecsWhenTheInputsHoldOnlyOtherKinds() {
    SpecResult result =
        Specs.parse(
            "deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n");

    Diagnostic d = single(result, DiagnosticCode.NO_SPECS);
    assertThat(d.path()).isEqualTo("deploy.yaml");
    assertThat(d.message())
        .contains(
            "no LatticeService, LatticeMeshMember, LatticeJob or LatticeModel found in deploy.yaml");
    assertThat(single(result, DiagnosticCode.SPEC_SKIPPED_KIND).message())
        .contains("Deployment web");
  }

  @Test
  void reportsNoSpecsWhenNoPathIsGiven() {
    Diagnostic d = single(Specs.load(List.of()), DiagnosticCode.NO_SPECS);

    assertThat(d.path()).isEqualTo("(no paths)");
    assertThat(d.message()).contains("name the files or directories");
  }

  @Test
  void reportsAPathThatDoesNotExist() {
    Path missing = SPECS.resolve("does-not-exist.yaml");

    SpecResult result = Specs.load(missing);

    Diagnostic d = single(result, DiagnosticCode.IO_ERROR);
    assertOnlyError(result, d);
    assertThat(d.path()).isEqualTo(missing.toString());
    assertThat(d.message()).contains("does not exist", "check the path");
  }

  // ---------------------------------------------------------------- documents

  @Test
  void reportsADocumentWithoutKindOrApiVersion() {
    SpecResult result = Specs.parse("bare.yaml", "metadata: {name: api}\nspec: {}\n");

    assertThat(result.diagnostics())
        .filteredOn(d -> d.code() == DiagnosticCode.SPEC_MISSING_FIELD)
        .extracting(Diags::at, Diagnostic::message)
        .containsExactly(
            tuple(
                "bare.yaml:1:1",
                "missing field \"apiVersion\": every document needs apiVersion and kind"
                    + " (apiVersion: lattice.dev/v1alpha1, kind: LatticeService)"),
            tuple(
                "bare.yaml:1:1",
                "missing field \"kind\": every document needs apiVersion and kind (apiVersion:"
                    + " lattice.dev/v1alpha1, kind: LatticeService)"));
  }

  @Test
  void rejectsAWrongApiVersionForOurKinds() {
    SpecResult result =
        Specs.parse(
            "v1.yaml",
            "apiVersion: lattice.dev/v1\nkind: LatticeService\nmetadata: {name: api}\nspec: {}\n");

    Diagnostic d = single(result, DiagnosticCode.SPEC_INVALID_VALUE);
    assertOnlyError(result, d);
    assertThat(at(d)).isEqualTo("v1.yaml:1:13");
    assertThat(d.message()).contains("write apiVersion: lattice.dev/v1alpha1");
  }

  @Test
  void rejectsAMisspelledKindInsteadOfSkippingIt() {
    SpecResult result =
        Specs.parse(
            "typo.yaml",
            "apiVersion: lattice.dev/v1alpha1\nkind: LatticeSevice\nmetadata: {name: api}\n");

    Diagnostic d = single(result, DiagnosticCode.SPEC_INVALID_VALUE);
    assertThat(at(d)).isEqualTo("typo.yaml:2:7");
    assertThat(d.message()).contains("did you mean LatticeService?");
  }

  @Test
  void reportsAServiceWithoutName() {
    SpecResult result =
        Specs.parse(
            "noname.yaml",
            "apiVersion: lattice.dev/v1alpha1\nkind: LatticeService\n"
                + "metadata: {namespace: shop}\nspec: {}\n");

    Diagnostic d = single(result, DiagnosticCode.SPEC_MISSING_FIELD);
    assertOnlyError(result, d);
    assertThat(at(d)).isEqualTo("noname.yaml:3:11");
    assertThat(d.path()).isEqualTo("noname.yaml");
    assertThat(d.message()).contains("\"name\"", "every service needs a name");
  }

  @Test
  void pointsAtAMisspelledSpec() {
    SpecResult result =
        Specs.parse(
            "sepc.yaml",
            "apiVersion: lattice.dev/v1alpha1\nkind: LatticeService\n"
                + "metadata: {name: api}\nsepc: {}\n");

    Diagnostic d = single(result, DiagnosticCode.SPEC_MISSING_FIELD);
    assertThat(d.message()).contains("\"spec\"", "is \"sepc\" a misspelling of spec?");
  }

  // ---------------------------------------------------------------- types

  @Test
  void reportsTextWhereAMappingBelongs() {
    SpecResult result = api("    service: http");

    Diagnostic d = single(result, DiagnosticCode.SPEC_TYPE);
    assertOnlyError(result, d);
    assertThat(at(d)).isEqualTo("api.yaml:6:14");
    assertThat(d.path()).isEqualTo("shop/api.spec.workload.service");
    assertThat(d.message())
        .isEqualTo(
            "service must be a mapping (e.g. ports: {http: {port: 8080}}), got the text \"http\"");
  }

  @Test
  void reportsAWordWhereAPortNumberBelongs() {
    SpecResult result = api("    service:", "      ports:", "        http: {port: eighty}");

    Diagnostic d = single(result, DiagnosticCode.SPEC_TYPE);
    assertOnlyError(result, d);
    assertThat(at(d)).isEqualTo("api.yaml:8:22");
    assertThat(d.path()).isEqualTo("shop/api.spec.workload.service.ports[http].port");
    assertThat(d.message())
        .contains("must be an integer (a port number such as 8080)", "\"eighty\"");
  }

  @Test
  void reportsAFractionalPortNumber() {
    SpecResult result = api("    service:", "      ports:", "        http: {port: 80.5}");

    Diagnostic d = single(result, DiagnosticCode.SPEC_TYPE);
    assertThat(at(d)).isEqualTo("api.yaml:8:22");
    assertThat(d.message()).contains("the number 80.5", "ports are whole numbers");
  }

  @Test
  void asksToUnquoteAQuotedPortNumber() {
    SpecResult result = api("    service:", "      ports:", "        http: {port: \"8080\"}");

    assertThat(single(result, DiagnosticCode.SPEC_TYPE).message())
        .contains("write 8080 without quotes");
  }

  @Test
  void reportsAListWherePortsByNameBelong() {
    SpecResult result = api("    service:", "      ports: [http, grpc]");

    Diagnostic d = single(result, DiagnosticCode.SPEC_TYPE);
    assertOnlyError(result, d);
    assertThat(at(d)).isEqualTo("api.yaml:7:14");
    assertThat(d.path()).isEqualTo("shop/api.spec.workload.service.ports");
    assertThat(d.message()).contains("port names to ports, e.g. http: {port: 8080}", "got a list");
  }

  @Test
  void reportsTextWhereABooleanBelongs() {
    SpecResult result =
        Specs.parse(
            "bool.yaml",
            "apiVersion: lattice.dev/v1alpha1\nkind: LatticeService\nmetadata: {name: api}\n"
                + "spec: {ambient: \"false\"}\n");

    Diagnostic d = single(result, DiagnosticCode.SPEC_TYPE);
    assertThat(at(d)).isEqualTo("bool.yaml:4:17");
    assertThat(d.path()).isEqualTo("default/api.spec.ambient");
    assertThat(d.message()).contains("true or false", "without quotes");
  }

  @Test
  void refusesAPortNumberNoIntCanHold() {
    SpecResult result = api("    service:", "      ports:", "        http: {port: 99999999999}");

    Diagnostic d = single(result, DiagnosticCode.SPEC_INVALID_VALUE);
    assertThat(at(d)).isEqualTo("api.yaml:8:22");
    assertThat(d.message()).contains("ports are 1..65535");
  }

  // ---------------------------------------------------------------- fields and values

  @Test
  void reportsAMisspelledFieldWithTheLikelyIntent() {
    SpecResult result = api("    resources:", "      db:", "        direciton: outbound");

    Diagnostic d = single(result, DiagnosticCode.SPEC_UNKNOWN_FIELD);
    assertOnlyError(result, d);
    assertThat(at(d)).isEqualTo("api.yaml:8:9");
    assertThat(d.path()).isEqualTo("shop/api.spec.workload.resources[db].direciton");
    assertThat(d.message())
        .startsWith("unknown field \"direciton\" in resource \"db\"; did you mean direction?");
  }

  @Test
  void reportsUnknownFieldsInPortsParamsAndHttpRules() {
    SpecResult result =
        api(
            "    service:",
            "      ports:",
            "        http: {port: 80, prot: TCP}",
            "    resources:",
            "      web:",
            "        direction: inbound",
            "        params: {port: [http], http: [{method: [GET]}]}");

    assertThat(result.diagnostics())
        .extracting(Diags::at, Diagnostic::path)
        .containsExactly(
            tuple("api.yaml:8:26", "shop/api.spec.workload.service.ports[http].prot"),
            tuple("api.yaml:12:18", "shop/api.spec.workload.resources[web].params.port"),
            tuple("api.yaml:12:40", "shop/api.spec.workload.resources[web].params.http[0].method"));
    assertThat(result.diagnostics())
        .extracting(Diagnostic::message)
        .allSatisfy(m -> assertThat(m).contains("did you mean"));
  }

  @Test
  void flagsNearMissesOfNetworkFieldsWhereOtherFieldsAreIgnored() {
    SpecResult result =
        Specs.parse(
            "near.yaml",
            """
            apiVersion: lattice.dev/v1alpha1
            kind: LatticeService
            metadata: {name: api}
            spec:
              replicas: 3
              allowPeerTrafic: true
              workload:
                containers: {main: {image: api}}
                resource: {db: {}}
            """);

    assertThat(result.diagnostics())
        .extracting(Diags::at, Diagnostic::message)
        .containsExactly(
            tuple(
                "near.yaml:6:3",
                "unknown field \"allowPeerTrafic\" in spec; did you mean allowPeerTraffic?"
                    + " (Lattice reads workload, serviceAccount, selector, ambient,"
                    + " allowPeerTraffic, advertise here and ignores other fields)"),
            tuple(
                "near.yaml:9:5",
                "unknown field \"resource\" in spec.workload; did you mean resources? (Lattice"
                    + " reads service, resources here and ignores other fields)"));
  }

  @Test
  void rejectsADirectionOutsideTheThreeWithTheFix() {
    SpecResult result = api("    resources:", "      db: {direction: Outbound}");

    Diagnostic d = single(result, DiagnosticCode.SPEC_INVALID_VALUE);
    assertThat(at(d)).isEqualTo("api.yaml:7:23");
    assertThat(d.path()).isEqualTo("shop/api.spec.workload.resources[db].direction");
    assertThat(d.message()).contains("values are case-sensitive, write outbound");
  }

  @Test
  void rejectsALowerCaseProtocolAndAnUnknownExposure() {
    SpecResult result =
        api(
            "    service:",
            "      ports:",
            "        dns: {port: 53, protocol: udp, exposedTo: [wrld]}");

    assertThat(result.diagnostics())
        .extracting(Diags::at, Diagnostic::message)
        .containsExactly(
            tuple(
                "api.yaml:8:35",
                "protocol \"udp\" is not TCP, UDP or SCTP; values are case-sensitive, write UDP"),
            tuple(
                "api.yaml:8:52",
                "\"wrld\" is not an outside source; write world, kube-apiserver or a CIDR such as"
                    + " 10.20.0.0/16; did you mean world?"));
  }

  @Test
  void suggestsTheResourceTypeATypoMeant() {
    SpecResult result = api("    resources:", "      db: {type: servce}");

    Diagnostic d = single(result, DiagnosticCode.SPEC_INVALID_VALUE);
    assertThat(at(d)).isEqualTo("api.yaml:7:18");
    assertThat(d.message()).contains("did you mean service?");
  }

  @Test
  void reportsAPortWithoutNumber() {
    SpecResult result = api("    service:", "      ports:", "        http: {protocol: TCP}");

    Diagnostic d = single(result, DiagnosticCode.SPEC_MISSING_FIELD);
    assertThat(at(d)).isEqualTo("api.yaml:8:15");
    assertThat(d.path()).isEqualTo("shop/api.spec.workload.service.ports[http].port");
    assertThat(d.message()).contains("e.g. port: 8080");
  }

  // ---------------------------------------------------------------- external services

  @Test
  void reportsAnUnparsableEndpointWithTheAcceptedForms() {
    SpecResult result =
        api(
            "    resources:",
            "      api-docs:",
            "        type: external-service",
            "        params:",
            "          endpoints:",
            "            docs: \"https://docs.example.com:https\"");

    Diagnostic d = single(result, DiagnosticCode.SPEC_ENDPOINT);
    assertOnlyError(result, d);
    assertThat(at(d)).isEqualTo("api.yaml:11:19");
    assertThat(d.path())
        .isEqualTo("shop/api.spec.workload.resources[api-docs].params.endpoints[docs]");
    assertThat(d.message())
        .startsWith(
            "endpoint \"docs\" (https://docs.example.com:https) has the port \"https\", which is"
                + " not a number; an endpoint is one of https://host[:port][/path]")
        .contains("tcp://host:port", "[2001:db8::1]:port", "2001:db8::/32:443");
  }

  @Test
  void rejectsAnExternalServiceThatCallsInOrNamesNoEndpoint() {
    SpecResult result =
        api(
            "    resources:",
            "      stripe: {type: external-service, direction: inbound, params: {endpoints: {api:"
                + " https://api.stripe.com}}}",
            "      nothing: {type: external-service}");

    assertThat(result.diagnostics())
        .extracting(Diagnostic::code, Diags::at)
        .containsExactly(
            tuple(DiagnosticCode.SPEC_INVALID_VALUE, "api.yaml:7:51"),
            tuple(DiagnosticCode.SPEC_MISSING_FIELD, "api.yaml:8:7"));
    assertThat(result.diagnostics().get(0).message()).contains("remove direction");
    assertThat(result.diagnostics().get(1).message()).contains("id: entity:<name>[:port]");
  }

  @Test
  void resolutionReportsABadHostAtTheEndpoint() {
    SpecResult result =
        api(
            "    resources:",
            "      stripe:",
            "        type: external-service",
            "        params: {endpoints: {api: https://API.Stripe.com}}");

    Diagnostic d = single(graph(result).resolve().diagnostics(), DiagnosticCode.INVALID_EGRESS);
    assertThat(at(d)).isEqualTo("api.yaml:9:35");
    assertThat(d.message()).contains("write \"api.stripe.com\"");
  }

  // ---------------------------------------------------------------- load balancers, members

  @Test
  void rejectsAnExplicitStrictPortOnALoadBalancer() {
    SpecResult result =
        api(
            "    service:",
            "      serviceType: LoadBalancer",
            "      ports:",
            "        https: {port: 443, peerAuth: STRICT}");

    Diagnostic d = single(result, DiagnosticCode.PEER_AUTH_CONFLICT);
    assertOnlyError(result, d);
    assertThat(at(d)).isEqualTo("api.yaml:9:38");
    assertThat(d.path()).isEqualTo("shop/api.spec.workload.service.ports[https].peerAuth");
    assertThat(d.message()).contains("remove peerAuth", "or use serviceType ClusterIP");
  }

  @Test
  void rejectsANamespaceTargetItCannotMapToOneService() {
    SpecResult result =
        Specs.parse(
            "ns.yaml",
            """
            apiVersion: lattice.dev/v1alpha1
            kind: LatticeMeshMember
            metadata: {name: monitoring, namespace: monitoring}
            spec:
              target: {namespace: monitoring}
            """);

    Diagnostic d = single(result, DiagnosticCode.SPEC_INVALID_VALUE);
    assertOnlyError(result, d);
    assertThat(at(d)).isEqualTo("ns.yaml:5:23");
    assertThat(d.path()).isEqualTo("monitoring/monitoring.spec.target.namespace");
    assertThat(d.message())
        .contains("share no selector and no service account", "use target.selector");
  }

  @Test
  void reportsUnknownFieldsAnywhereInAMeshMember() {
    SpecResult result =
        Specs.parse(
            "mm.yaml",
            """
            apiVersion: lattice.dev/v1alpha1
            kind: LatticeMeshMember
            metadata: {name: gw}
            spec:
              target: {selector: {app: gw}}
              allowedCalers: [{name: web}]
              dependencies: [{name: api, namespce: shop}]
              egress:
                - target: {fqdn: api.stripe.com, cidr: 10.0.0.0/8}
                  ports: [443]
            """);

    assertThat(result.diagnostics())
        .extracting(Diagnostic::code, Diags::at, Diagnostic::path)
        .containsExactly(
            tuple(
                DiagnosticCode.SPEC_UNKNOWN_FIELD, "mm.yaml:6:3", "default/gw.spec.allowedCalers"),
            tuple(
                DiagnosticCode.SPEC_UNKNOWN_FIELD,
                "mm.yaml:7:30",
                "default/gw.spec.dependencies[0].namespce"),
            tuple(
                DiagnosticCode.SPEC_INVALID_VALUE,
                "mm.yaml:9:15",
                "default/gw.spec.egress[0].target"));
    assertThat(result.diagnostics().get(0).message()).contains("did you mean allowedCallers?");
    assertThat(result.diagnostics().get(2).message())
        .contains("exactly one of fqdn, cidr or entity");
  }

  // ---------------------------------------------------------------- the exception door

  @Test
  void orThrowCarriesEveryDiagnostic() {
    SpecResult result = api("    service: http", "    resources: [db]");

    assertThatThrownBy(result::orThrow)
        .isInstanceOf(LatticeException.class)
        .hasMessageContaining("2 errors")
        .satisfies(
            e -> assertThat(((LatticeException) e).diagnostics()).isEqualTo(result.diagnostics()));
  }
}
