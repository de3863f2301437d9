package dev.lattice.verify.properties;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.cilium.CiliumOptions;
import dev.lattice.cilium.CiliumRenderer;
import dev.lattice.crd.CrdConformance;
import dev.lattice.crd.Violation;
import dev.lattice.crd.testing.UpstreamCrds;
import dev.lattice.graph.Agreement;
import dev.lattice.graph.ServiceGraph;
import dev.lattice.graph.Topology;
import dev.lattice.istio.IstioRenderer;
import dev.lattice.model.Egress;
import dev.lattice.model.Exposure;
import dev.lattice.model.HttpRule;
import dev.lattice.model.Port;
import dev.lattice.model.Protocol;
import dev.lattice.model.Service;
import dev.lattice.model.Settings;
import dev.lattice.model.WaypointScope;
import dev.lattice.output.Manifest;
import dev.lattice.output.Resource;
import dev.lattice.testing.PropertyRunner;
import dev.lattice.testing.RandomGraphs;
import dev.lattice.testing.Seeds;
import dev.lattice.verify.Decision;
import dev.lattice.verify.Destination;
import dev.lattice.verify.Exactness;
import dev.lattice.verify.Query;
import dev.lattice.verify.Source;
import dev.lattice.verify.Verdict;
import dev.lattice.verify.Verifier;
import dev.lattice.verify.world.World;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The mission's property, over seeded random graphs rendered by both renderers and judged by the
 * independent evaluators: every agreed (caller, callee, port[, request]) is allowed by Cilium alone
 * and by Istio alone, and everything else is denied by each layer alone — except exactly the
 * tolerated edges of DESIGN §9, computed from the graph by {@link Exactness}. Plus: outside sources
 * reach exactly the exposed ports, egress is allowed exactly as declared, HTTP rules are enforced,
 * withheld waypoint labels fail closed, every document passes its CRD, output is byte-identical
 * across runs and threads, and no document has an allow-all shape.
 *
 * <p>{@code -Dlattice.tries=N} runs more graphs, {@code -Dlattice.seed=N} replays one; a failure
 * prints the seed and a shrunk counter-example as DSL code.
 */
class LayerProperties {
  private static final CiliumRenderer CILIUM = CiliumRenderer.create();

  /**
   * What a seed runs with besides its graph: the settings, and the Cilium renderer — for a third of
   * the seeds one that splits every policy larger than 4 KiB into parts, so the suites judge split
   * policies too.
   */
  record Config(Settings settings, CiliumRenderer cilium) {
    @Override
    public String toString() {
      return settings + ", " + cilium.options();
    }
  }

  private static Config config(long seed) {
    CiliumRenderer cilium =
        seed % 3 == 0
            ? CiliumRenderer.create(CiliumOptions.builder().maxDocumentBytes(4096).build())
            : CILIUM;
    return new Config(settings(seed), cilium);
  }

  private static final IstioRenderer ISTIO = IstioRenderer.create();

  /**
   * The settings a seed runs with: both waypoint scopes, both load-balancer modes, two trust
   * domains, with and without an implicit metrics scraper. They stay fixed while a failing graph
   * shrinks.
   */
  private static Settings settings(long seed) {
    int h = (int) (seed % 30);
    Settings.Builder b =
        Settings.builder()
            .waypointScope(h % 2 == 0 ? WaypointScope.NAMESPACE : WaypointScope.SERVICE)
            .loadBalancerPreservesSourceIp(h % 3 == 0)
            .trustDomain(h % 5 == 0 ? "prod.example.org" : "cluster.local");
    if (h % 4 == 1) {
      // the platform's implicit scraper, played by a service the generator often makes (the
      // first one is always "web"): every port named metrics admits it, by pod IP
      b.metricsScraper(dev.lattice.model.ServiceId.of("shop", "web"));
    }
    return b.build();
  }

  /** A rendered, judged graph; null when the graph does not resolve (shrinking went too far). */
  private static final class Judged {
    final Topology topology;
    final Manifest cilium;
    final Manifest istio;
    final Verifier verifier;

    private Judged(Topology t, Manifest c, Manifest i, Verifier v) {
      topology = t;
      cilium = c;
      istio = i;
      verifier = v;
    }

    static Judged of(ServiceGraph g, Config config) {
      Topology t = g.resolve(config.settings());
      if (t.hasErrors()) {
        return null;
      }
      Manifest c = config.cilium().render(t);
      Manifest i = ISTIO.render(t);
      return new Judged(t, c, i, Verifier.of(t, c, i));
    }
  }

  private static String fail(String what, Verdict v) {
    return what + "\n" + v.explain();
  }

  // ------------------------------------------------------------------ service to service

  /** What the first property exercised, so a degenerate generator cannot pass it vacuously. */
  private static final java.util.Map<String, Integer> COVERAGE = new java.util.TreeMap<>();

  private static synchronized void count(java.util.Map<String, Integer> seen) {
    seen.forEach((k, v) -> COVERAGE.merge(k, v, Integer::sum));
  }

  /** The first problem {@code e} found, or null. */
  private static String first(Exactness e) {
    return e.isExact() ? null : e.problems().get(0);
  }

  @Test
  void eachLayerAloneAllowsExactlyTheAgreedEdges() {
    COVERAGE.clear();
    PropertyRunner.forAll(
        "each layer alone allows exactly the agreed edges",
        RandomGraphs::generate,
        LayerProperties::config,
        (g, config) -> exactServiceToService(g, config, LayerProperties::count));
    System.out.println("coverage of the first property: " + COVERAGE);
    if (System.getProperty("lattice.seed", "").isBlank() && Seeds.tries() >= 100) {
      for (String what :
          List.of(
              "agreed",
              "not agreed",
              "L4 tolerated, limit 1",
              "L4 tolerated, limit 2",
              "L7 tolerated, limit 3",
              "L7 tolerated, shared identity",
              "HTTP agreements",
              "agreed by pod IP",
              "agreed by pod IP past a waypoint",
              "gateway through a waypoint",
              "scraper agreements by pod IP")) {
        if (COVERAGE.getOrDefault(what, 0) == 0) {
          throw new AssertionError(
              "the generator never produced a case of \""
                  + what
                  + "\": the property would pass vacuously; coverage "
                  + COVERAGE);
        }
      }
    }
  }

  /**
   * The first property's check of one graph: null when each layer alone allows exactly the agreed
   * edges (or the graph does not resolve), else the first problem. What it exercised, and the
   * implicit scraper's pod-IP agreements, go to {@code seen}.
   */
  private static String exactServiceToService(
      ServiceGraph g,
      Config config,
      java.util.function.Consumer<java.util.Map<String, Integer>> seen) {
    Judged j = Judged.of(g, config);
    if (j == null) {
      return null;
    }
    if (!j.verifier.findings().isEmpty()) {
      return "the evaluators rejected or dropped rendered policy: " + j.verifier.findings();
    }
    Exactness e = Exactness.of(j.topology, j.verifier).serviceToService();
    seen.accept(e.seen());
    config
        .settings()
        .metricsScraper()
        .ifPresent(
            scraper -> {
              long implicit =
                  j.topology.agreements().stream()
                      .filter(a -> a.caller().equals(scraper) && a.byPodIp())
                      .count();
              seen.accept(java.util.Map.of("scraper agreements by pod IP", (int) implicit));
            });
    return first(e);
  }

  /**
   * The first property on graphs tilted towards callers that dial pod addresses of services behind
   * a waypoint (a scraper's way past the Service's waypoint, M2/R5): the default generator makes a
   * handful of those in a whole run, this one makes them in most graphs.
   */
  @Test
  void podIpCallersPastWaypointsAreExactInEachLayer() {
    RandomGraphs.Options options = new RandomGraphs.Options();
    options.podIpRate = 0.8;
    options.httpRate = 0.5;
    options.nonMeshRate = 0.05;
    options.edgeRate = 0.5;
    options.maxServices = 8;
    java.util.Map<String, Integer> seen = new java.util.concurrent.ConcurrentHashMap<>();
    PropertyRunner.forAll(
        "each layer alone allows exactly the agreed edges, pod-IP callers past waypoints",
        seed -> RandomGraphs.generate(seed, options),
        LayerProperties::config,
        (g, config) ->
            exactServiceToService(
                g, config, m -> m.forEach((k, v) -> seen.merge(k, v, Integer::sum))));
    System.out.println("coverage of the pod-IP property: " + new java.util.TreeMap<>(seen));
    if (System.getProperty("lattice.seed", "").isBlank() && Seeds.tries() >= 100) {
      assertThat(seen.getOrDefault("agreed by pod IP past a waypoint", 0))
          .as("pod-IP agreements past a waypoint, coverage " + seen)
          .isGreaterThanOrEqualTo(Seeds.tries() / 8);
    }
  }

  // ------------------------------------------------------------------ outside sources

  @Test
  void outsideSourcesReachExactlyTheExposedPorts() {
    RandomGraphs.Options options = new RandomGraphs.Options();
    options.exposureRate = 0.4;
    PropertyRunner.forAll(
        "outside sources reach exactly the exposed ports",
        seed -> RandomGraphs.generate(seed, options),
        LayerProperties::config,
        (g, config) -> {
          Judged j = Judged.of(g, config);
          return j == null ? null : first(Exactness.of(j.topology, j.verifier).outsideSources());
        });
  }

  // ------------------------------------------------------------------ egress

  @Test
  void egressIsAllowedExactlyAsDeclared() {
    RandomGraphs.Options options = new RandomGraphs.Options();
    options.egressRate = 0.6;
    PropertyRunner.forAll(
        "egress is allowed exactly as declared",
        seed -> RandomGraphs.generate(seed, options),
        LayerProperties::config,
        (g, config) -> {
          Judged j = Judged.of(g, config);
          return j == null ? null : first(Exactness.of(j.topology, j.verifier).egress());
        });
  }

  // ------------------------------------------------------------------ fail closed

  @Test
  void withoutTheWaypointLabelsTrafficToServicesBehindWaypointsFailsClosed() {
    PropertyRunner.forAll(
        "without the use-waypoint labels, traffic to services behind waypoints fails closed",
        RandomGraphs::generate,
        LayerProperties::config,
        (g, config) -> {
          Topology t = g.resolve(config.settings());
          if (t.hasErrors()) {
            return null;
          }
          Manifest c = config.cilium().render(t);
          Manifest i = ISTIO.render(t);
          World world = World.builder(t).manifest(c).manifest(i).applyRequiredLabels(false).build();
          Verifier v = Verifier.of(world, c, i);
          for (Agreement ag : t.agreements()) {
            Service a = t.service(ag.caller()).orElseThrow();
            if (!a.isAmbient()
                || ag.byPodIp()
                || t.view(ag.callee()).orElseThrow().waypoint().isEmpty()) {
              // pod-IP callers never take the waypoint: they need no label (R5)
              continue;
            }
            for (Port p : ag.ports()) {
              if (p.protocol() != Protocol.TCP || admittedDirectly(t, a, ag.callee(), p)) {
                continue;
              }
              Query q =
                  Query.from(Source.service(a.id())).to(Destination.service(ag.callee(), p.port()));
              if (!ag.httpRules().isEmpty()) {
                HttpRule rule = ag.httpRules().get(0);
                q =
                    q.request(
                        rule.methods().isEmpty() ? "GET" : rule.methods().get(0),
                        rule.paths().isEmpty() ? "/" : concrete(rule.paths().get(0)));
              }
              Verdict verdict = v.check(q);
              if (verdict.istio().decision() != Decision.DENY) {
                return fail(
                    "without its use-waypoint label, "
                        + ag.callee()
                        + " is reached by "
                        + a.id()
                        + " on "
                        + p
                        + " past the waypoint",
                    verdict);
              }
            }
          }
          return null;
        });
  }

  /**
   * Whether the callee's ztunnel admits {@code a}'s principal on {@code p}'s container port without
   * the waypoint: a pod-IP caller with {@code a}'s service account has an agreement there (a shared
   * identity, which resolution warns about).
   */
  private static boolean admittedDirectly(
      Topology t, Service a, dev.lattice.model.ServiceId callee, Port p) {
    for (Agreement other : t.view(callee).orElseThrow().inbound()) {
      Service y = t.service(other.caller()).orElseThrow();
      if (other.byPodIp()
          && y.isAmbient()
          && y.namespace().equals(a.namespace())
          && y.serviceAccount().equals(a.serviceAccount())
          && other.ports().stream()
              .anyMatch(q -> q.protocol() == Protocol.TCP && q.targetPort() == p.targetPort())) {
        return true;
      }
    }
    return false;
  }

  /** A path the Istio pattern {@code pattern} matches: exact, prefix ({@code a*}) or suffix. */
  private static String concrete(String pattern) {
    if (pattern.equals("*")) {
      return "/anything";
    }
    if (pattern.startsWith("*")) {
      return "/x/y" + pattern.substring(1);
    }
    return pattern.endsWith("*") ? pattern.substring(0, pattern.length() - 1) + "x/y" : pattern;
  }

  // ------------------------------------------------------------------ documents

  @Test
  void everyRenderedDocumentPassesItsCrd() {
    CrdConformance crds = UpstreamCrds.conformance();
    RandomGraphs.Options options = new RandomGraphs.Options();
    options.exposureRate = 0.2;
    options.egressRate = 0.5;
    PropertyRunner.forAll(
        "every rendered document passes its CRD",
        seed -> RandomGraphs.generate(seed, options),
        LayerProperties::config,
        (g, config) -> {
          Topology t = g.resolve(config.settings());
          if (t.hasErrors()) {
            return null;
          }
          for (Manifest m : List.of(config.cilium().render(t), ISTIO.render(t))) {
            for (Resource r : m.resources()) {
              List<Violation> v = crds.validate(r.document());
              if (!v.isEmpty()) {
                return r.key() + " fails its CRD: " + v + "\n" + r.toYaml();
              }
            }
          }
          return null;
        });
  }

  @Test
  void renderingIsByteIdenticalAcrossRunsAndThreads() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      PropertyRunner.forAll(
          "rendering is byte-identical across runs and threads",
          RandomGraphs::generate,
          LayerProperties::config,
          (g, config) -> {
            Topology t = g.resolve(config.settings());
            if (t.hasErrors()) {
              return null;
            }
            String once = config.cilium().render(t).plus(ISTIO.render(t)).toYaml();
            String again =
                config.cilium().render(g.resolve(config.settings())).plus(ISTIO.render(t)).toYaml();
            if (!once.equals(again)) {
              return "two renders differ";
            }
            List<Future<String>> runs = new ArrayList<>();
            for (int k = 0; k < 4; k++) {
              runs.add(pool.submit(() -> config.cilium().render(t).plus(ISTIO.render(t)).toYaml()));
            }
            for (Future<String> f : runs) {
              try {
                if (!f.get().equals(once)) {
                  return "a render on another thread differs";
                }
              } catch (Exception e) {
                return "a render on another thread failed: " + e;
              }
            }
            return null;
          });
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void noDocumentHasAnAllowAllShape() {
    PropertyRunner.forAll(
        "no rendered document has an allow-all shape",
        RandomGraphs::generate,
        LayerProperties::config,
        (g, config) -> {
          Topology t = g.resolve(config.settings());
          if (t.hasErrors()) {
            return null;
          }
          for (Resource r : config.cilium().render(t).resources()) {
            String shape = AllowAll.cilium(r.document(), t);
            if (shape != null) {
              return r.key() + ": " + shape + "\n" + r.toYaml();
            }
          }
          for (Resource r : ISTIO.render(t).resources()) {
            String shape = AllowAll.istio(r.document());
            if (shape != null) {
              return r.key() + ": " + shape + "\n" + r.toYaml();
            }
          }
          return null;
        });
  }

  /** Recognises rule shapes that would admit everyone. */
  static final class AllowAll {
    private AllowAll() {}

    static String cilium(JsonNode doc, Topology t) {
      boolean worldDeclared =
          t.services().stream()
              .anyMatch(
                  s ->
                      s.ports().stream()
                              .anyMatch(
                                  p ->
                                      p.exposedTo().stream()
                                          .anyMatch(Exposure.World.class::isInstance))
                          || s.egress().stream()
                              .anyMatch(e -> e.target().equals(new Egress.Entity("world"))));
      boolean clusterDeclared =
          t.services().stream()
              .anyMatch(
                  s ->
                      s.egress().stream()
                          .anyMatch(e -> e.target().equals(new Egress.Entity("cluster"))));
      for (String section : List.of("ingress", "egress")) {
        for (JsonNode rule : doc.path("spec").path(section)) {
          boolean hasPeer = false;
          for (String field : List.of("fromEndpoints", "toEndpoints")) {
            for (JsonNode sel : rule.path(field)) {
              hasPeer = true;
              if (sel.path("matchLabels").isEmpty() && sel.path("matchExpressions").isEmpty()) {
                return section + " has an empty endpoint selector (every pod)";
              }
            }
          }
          for (String field : List.of("fromEntities", "toEntities")) {
            for (JsonNode e : rule.path(field)) {
              hasPeer = true;
              String entity = e.asText();
              if (entity.equals("all")
                  || (entity.equals("world") && !worldDeclared)
                  || (entity.equals("cluster") && !clusterDeclared)) {
                return section + " admits entity " + entity + ", which nothing declared";
              }
            }
          }
          for (String field :
              List.of("fromCIDR", "fromCIDRSet", "toCIDR", "toCIDRSet", "toFQDNs")) {
            if (rule.has(field)) {
              hasPeer = true;
            }
          }
          if (!hasPeer && rule.has("toPorts")) {
            return section + " has toPorts without a peer, which applies to every peer (C12)";
          }
        }
      }
      return null;
    }

    static String istio(JsonNode doc) {
      if (!doc.path("kind").asText().equals("AuthorizationPolicy")) {
        return null;
      }
      String action = doc.path("spec").path("action").asText("ALLOW");
      for (JsonNode rule : doc.path("spec").path("rules")) {
        if (!action.equals("ALLOW")) {
          continue;
        }
        if (!rule.has("from") || rule.path("from").isEmpty()) {
          return "an ALLOW rule without sources admits every caller";
        }
        for (JsonNode from : rule.path("from")) {
          if (from.path("source").isEmpty()) {
            return "an ALLOW rule with an empty source admits every caller";
          }
        }
      }
      return null;
    }
  }
}
