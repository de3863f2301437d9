package dev.lattice.examples.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.cilium.CiliumRenderer;
import dev.lattice.cli.Main;
import dev.lattice.graph.Topology;
import dev.lattice.istio.IstioRenderer;
import dev.lattice.model.Settings;
import dev.lattice.model.WaypointScope;
import dev.lattice.output.Manifest;
import dev.lattice.spec.Specs;
import dev.lattice.testkit.Golden;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The platform-tooling example: a repository of specs ({@code specs/storefront}, 20 services in six
 * namespaces) whose rendered policies are checked in next to it ({@code golden/storefront}),
 * written by the {@code lattice} command itself:
 *
 * <pre>
 * lattice render -o lattice-examples/golden/storefront lattice-examples/specs/storefront
 * </pre>
 *
 * A spec change then shows in review as the policy diff it causes. This test is the CI job that
 * keeps the two honest: the tree is byte for byte what the command writes today ({@code
 * -Dlattice.golden.update=true} rewrites it, pruning what is no longer rendered), every document
 * passes its upstream CRD, and — judged by lattice-verify's independent evaluators, from the
 * checked-in documents alone — each layer allows exactly the agreed calls and denies the rest, up
 * to the limits DESIGN §9 names.
 */
class StorefrontRepositoryTest {
  static final Path SPECS = Path.of("specs", "storefront");
  static final Path GOLDEN = Path.of("golden", "storefront");

  private static Topology topology;
  private static List<JsonNode> documents;

  private record Run(int code, String out, String err) {}

  /** Runs {@code lattice args...} in-process, as a CI job would run the command. */
  private static Run lattice(Object... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Main.run(Stream.of(args).map(String::valueOf).toArray(String[]::new), o, e);
    }
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @BeforeAll
  static void readTheCheckedInDocuments() {
    if (Golden.UPDATE) {
      Run run = lattice("render", "-o", GOLDEN, SPECS);
      assertThat(run.code()).as("lattice render -o %s %s%n%s", GOLDEN, SPECS, run.err()).isZero();
    }
    topology = Specs.load(SPECS).orThrow().resolve().orThrow();
    documents = new ArrayList<>();
    for (Map.Entry<String, String> f : tree(GOLDEN).entrySet()) {
      if (!f.getKey().equals(".lattice-files")) {
        documents.addAll(Documents.documents(f.getValue()));
      }
    }
  }

  /** A judge of the checked-in documents. */
  private static Judge judge() {
    // the labels Lattice asks for on Services it does not own are not in the tree (the command
    // prints them); the world applies them, as the operator would
    return new Judge(topology, documents, IstioRenderer.create().render(topology).requiredLabels());
  }

  // ---------------------------------------------------------------- the tree

  @Test
  void theCheckedInTreeIsByteForByteWhatLatticeRenderWrites(@TempDir Path tmp) {
    Path out = tmp.resolve("storefront");
    Run run = lattice("render", "-o", out, SPECS);
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .contains("kubectl label service -n storefront catalog istio.io/use-waypoint=waypoint")
        .contains("kubectl label service -n storefront payments istio.io/use-waypoint=waypoint");

    Map<String, String> expected = tree(GOLDEN);
    Map<String, String> actual = tree(out);
    assertThat(actual.keySet())
        .as("files of %s; run with -Dlattice.golden.update=true and review the diff", GOLDEN)
        .containsExactlyElementsOf(expected.keySet());
    for (String file : expected.keySet()) {
      assertThat(actual.get(file))
          .as("%s/%s; run with -Dlattice.golden.update=true and review the diff", GOLDEN, file)
          .isEqualTo(expected.get(file));
    }
  }

  @Test
  void everyCheckedInDocumentPassesItsCrd() {
    assertThat(documents).hasSizeGreaterThan(40);
    assertThat(Documents.violations(GOLDEN.toString(), documents)).isEmpty();
  }

  @Test
  void theEvaluatorsAcceptEveryCheckedInPolicy() {
    // a policy Cilium or istiod would reject, or a rule ztunnel would drop, shows up here
    assertThat(judge().verifier.findings()).isEmpty();
  }

  // ---------------------------------------------------------------- what it allows

  @Test
  void eachLayerAloneAllowsExactlyTheAgreedCalls() {
    Judge judge = judge().serviceToService();
    System.out.println("storefront edges judged: " + judge.seen());
    assertThat(judge.problems()).isEmpty();
    assertThat(judge.seen().getOrDefault("agreed", 0)).isGreaterThan(40);
    assertThat(judge.seen().getOrDefault("not agreed", 0)).isGreaterThan(600);
    assertThat(judge.seen())
        .containsKeys(
            "HTTP agreements",
            "L4 tolerated, limit 1",
            "L4 tolerated, limit 2",
            "L7 tolerated, limit 3");
  }

  @Test
  void outsideSourcesReachExactlyTheExposedPorts() {
    Judge judge = judge().outsideSources();
    assertThat(judge.problems()).isEmpty();
    // the gateway's two ports (to world, nodes and any address), the webhook's to the API server
    assertThat(judge.seen())
        .containsEntry("exposed to WORLD", 2)
        .containsEntry("exposed to REMOTE_NODE", 2)
        .containsEntry("exposed to KUBE_APISERVER", 3);
  }

  @Test
  void egressIsAllowedExactlyAsDeclared() {
    Judge judge = judge().egress();
    assertThat(judge.problems()).isEmpty();
    // stripe and the SMTP relay (mesh route), the bucket wildcard, the API server, the report
    // upload
    assertThat(judge.seen().getOrDefault("egress declared", 0)).isGreaterThanOrEqualTo(5);
  }

  static Stream<Settings> otherSettings() {
    return Stream.of(
        Settings.builder().waypointScope(WaypointScope.SERVICE).build(),
        Settings.builder().loadBalancerPreservesSourceIp(true).build(),
        Settings.builder()
            .trustDomain("prod.example.org")
            .clusterDomain("example.internal")
            .waypointName("wp")
            .build());
  }

  /** The same specs rendered for clusters set up differently stay exact too (fresh renders). */
  @ParameterizedTest
  @MethodSource("otherSettings")
  void staysExactUnderOtherClusterSettings(Settings settings) {
    Topology t = Specs.load(SPECS).orThrow().resolve(settings).orThrow();
    Manifest m = CiliumRenderer.create().render(t).plus(IstioRenderer.create().render(t));
    List<JsonNode> docs = new ArrayList<>();
    m.resources().forEach(r -> docs.add(r.document()));
    assertThat(Documents.violations(settings.toString(), docs)).isEmpty();
    Judge judge = new Judge(t, docs, m.requiredLabels()).serviceToService().outsideSources();
    assertThat(judge.verifier.findings()).isEmpty();
    assertThat(judge.problems()).isEmpty();
  }

  // ---------------------------------------------------------------- helpers

  /** Every regular file under {@code dir}, hidden ones included, by relative path, as text. */
  static Map<String, String> tree(Path dir) {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
        out.put(
            dir.relativize(f).toString().replace('\\', '/'),
            Files.readString(f, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
