package dev.lattice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the {@code lattice} command promises (DESIGN §10), written once and run two ways: in-process
 * through {@link Main#run} ({@link MainTest}) and as the shipped jar in a child JVM ({@link
 * LatticeJarTest}). Every command, every exit code, the diagnostic format, {@code -o} with its
 * atomicity and pruning, and byte-identical output.
 */
abstract class CommandContract {
  /** {@code file:line:col: error[code]: message}, the one diagnostic format. */
  private static final Pattern LOCATED_ERROR =
      Pattern.compile("^.+\\.yaml:\\d+:\\d+: error\\[[a-z-]+\\]: .+$");

  /** {@code DIR/<namespace or _cluster>/<kind>-<name>.yaml}. */
  private static final Pattern RESOURCE_FILE =
      Pattern.compile("^(_cluster|[a-z0-9-]+)/[a-z]+-[a-z0-9.-]+\\.(yaml|json)$");

  @TempDir Path root;

  /** The shop's spec directory (see {@link Fixtures#shop}). */
  Path specs;

  @BeforeEach
  void writeSpecs() {
    specs = Fixtures.shop(root);
  }

  /** Runs {@code lattice args...} with {@link #root} as the working directory. */
  abstract Run lattice(List<String> args);

  /**
   * Runs {@code lattice args...} where permission bits bind: an unprivileged user cannot read a
   * file with mode 000. Aborts the test when this runner cannot drop the privilege.
   */
  abstract Run latticeWithoutReadOverride(List<String> args);

  final Run lattice(Object... args) {
    return lattice(strings(args));
  }

  static List<String> strings(Object... args) {
    return Arrays.stream(args).map(String::valueOf).toList();
  }

  // ---------------------------------------------------------------- render

  @Test
  void rendersBothLayersAsOneYamlStream() {
    Run run = lattice("render", specs).exits(Main.OK).showsNoStackTrace();
    assertThat(run.out()).startsWith("---\n");
    assertThat(run.out())
        .contains("kind: CiliumClusterwideNetworkPolicy")
        .contains("kind: CiliumNetworkPolicy")
        .contains("kind: AuthorizationPolicy")
        .contains("kind: Gateway");
    assertThat(documents(run.out())).hasSizeGreaterThan(10);
  }

  @Test
  void rendersOneLayerWithTheLayerFlag() {
    Run cilium = lattice("render", "--layer", "cilium", specs).exits(Main.OK);
    Run istio = lattice("render", "--layer", "istio", specs).exits(Main.OK);
    Run all = lattice("render", "--layer", "all", specs).exits(Main.OK);
    assertThat(documents(cilium.out()))
        .isNotEmpty()
        .allMatch(d -> d.path("apiVersion").asText().equals("cilium.io/v2"));
    assertThat(documents(istio.out()))
        .isNotEmpty()
        .allMatch(
            d ->
                d.path("apiVersion")
                    .asText()
                    .matches(".*(istio|gateway\\.networking\\.k8s)\\.io/.*"));
    assertThat(documents(all.out()))
        .containsExactlyInAnyOrderElementsOf(
            concat(documents(cilium.out()), documents(istio.out())));
  }

  @Test
  void printsRequiredLabelsToStderrNotStdout() {
    Run run = lattice("render", specs).exits(Main.OK);
    assertThat(run.err())
        .contains("Service shop/api needs label istio.io/use-waypoint=waypoint")
        .contains("kubectl label service -n shop api istio.io/use-waypoint=waypoint");
    assertThat(run.out()).doesNotContain("kubectl").doesNotContain("needs label");
    // the Cilium layer alone needs no label
    assertThat(lattice("render", "--layer", "cilium", specs).err()).doesNotContain("needs label");
  }

  @Test
  void rendersJsonThatParsesAsAKubernetesList() throws IOException {
    Run yaml = lattice("render", specs).exits(Main.OK);
    Run json = lattice("render", "--format", "json", specs).exits(Main.OK).showsNoStackTrace();
    JsonNode list = new ObjectMapper().readTree(json.out());
    assertThat(list.path("apiVersion").asText()).isEqualTo("v1");
    assertThat(list.path("kind").asText()).isEqualTo("List");
    List<JsonNode> fromYaml = documents(yaml.out());
    assertThat(list.path("items")).hasSize(fromYaml.size());
    List<JsonNode> items = new ArrayList<>();
    list.path("items").forEach(items::add);
    assertThat(items).containsExactlyElementsOf(fromYaml);
  }

  @Test
  void rendersByteIdenticalOutputAcrossRunsAndPathOrders() {
    Path shop = specs.resolve("shop.yaml");
    Path data = specs.resolve("data.yaml");
    String first = lattice("render", shop, data).exits(Main.OK).out();
    assertThat(lattice("render", shop, data).out()).isEqualTo(first);
    assertThat(lattice("render", data, shop).out()).isEqualTo(first);
    assertThat(lattice("render", specs).out()).isEqualTo(first);
    String json = lattice("render", "--format", "json", specs).out();
    assertThat(lattice("render", "--format", "json", data, shop).out()).isEqualTo(json);
  }

  @Test
  void writesOneFilePerResourceUnderTheOutputDirectory() throws IOException {
    Path out = root.resolve("out");
    Run run = lattice("render", "-o", out, specs).exits(Main.OK).printsNothing();
    List<JsonNode> stream = documents(lattice("render", specs).out());
    assertThat(run.err()).contains("wrote " + stream.size() + " resources to " + out);

    Map<String, String> tree = Fixtures.fingerprint(out);
    assertThat(tree)
        .containsKeys(
            "_cluster/ciliumclusterwidenetworkpolicy-lattice-default-deny.yaml",
            "_cluster/ciliumclusterwidenetworkpolicy-lattice-ambient-probes.yaml",
            "istio-system/authorizationpolicy-lattice-default-deny.yaml",
            "istio-system/peerauthentication-lattice-default-strict.yaml",
            "shop/ciliumnetworkpolicy-web.yaml",
            "shop/ciliumnetworkpolicy-waypoint.yaml",
            "shop/authorizationpolicy-api-waypoint.yaml",
            "shop/gateway-waypoint.yaml",
            "data/ciliumnetworkpolicy-db.yaml");
    List<String> files = tree.keySet().stream().filter(f -> !f.equals(".lattice-files")).toList();
    assertThat(files)
        .allMatch(f -> RESOURCE_FILE.matcher(f).matches(), "DIR/<ns>/<kind>-<name>.yaml");
    assertThat(files).hasSize(stream.size());

    // each file holds exactly the document its path names, as the stream has it
    List<JsonNode> fromFiles = new ArrayList<>();
    for (String f : files) {
      List<JsonNode> docs = documents(Files.readString(out.resolve(f), StandardCharsets.UTF_8));
      assertThat(docs).as(f).hasSize(1);
      JsonNode doc = docs.get(0);
      String namespace = doc.path("metadata").path("namespace").asText("");
      assertThat(f)
          .isEqualTo(
              (namespace.isEmpty() ? "_cluster" : namespace)
                  + "/"
                  + doc.path("kind").asText().toLowerCase(Locale.ROOT)
                  + "-"
                  + doc.path("metadata").path("name").asText()
                  + ".yaml");
      fromFiles.add(doc);
    }
    assertThat(fromFiles).containsExactlyInAnyOrderElementsOf(stream);
    assertThat(Files.readAllLines(out.resolve(".lattice-files"))).containsExactlyElementsOf(files);
  }

  @Test
  void writesJsonFilesWithFormatJson() throws IOException {
    Path out = root.resolve("out");
    lattice("render", "--format", "json", "-o", out, specs).exits(Main.OK).printsNothing();
    List<String> files = resourceFiles(out);
    assertThat(files).isNotEmpty().allMatch(f -> f.endsWith(".json"));
    for (String f : files) {
      JsonNode doc = new ObjectMapper().readTree(out.resolve(f).toFile());
      assertThat(doc.path("metadata").path("labels").path("app.kubernetes.io/managed-by").asText())
          .as(f)
          .isEqualTo("lattice");
    }
  }

  @Test
  void leavesTheOutputDirectoryByteIdenticalWhenTheSpecsHaveErrors() {
    Path out = root.resolve("out");
    lattice("render", "-o", out, specs).exits(Main.OK);
    Fixtures.write(out, "shop/kustomization.yaml", "resources: []\n");
    Map<String, String> before = Fixtures.fingerprint(out);

    // the shop loses its HTTP rule (stale files to prune) and gains a typo (nothing may happen)
    Fixtures.write(specs, "shop.yaml", Fixtures.SHOP_WITHOUT_HTTP_RULES);
    Fixtures.write(specs, "typo.yaml", Fixtures.UNKNOWN_FIELD);
    Run run = lattice("render", "-o", out, specs).exits(Main.SPEC_ERRORS).printsNothing();
    assertThat(run.err()).contains("error[spec-unknown-field]").doesNotContain("wrote");
    assertThat(Fixtures.fingerprint(out)).isEqualTo(before);

    // and a directory that did not exist is not created
    Path fresh = root.resolve("fresh");
    lattice("render", "-o", fresh, specs).exits(Main.SPEC_ERRORS).printsNothing();
    assertThat(fresh).doesNotExist();
  }

  @Test
  void prunesTheFilesItNoLongerProducesAndNoOthers() {
    Path out = root.resolve("out");
    lattice("render", "-o", out, specs).exits(Main.OK);
    // files Lattice did not write, one of them named like a resource file
    Fixtures.write(out, "shop/ciliumnetworkpolicy-legacy.yaml", "# kept\n");
    Fixtures.write(out, "README.md", "# kept\n");

    Fixtures.write(specs, "shop.yaml", Fixtures.SHOP_WITHOUT_HTTP_RULES);
    Run run = lattice("render", "-o", out, specs).exits(Main.OK);
    assertThat(run.err()).contains("removed 3 stale").doesNotContain("needs label");

    Map<String, String> tree = Fixtures.fingerprint(out);
    assertThat(tree)
        .doesNotContainKeys(
            "shop/gateway-waypoint.yaml",
            "shop/ciliumnetworkpolicy-waypoint.yaml",
            "shop/authorizationpolicy-api-waypoint.yaml")
        .containsKeys("shop/ciliumnetworkpolicy-legacy.yaml", "README.md");

    // what remains is what a render into an empty directory writes, plus the files it did not
    Path clean = root.resolve("clean");
    lattice("render", "-o", clean, specs).exits(Main.OK);
    Map<String, String> expected = new TreeMap<>(Fixtures.fingerprint(clean));
    expected.put(
        "shop/ciliumnetworkpolicy-legacy.yaml", tree.get("shop/ciliumnetworkpolicy-legacy.yaml"));
    expected.put("README.md", tree.get("README.md"));
    assertThat(tree).isEqualTo(expected);
  }

  @Test
  void rendersTheSameTreeTwice() {
    Path out = root.resolve("out");
    lattice("render", "-o", out, specs).exits(Main.OK);
    Map<String, String> first = Fixtures.fingerprint(out);
    Run again = lattice("render", "-o", out, specs).exits(Main.OK);
    assertThat(again.err()).doesNotContain("removed");
    assertThat(Fixtures.fingerprint(out)).isEqualTo(first);
  }

  // ---------------------------------------------------------------- check

  @Test
  void checkSaysOkOnStderrAndNothingOnStdout() {
    Run run = lattice("check", specs).exits(Main.OK).printsNothing().showsNoStackTrace();
    assertThat(run.err()).isEqualTo("ok: 3 services, 2 agreements\n");
  }

  @Test
  void checkPrintsEachErrorAsFileLineColumnCodeMessage() {
    Path typo = Fixtures.write(root, "bad/typo.yaml", Fixtures.UNKNOWN_FIELD);
    Path type = Fixtures.write(root, "bad/type.yaml", Fixtures.WRONG_TYPE);
    Run run = lattice("check", root.resolve("bad")).exits(Main.SPEC_ERRORS).printsNothing();
    run.showsNoStackTrace();
    assertThat(run.errLines())
        .containsExactly(
            type
                + ":8:22: error[spec-type]: port must be an integer (a port number such as 8080),"
                + " got the text \"eighty\"",
            typo
                + ":7:13: error[spec-unknown-field]: unknown field \"direciton\" in resource"
                + " \"api\"; did you mean direction? Known fields: type, direction, namespace, id,"
                + " params, class, metadata");
    assertThat(run.errLines()).allMatch(l -> LOCATED_ERROR.matcher(l).matches());
  }

  @Test
  void checkReportsResolutionErrorsWhereTheyAreDeclared() {
    Path file = Fixtures.write(root, "ports.yaml", Fixtures.PORT_OUT_OF_RANGE);
    Run run = lattice("check", file).exits(Main.SPEC_ERRORS).printsNothing().showsNoStackTrace();
    assertThat(run.errLines())
        .containsExactly(file + ":8:9: error[port-out-of-range]: port must be 1..65535, got 70000");
  }

  @Test
  void checkPassesWarningsUnlessStrict() {
    Path file = Fixtures.write(root, "one-sided.yaml", Fixtures.ONE_SIDED);
    Run lenient = lattice("check", file).exits(Main.OK).printsNothing();
    assertThat(lenient.errLines())
        .hasSize(2)
        .first()
        .asString()
        .startsWith(
            file
                + ":10:7: warning[one-sided]: shop/web calls shop/api, but shop/api does"
                + " not declare shop/web inbound");
    Run strict = lattice("check", "--strict", file).exits(Main.SPEC_ERRORS).printsNothing();
    assertThat(strict.errLines())
        .containsExactly(
            lenient.errLines().get(0).replace("warning[one-sided]", "error[one-sided]"));
    assertThat(strict.errLines()).allMatch(l -> LOCATED_ERROR.matcher(l).matches());
  }

  static Stream<Arguments> commands() {
    return Stream.of(
        Arguments.of(List.of("render")),
        Arguments.of(List.of("render", "--format", "json")),
        Arguments.of(List.of("render", "-o", "out")),
        Arguments.of(List.of("check")),
        Arguments.of(List.of("explain", "--from", "shop/web", "--to", "shop/api")),
        Arguments.of(List.of("graph")),
        Arguments.of(List.of("graph", "--format", "dot")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("commands")
  void everyCommandExitsOneOnSpecErrorsWithNothingOnStdout(List<String> command) {
    Fixtures.write(specs, "typo.yaml", Fixtures.UNKNOWN_FIELD);
    List<String> args = new ArrayList<>();
    for (String a : command) {
      args.add(a.equals("out") ? root.resolve("out").toString() : a);
    }
    args.add(specs.toString());
    Run run = lattice(args).exits(Main.SPEC_ERRORS).printsNothing().showsNoStackTrace();
    assertThat(run.errLines())
        .filteredOn(l -> l.contains(": error["))
        .singleElement()
        .asString()
        .startsWith(specs.resolve("typo.yaml") + ":7:13: error[spec-unknown-field]: ");
    assertThat(root.resolve("out")).doesNotExist();
  }

  // ---------------------------------------------------------------- explain

  @Test
  void explainsAnAllowedConnection() {
    Run run =
        lattice("explain", "--from", "shop/web", "--to", "shop/api", "--port", "80", specs)
            .exits(Main.OK)
            .showsNoStackTrace();
    assertThat(run.out().lines().findFirst()).hasValue("shop/web -> shop/api:80: ALLOWED");
    assertThat(run.out())
        .contains("\nL4 Cilium: ALLOW - ")
        .contains("\nL7 Istio: ALLOW - ")
        .contains("waypoint shop/waypoint");
  }

  @Test
  void explainsADeniedConnectionWithThePolicyResponsible() {
    Run run =
        lattice("explain", "--from", "shop/web", "--to", "data/db", specs)
            .exits(Main.DENIED)
            .printsTheExplanation()
            .showsNoStackTrace();
    assertThat(run.out().lines().findFirst()).hasValue("shop/web -> data/db:5432: DENIED");
    assertThat(run.out())
        .contains("\nL4 Cilium: DENY - ")
        .contains("\nL7 Istio: DENY - ")
        .contains("CiliumNetworkPolicy shop/web")
        .contains("AuthorizationPolicy data/db-ztunnel");
  }

  @Test
  void explainsARequestOnlyTheHttpRulesRefuse() {
    Run granted =
        lattice(
                "explain",
                "--from",
                "shop/web",
                "--to",
                "shop/api",
                "--port",
                "http",
                "--method",
                "GET",
                "--path",
                "/api/orders",
                specs)
            .exits(Main.OK);
    assertThat(granted.out().lines().findFirst())
        .hasValue("shop/web -> shop/api:80 GET /api/orders: ALLOWED");
    Run refused =
        lattice(
                "explain",
                "--from",
                "shop/web",
                "--to",
                "shop/api",
                "--port",
                "http",
                "--method",
                "DELETE",
                "--path",
                "/api/orders",
                specs)
            .exits(Main.DENIED);
    assertThat(refused.out().lines().findFirst())
        .hasValue("shop/web -> shop/api:80 DELETE /api/orders: DENIED");
    assertThat(refused.out()).contains("\nL4 Cilium: ALLOW - ").contains("\nL7 Istio: DENY - ");
  }

  @Test
  void explainExitsThreeWhenAnyPortExplainedIsDenied() {
    Path file =
        Fixtures.write(
            root,
            "two-ports.yaml",
            """
            apiVersion: lattice.dev/v1alpha1
            kind: LatticeService
            metadata: {name: web, namespace: shop}
            spec:
              workload:
                service:
                  ports:
                    http: {port: 8080}
                resources:
                  api: {}
            ---
            apiVersion: lattice.dev/v1alpha1
            kind: LatticeService
            metadata: {name: api, namespace: shop}
            spec:
              workload:
                service:
                  ports:
                    http: {port: 80}
                    admin: {port: 9000}
                resources:
                  web: {direction: inbound, params: {ports: [http]}}
            """);
    Run granted =
        lattice("explain", "--from", "shop/web", "--to", "shop/api", "--port", "http", file);
    granted.exits(Main.OK).printsTheExplanation();
    Run every = lattice("explain", "--from", "shop/web", "--to", "shop/api", file);
    every.exits(Main.DENIED).printsTheExplanation();
    assertThat(every.out())
        .contains("shop/web -> shop/api:80: ALLOWED")
        .contains("shop/web -> shop/api:9000: DENIED");
  }

  @Test
  void helpListsEveryCommandsExitCodes() {
    String top = lattice("help").exits(Main.OK).out();
    assertThat(top)
        .contains("exit codes:")
        .containsPattern("(?m)^  render +0 ")
        .containsPattern("(?m)^  check +0 ")
        .containsPattern("(?m)^  explain +0 every layer allows.*3 some layer denies")
        .containsPattern("(?m)^  graph +0 ");
    assertThat(lattice("help", "explain").out())
        .contains("exit codes:\n")
        .containsPattern("(?m)^  3 +some layer denies");
  }

  // ---------------------------------------------------------------- graph

  @Test
  void drawsTheGraphInMermaidByDefault() {
    Run run = lattice("graph", specs).exits(Main.OK).showsNoStackTrace();
    assertThat(run.out())
        .startsWith("flowchart LR\n")
        .contains("  subgraph n_ns_2d_shop[\"shop\"]\n")
        .contains("  n_shop_2f_web -->|\"http GET /api/*\"| n_shop_2f_api\n")
        .contains("  n_shop_2f_api -->|\"pg\"| n_data_2f_db\n");
    assertThat(lattice("graph", "--format", "mermaid", specs).out()).isEqualTo(run.out());
  }

  @Test
  void drawsTheGraphInDot() {
    Run run = lattice("graph", "--format", "dot", specs).exits(Main.OK).showsNoStackTrace();
    assertThat(run.out())
        .startsWith("digraph lattice {\n")
        .endsWith("}\n")
        .contains("  \"shop/api\" -> \"data/db\" [label=\"pg\", style=solid, color=black];\n")
        .contains(
            "  \"shop/web\" -> \"shop/api\" [label=\"http GET /api/*\", style=solid,"
                + " color=black];\n");
  }

  @Test
  void drawsOneSidedEdgesDashed() {
    Path file = Fixtures.write(root, "one-sided.yaml", Fixtures.ONE_SIDED);
    assertThat(lattice("graph", file).exits(Main.OK).out())
        .contains("  n_shop_2f_web -.->|\"one-sided\"| n_shop_2f_api\n");
    assertThat(lattice("graph", "--format", "dot", file).exits(Main.OK).out())
        .contains(
            "  \"shop/web\" -> \"shop/api\" [label=\"one-sided\", style=dashed, color=red];\n");
  }

  @Test
  void drawsWildcardUnknownAndNonMeshDistinctly() {
    Path file = Fixtures.write(root, "wildcard.yaml", Fixtures.WILDCARD_AND_UNKNOWN);
    Run mermaid = lattice("graph", file).exits(Main.OK);
    assertThat(mermaid.out())
        .contains("    n_batch_2f_job[\"job (no mesh)\"]\n")
        .contains("  n__2a_[\"any service\"]\n")
        .contains("  n_ops_2f_ghost[\"ops/ghost (unknown)\"]\n")
        .contains("  n_ops_2f_scraper -.->|\"wildcard\"| n__2a_\n")
        .contains("  n_ops_2f_scraper -.->|\"unknown peer\"| n_ops_2f_ghost\n")
        .contains("  n_ops_2f_scraper -->|\"metrics\"| n_batch_2f_job\n");
    assertThat(mermaid.err()).contains("warning[unknown-service]");
    assertThat(lattice("graph", "--format", "dot", file).exits(Main.OK).out())
        .contains("    \"batch/job\" [label=\"job\\n(no mesh)\"];\n")
        .contains("  \"*\" [label=\"any service\", style=dotted];\n")
        .contains("  \"ops/ghost\" [label=\"ops/ghost\\n(unknown)\", style=dashed, color=red];\n")
        .contains("  \"ops/scraper\" -> \"*\" [label=\"wildcard\", style=dotted, color=black];\n")
        .contains(
            "  \"ops/scraper\" -> \"ops/ghost\" [label=\"unknown peer\", style=dashed,"
                + " color=red];\n");
  }

  // ---------------------------------------------------------------- usage

  /**
   * Usage errors: {@code {specs}}, {@code {missing}}, {@code {empty}}, {@code {file}} are filled
   * in.
   */
  static Stream<Arguments> usageErrors() {
    return Stream.of(
        usage("unknown command", "unknown command 'frob'", "frob", "{specs}"),
        usage(
            "unknown flag",
            "unknown option --bogus for 'lattice render'",
            "render",
            "--bogus",
            "{specs}"),
        usage(
            "unknown flag of check",
            "unknown option --layer for 'lattice check'",
            "check",
            "--layer",
            "cilium",
            "{specs}"),
        usage("render without a path", "no PATH given", "render"),
        usage("check without a path", "no PATH given", "check", "--strict"),
        usage("graph without a path", "no PATH given", "graph"),
        usage(
            "explain without a path",
            "no PATH given",
            "explain",
            "--from",
            "shop/web",
            "--to",
            "shop/api"),
        usage("nonexistent path", "no such file or directory: {missing}", "render", "{missing}"),
        usage(
            "one nonexistent path of two",
            "no such file or directory: {missing}",
            "check",
            "{specs}",
            "{missing}"),
        usage(
            "empty directory",
            "directory {empty} holds no .yaml or .yml files",
            "check",
            "{empty}"),
        usage(
            "bad --layer",
            "--layer is cilium, istio or all, got \"l7\"",
            "render",
            "--layer",
            "l7",
            "{specs}"),
        usage(
            "bad --format of render",
            "--format is yaml or json, got \"xml\"",
            "render",
            "--format",
            "xml",
            "{specs}"),
        usage(
            "bad --format of graph",
            "--format is mermaid or dot, got \"png\"",
            "graph",
            "--format",
            "png",
            "{specs}"),
        usage(
            "bad --waypoint-scope",
            "--waypoint-scope is namespace or service, got \"pod\"",
            "render",
            "--waypoint-scope",
            "pod",
            "{specs}"),
        usage(
            "malformed --trust-domain",
            "--trust-domain \"a b\" is not a DNS-1123 subdomain",
            "render",
            "--trust-domain",
            "a b",
            "{specs}"),
        usage(
            "malformed --probe-sources",
            "--probe-sources: \"nope\" is not a CIDR",
            "check",
            "--probe-sources",
            "nope",
            "{specs}"),
        usage("option without its value", "-o needs a value", "render", "{specs}", "-o"),
        usage(
            "option given twice",
            "--layer is given twice",
            "render",
            "--layer",
            "cilium",
            "--layer=istio",
            "{specs}"),
        usage("flag given a value", "--strict takes no value", "check", "--strict=yes", "{specs}"),
        usage(
            "-o naming a file",
            "-o {file} is a file, not a directory",
            "render",
            "-o",
            "{file}",
            "{specs}"),
        usage(
            "explain without --to",
            "explain needs --from and --to",
            "explain",
            "--from",
            "shop/web",
            "{specs}"),
        usage(
            "explain of an unknown service",
            "--to shop/cart is not a service of these specs",
            "explain",
            "--from",
            "shop/web",
            "--to",
            "shop/cart",
            "{specs}"),
        usage(
            "explain of a name without namespace",
            "--from takes NAMESPACE/NAME, got \"web\"",
            "explain",
            "--from",
            "web",
            "--to",
            "shop/api",
            "{specs}"),
        usage(
            "explain of an unknown port",
            "shop/api has no port 81",
            "explain",
            "--from",
            "shop/web",
            "--to",
            "shop/api",
            "--port",
            "81",
            "{specs}"),
        usage(
            "explain with --method but no --path",
            "--method and --path go together",
            "explain",
            "--from",
            "shop/web",
            "--to",
            "shop/api",
            "--method",
            "GET",
            "{specs}"),
        usage("help on an unknown command", "no help for 'frob'", "help", "frob"));
  }

  private static Arguments usage(String name, String message, String... args) {
    return Arguments.of(name, message, List.of(args));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("usageErrors")
  void usageErrorsExitTwoWithOneLineAndNoStackTrace(String name, String message, List<String> args)
      throws IOException {
    Path empty = Files.createDirectories(root.resolve("empty"));
    Files.createDirectories(empty.resolve("sub"));
    Files.writeString(empty.resolve("sub/notes.txt"), "no specs here\n");
    Path file = Fixtures.write(root, "not-a-dir.txt", "x\n");
    Map<String, String> fill =
        Map.of(
            "{specs}", specs.toString(),
            "{missing}", root.resolve("missing.yaml").toString(),
            "{empty}", empty.toString(),
            "{file}", file.toString());
    List<String> filled = args.stream().map(a -> fill.getOrDefault(a, a)).toList();
    String expected = message;
    for (Map.Entry<String, String> e : fill.entrySet()) {
      expected = expected.replace(e.getKey(), e.getValue());
    }
    Run run = lattice(filled).isUsageError();
    assertThat(run.errLines()).last().asString().startsWith("lattice: ").contains(expected);
  }

  @Test
  void printsTheUsageWhenGivenNoArguments() {
    Run run = lattice(List.of()).exits(Main.USAGE).printsNothing().showsNoStackTrace();
    assertThat(run.err()).startsWith("usage: lattice <command>");
  }

  @Test
  void refusesAFileItCannotRead() throws IOException {
    Path locked = Fixtures.write(root, "locked.yaml", Fixtures.SHOP);
    lock(locked);
    Run named = latticeWithoutReadOverride(strings("check", locked)).isUsageError();
    assertThat(named.err()).contains("cannot read " + locked + ": permission denied");

    // found in a directory rather than named: the file's diagnostic, then the same exit code
    Path dir = root.resolve("locked-dir");
    Files.createDirectories(dir);
    Files.move(locked, dir.resolve("locked.yaml"));
    Fixtures.write(dir, "data.yaml", Fixtures.DATA);
    Run found = latticeWithoutReadOverride(strings("render", dir)).isUsageError();
    assertThat(found.errLines())
        .contains(
            dir.resolve("locked.yaml")
                + ": error[io-error]: "
                + dir.resolve("locked.yaml")
                + " cannot be read: permission denied");
  }

  /** Clears every permission bit of {@code file}; aborts where the file system has none. */
  static void lock(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, Set.<PosixFilePermission>of());
    } catch (UnsupportedOperationException e) {
      Assumptions.abort("no POSIX permissions on this file system");
    }
  }

  // ---------------------------------------------------------------- help

  @Test
  void printsHelpAndVersionOnStdout() {
    assertThat(lattice("help").exits(Main.OK).out())
        .startsWith("usage: lattice <command>")
        .contains("render", "check", "explain", "graph");
    assertThat(lattice("--help").exits(Main.OK).out()).startsWith("usage: lattice <command>");
    assertThat(lattice("help", "render").exits(Main.OK).out())
        .startsWith("usage: lattice render")
        .contains("--layer", "-o DIR", "--trust-domain");
    assertThat(lattice("help", "explain").exits(Main.OK).out()).contains("--from NS/NAME");
    assertThat(lattice("--version").exits(Main.OK).out()).startsWith("lattice ");
  }

  // ---------------------------------------------------------------- helpers

  /** The documents of a YAML stream, as trees. */
  static List<JsonNode> documents(String yaml) {
    try {
      List<JsonNode> out = new ArrayList<>();
      new YAMLMapper()
          .readerFor(JsonNode.class)
          .readValues(yaml)
          .forEachRemaining(d -> out.add((JsonNode) d));
      return out;
    } catch (IOException e) {
      throw new AssertionError("not a YAML stream: " + e.getMessage() + "\n" + yaml, e);
    }
  }

  /** The resource files under an output directory (its index left out). */
  static List<String> resourceFiles(Path out) {
    return Fixtures.fingerprint(out).keySet().stream()
        .filter(f -> !f.equals(OutputDirectory.INDEX))
        .toList();
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
