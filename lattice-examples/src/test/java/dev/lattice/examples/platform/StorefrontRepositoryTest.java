package dev.lattice.examples.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.cli.Main;
import dev.lattice.graph.Agreement;
import dev.lattice.graph.Topology;
import dev.lattice.istio.IstioRenderer;
import dev.lattice.model.Exposure;
import dev.lattice.model.HttpRule;
import dev.lattice.model.Port;
import dev.lattice.model.Service;
import dev.lattice.spec.Specs;
import dev.lattice.verify.Decision;
import dev.lattice.verify.Destination;
import dev.lattice.verify.Query;
import dev.lattice.verify.Source;
import dev.lattice.verify.Verdict;
import dev.lattice.verify.Verifier;
import dev.lattice.verify.world.World;
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
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The platform-tooling example: a repository of specs ({@code specs/storefront}, 20 services in
 * six namespaces) whose rendered policies are checked in next to it ({@code golden/storefront}),
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
 * checked-in documents alone — each layer allows exactly the agreed calls and denies the rest, up to
 * the limits DESIGN §9 names.
 */
class StorefrontRepositoryTest {
  static final Path SPECS = Path.of("specs", "storefront");
  static final Path GOLDEN = Path.of("golden", "storefront");

  private static Topology topology;
  private static List<JsonNode> documents;
  private static Verifier verifier;
  private static Expectations expect;

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
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @BeforeAll
  static void judgeTheCheckedInDocuments() {
    if (Golden.UPDATE) {
      Run run = lattice("render", "-o", GOLDEN, SPECS);
      assertThat(run.code()).as("lattice render -o %s %s%n%s", GOLDEN, SPECS, run.err()).isZero();
    }
    topology = Specs.load(SPECS).orThrow().resolve().orThrow();
    documents = new ArrayList<>();
    List<JsonNode> cilium = new ArrayList<>();
    List<JsonNode> istio = new ArrayList<>();
    for (Map.Entry<String, String> f : tree(GOLDEN).entrySet()) {
      if (f.getKey().equals(".lattice-files")) {
        continue;
      }
      for (JsonNode d : Golden.documents(f.getValue())) {
        documents.add(d);
        (d.path("apiVersion").asText().startsWith("cilium.io/") ? cilium : istio).add(d);
      }
    }
    // the labels Lattice asks for on Services it does not own are not in the tree (the command
    // prints them); the world applies them, as the operator would
    World world =
        World.builder(topology)
            .documents(documents)
            .requiredLabels(IstioRenderer.create().render(topology).requiredLabels())
            .build();
    verifier = Verifier.of(world, cilium, istio);
    expect = new Expectations(topology);
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
    assertThat(Golden.violations(GOLDEN.toString(), documents)).isEmpty();
  }

  @Test
  void theEvaluatorsAcceptEveryCheckedInPolicy() {
    // a policy Cilium or istiod would reject, or a rule ztunnel would drop, shows up here
    assertThat(verifier.findings()).isEmpty();
  }

  // ---------------------------------------------------------------- what it allows

  @Test
  void eachLayerAloneAllowsExactlyTheAgreedCalls() {
    Map<String, Integer> seen = new TreeMap<>();
    List<String> problems = new ArrayList<>();
    for (Service a : topology.services()) {
      for (Service b : topology.services()) {
        for (Port p : b.ports()) {
          Query q =
              Query.from(Source.service(a.id()))
                  .to(Destination.service(b.id(), p.port()))
                  .protocol(p.protocol());
          Verdict v = verifier.check(q);
          String edge = a.id() + " -> " + b.id() + " port " + p.name() + " (" + p.port() + ")";
          boolean agreed = expect.agreed(a.id(), b.id(), p);
          seen.merge(agreed ? "agreed" : "not agreed", 1, Integer::sum);

          Decision l4 = v.cilium().decision();
          String tolerance = expect.l4Tolerance(a.id(), b.id(), p);
          if (agreed && l4 != Decision.ALLOW) {
            problems.add("agreed " + edge + " is not allowed by Cilium\n" + v.explain());
          } else if (!agreed && l4 == Decision.ALLOW) {
            if (tolerance == null) {
              problems.add("undeclared " + edge + " is allowed by Cilium\n" + v.explain());
            } else {
              seen.merge("L4 tolerated, " + tolerance.substring(0, tolerance.indexOf(':')), 1,
                  Integer::sum);
            }
          }

          Decision l7 = v.istio().decision();
          if (!expect.l7Applies(b.id(), p)) {
            if (l7 != Decision.N_A) {
              problems.add("Istio decided " + l7 + " for " + edge + " without an enforcement"
                  + " point\n" + v.explain());
            }
          } else if (agreed && l7 != Decision.ALLOW) {
            problems.add("agreed " + edge + " is not allowed by Istio\n" + v.explain());
          } else if (!agreed && l7 != Decision.DENY) {
            if (!a.isAmbient() && expect.plaintext(b.id(), p) && l7 == Decision.ALLOW) {
              seen.merge("L7 tolerated, limit 3", 1, Integer::sum);
            } else {
              problems.add("undeclared " + edge + " is " + l7 + " by Istio\n" + v.explain());
            }
          }
          if (agreed) {
            Agreement ag = expect.agreement(a.id(), b.id()).orElseThrow();
            if (ag.hasHttpRules()) {
              seen.merge("HTTP requests", 1, Integer::sum);
            }
            problems.addAll(requests(ag, q, edge));
          }
        }
      }
    }
    System.out.println("storefront edges judged: " + seen);
    assertThat(problems).isEmpty();
    assertThat(seen.getOrDefault("agreed", 0)).isGreaterThan(40);
    assertThat(seen.getOrDefault("not agreed", 0)).isGreaterThan(600);
    assertThat(seen).containsKey("HTTP requests");
  }

  /** Requests an agreement's HTTP rules grant pass both layers; one they do not is denied at L7. */
  private List<String> requests(Agreement ag, Query q, String edge) {
    List<String> problems = new ArrayList<>();
    if (!ag.hasHttpRules()) {
      return problems;
    }
    for (HttpRule rule : ag.httpRules()) {
      String[] req = Expectations.matching(rule);
      Verdict v = verifier.check(q.request(req[0], req[1]));
      if (!v.allowed() || v.istio().decision() != Decision.ALLOW) {
        problems.add("granted " + req[0] + " " + req[1] + " on " + edge + " is denied\n"
            + v.explain());
      }
    }
    if (!Expectations.grants(ag.httpRules(), "TRACE", "/__lattice/not-granted")) {
      Verdict v = verifier.check(q.request("TRACE", "/__lattice/not-granted"));
      if (v.istio().decision() != Decision.DENY) {
        problems.add("TRACE /__lattice/not-granted on " + edge + " is granted by no rule but"
            + " Istio does not deny it\n" + v.explain());
      }
    }
    return problems;
  }

  @Test
  void outsideSourcesReachExactlyTheExposedPorts() {
    World w = verifier.world();
    List<Object[]> sources = new ArrayList<>();
    sources.add(new Object[] {Expectations.Outside.WORLD, Source.world(), w.internet().ip()});
    sources.add(new Object[] {
      Expectations.Outside.KUBE_APISERVER, Source.kubeApiserver(), w.kubeApiserver().ip()
    });
    sources.add(new Object[] {Expectations.Outside.REMOTE_NODE, Source.remoteNode(), null});
    TreeSet<String> cidrs = new TreeSet<>(List.of("198.51.100.0/24"));
    for (Service s : topology.services()) {
      for (Port p : s.ports()) {
        p.exposedTo().stream()
            .filter(x -> x.kind() == Exposure.Kind.CIDR)
            .forEach(x -> cidrs.add(x.cidr().orElseThrow()));
      }
    }
    for (String c : cidrs) {
      String ip = w.addressIn(c).ip();
      sources.add(new Object[] {Expectations.Outside.CIDR, Source.address(ip), ip});
    }
    List<String> problems = new ArrayList<>();
    int exposedPorts = 0;
    for (Object[] src : sources) {
      Expectations.Outside kind = (Expectations.Outside) src[0];
      for (Service b : topology.services()) {
        for (Port p : b.ports()) {
          Verdict v =
              verifier.check(
                  Query.from((Source) src[1])
                      .to(Destination.service(b.id(), p.port()))
                      .protocol(p.protocol()));
          String edge = src[1] + " -> " + b.id() + " port " + p.name();
          boolean exposed = expect.exposed(p, kind, (String) src[2]);
          exposedPorts += exposed ? 1 : 0;
          Decision l4 = v.cilium().decision();
          if (exposed != (l4 == Decision.ALLOW)) {
            problems.add((exposed ? "exposed " : "unexposed ") + edge + ": Cilium " + l4 + "\n"
                + v.explain());
          }
          Decision l7 = v.istio().decision();
          if (!expect.l7Applies(b.id(), p)) {
            if (l7 != Decision.N_A) {
              problems.add("Istio decided " + l7 + " for " + edge + "\n" + v.explain());
            }
          } else if (expect.plaintext(b.id(), p) != (l7 == Decision.ALLOW)) {
            problems.add("Istio " + l7 + " for " + edge + "\n" + v.explain());
          }
        }
      }
    }
    assertThat(problems).isEmpty();
    // the gateway's two ports to world and nodes, the webhook's to the API server
    assertThat(exposedPorts).isGreaterThanOrEqualTo(5);
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
