package dev.lattice.verify.properties;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.cilium.CiliumOptions;
import dev.lattice.cilium.CiliumRenderer;
import dev.lattice.graph.Agreement;
import dev.lattice.graph.ServiceGraph;
import dev.lattice.graph.Topology;
import dev.lattice.graph.Waypoint;
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
import dev.lattice.verify.Query;
import dev.lattice.verify.Source;
import dev.lattice.verify.Verdict;
import dev.lattice.verify.Verifier;
import dev.lattice.verify.crd.CrdConformance;
import dev.lattice.verify.crd.Violation;
import dev.lattice.verify.world.World;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The mission's property, over seeded random graphs rendered by both renderers and judged by the
 * independent evaluators: every agreed (caller, callee, port[, request]) is allowed by Cilium
 * alone and by Istio alone, and everything else is denied by each layer alone — except exactly
 * the tolerated edges of DESIGN §9, computed from the graph by {@link Expectations}. Plus: outside
 * sources reach exactly the exposed ports, egress is allowed exactly as declared, HTTP rules are
 * enforced, withheld waypoint labels fail closed, every document passes its CRD, output is
 * byte-identical across runs and threads, and no document has an allow-all shape.
 *
 * <p>{@code -Dlattice.tries=N} runs more graphs, {@code -Dlattice.seed=N} replays one; a failure
 * prints the seed and a shrunk counter-example as DSL code.
 */
class LayerProperties {
  private static final CiliumRenderer CILIUM = CiliumRenderer.create();

  /**
   * What a seed runs with besides its graph: the settings, and the Cilium renderer — for a third
   * of the seeds one that splits every policy larger than 4 KiB into parts, so the suites judge
   * split policies too.
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
   * domains. They stay fixed while a failing graph shrinks.
   */
  private static Settings settings(long seed) {
    int h = (int) (seed % 30);
    return Settings.builder()
        .waypointScope(h % 2 == 0 ? WaypointScope.NAMESPACE : WaypointScope.SERVICE)
        .loadBalancerPreservesSourceIp(h % 3 == 0)
        .trustDomain(h % 5 == 0 ? "prod.example.org" : "cluster.local")
        .build();
  }

  /** A rendered, judged graph; null when the graph does not resolve (shrinking went too far). */
  private static final class Judged {
    final Topology topology;
    final Manifest cilium;
    final Manifest istio;
    final Verifier verifier;
    final Expectations expect;

    private Judged(Topology t, Manifest c, Manifest i, Verifier v) {
      topology = t;
      cilium = c;
      istio = i;
      verifier = v;
      expect = new Expectations(t);
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

  private static synchronized void count(String what) {
    COVERAGE.merge(what, 1, Integer::sum);
  }

  @Test
  void eachLayerAloneAllowsExactlyTheAgreedEdges() {
    COVERAGE.clear();
    PropertyRunner.forAll(
        "each layer alone allows exactly the agreed edges",
        RandomGraphs::generate,
        LayerProperties::config,
        (g, config) -> {
          Judged j = Judged.of(g, config);
          if (j == null) {
            return null;
          }
          if (!j.verifier.findings().isEmpty()) {
            return "the evaluators rejected or dropped rendered policy: " + j.verifier.findings();
          }
          Expectations e = j.expect;
          for (Service a : j.topology.services()) {
            for (Service b : j.topology.services()) {
              for (Port p : b.ports()) {
                Query q = Query.from(Source.service(a.id()))
                    .to(Destination.service(b.id(), p.port()))
                    .protocol(p.protocol());
                Verdict v = j.verifier.check(q);
                boolean agreed = e.agreed(a.id(), b.id(), p);
                String edge = a.id() + " -> " + b.id() + " port " + p;
                count(agreed ? "agreed" : "not agreed");
                String tolerance = e.l4Tolerance(a.id(), b.id(), p);
                if (!agreed && tolerance != null && v.cilium().decision() == Decision.ALLOW) {
                  count("L4 tolerated, " + tolerance.substring(0, tolerance.indexOf(':')));
                }
                if (!agreed && !a.isAmbient() && e.plaintextPorts(b.id()).contains(p)
                    && v.istio().decision() == Decision.ALLOW) {
                  count("L7 tolerated, limit 3");
                }
                Decision l4 = v.cilium().decision();
                if (agreed && l4 != Decision.ALLOW) {
                  return fail("agreed edge " + edge + " is not allowed by Cilium alone", v);
                }
                if (!agreed && l4 == Decision.ALLOW && e.l4Tolerance(a.id(), b.id(), p) == null) {
                  return fail("undeclared edge " + edge + " is allowed by Cilium alone", v);
                }
                Decision l7 = v.istio().decision();
                if (!e.l7Applies(b.id(), p)) {
                  if (l7 != Decision.N_A) {
                    return fail("Istio decided " + l7 + " for " + edge + ", where it has no"
                        + " enforcement point", v);
                  }
                } else {
                  if (l7 == Decision.N_A) {
                    return fail("Istio has no verdict for " + edge + " (an ambient TCP port)", v);
                  }
                  if (agreed && l7 != Decision.ALLOW) {
                    return fail("agreed edge " + edge + " is not allowed by Istio alone", v);
                  }
                  boolean plaintext = !a.isAmbient() && e.plaintextPorts(b.id()).contains(p);
                  if (!agreed && l7 == Decision.ALLOW && !plaintext) {
                    return fail("undeclared edge " + edge + " is allowed by Istio alone", v);
                  }
                }
                if (agreed) {
                  String http = checkRequests(j, e.agreement(a.id(), b.id()).orElseThrow(), q, edge);
                  if (http != null) {
                    return http;
                  }
                }
              }
            }
          }
          return null;
        });
    System.out.println("coverage of the first property: " + COVERAGE);
    if (System.getProperty("lattice.seed", "").isBlank() && Seeds.tries() >= 100) {
      for (String what : List.of("agreed", "not agreed", "L4 tolerated, limit 1",
          "L4 tolerated, limit 2", "L7 tolerated, limit 3", "HTTP agreements")) {
        if (COVERAGE.getOrDefault(what, 0) == 0) {
          throw new AssertionError("the generator never produced a case of \"" + what
              + "\": the property would pass vacuously; coverage " + COVERAGE);
        }
      }
    }
  }

  /** Requests an agreement grants pass both layers; others are denied at L7. */
  private static String checkRequests(Judged j, Agreement ag, Query q, String edge) {
    if (!ag.hasHttpRules()) {
      return null;
    }
    count("HTTP agreements");
    for (HttpRule rule : ag.httpRules()) {
      String[] req = Expectations.matching(rule);
      Verdict v = j.verifier.check(q.request(req[0], req[1]));
      if (v.cilium().decision() != Decision.ALLOW || v.istio().decision() != Decision.ALLOW) {
        return fail("granted request " + req[0] + " " + req[1] + " on " + edge + " is denied", v);
      }
    }
    String method = "TRACE";
    String path = "/__lattice/not-granted";
    if (!Expectations.grants(ag.httpRules(), method, path)) {
      Verdict v = j.verifier.check(q.request(method, path));
      if (v.istio().decision() != Decision.DENY) {
        return fail("request " + method + " " + path + " on " + edge + " is granted by no rule"
            + " but Istio does not deny it", v);
      }
    }
    return null;
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
          if (j == null) {
            return null;
          }
          World w = j.verifier.world();
          List<Object[]> sources = new ArrayList<>();
          sources.add(new Object[] {Expectations.Outside.WORLD, Source.world(), w.internet().ip()});
          sources.add(new Object[] {
            Expectations.Outside.KUBE_APISERVER, Source.kubeApiserver(), w.kubeApiserver().ip()});
          sources.add(new Object[] {Expectations.Outside.REMOTE_NODE, Source.remoteNode(), null});
          Set<String> cidrs = new TreeSet<>(List.of("198.51.100.0/24", "2001:db8:ff::/48"));
          for (Service s : j.topology.services()) {
            for (Port p : s.ports()) {
              p.exposedTo().stream().filter(x -> x.kind() == Exposure.Kind.CIDR)
                  .forEach(x -> cidrs.add(x.cidr().orElseThrow()));
            }
          }
          for (String c : cidrs) {
            String ip = w.addressIn(c).ip();
            sources.add(new Object[] {Expectations.Outside.CIDR, Source.address(ip), ip});
          }
          Expectations e = j.expect;
          for (Object[] src : sources) {
            Expectations.Outside kind = (Expectations.Outside) src[0];
            Source source = (Source) src[1];
            String address = (String) src[2];
            for (Service b : j.topology.services()) {
              for (Port p : b.ports()) {
                Verdict v = j.verifier.check(Query.from(source)
                    .to(Destination.service(b.id(), p.port())).protocol(p.protocol()));
                String edge = source + " -> " + b.id() + " port " + p;
                boolean exposed = e.exposed(p, kind, address);
                Decision l4 = v.cilium().decision();
                if (exposed && l4 != Decision.ALLOW) {
                  return fail("exposed " + edge + " is not allowed by Cilium", v);
                }
                if (!exposed && l4 == Decision.ALLOW) {
                  return fail("unexposed " + edge + " is allowed by Cilium", v);
                }
                Decision l7 = v.istio().decision();
                if (!e.l7Applies(b.id(), p)) {
                  if (l7 != Decision.N_A) {
                    return fail("Istio decided " + l7 + " for " + edge + " without an enforcement point", v);
                  }
                  continue;
                }
                boolean plaintext = e.plaintextPorts(b.id()).contains(p);
                if (plaintext != (l7 == Decision.ALLOW)) {
                  return fail("Istio " + l7 + " for " + edge + ", expected "
                      + (plaintext ? "ALLOW (a plaintext port, limit 3)" : "DENY"), v);
                }
              }
            }
          }
          return null;
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
          if (j == null) {
            return null;
          }
          Set<Egress> targets = new LinkedHashSet<>();
          j.topology.services().forEach(s -> targets.addAll(s.egress()));
          targets.add(Egress.builder().kind(Egress.Kind.FQDN).target("undeclared.example.org")
              .addPorts(443).build());
          for (Service a : j.topology.services()) {
            for (Egress t : targets) {
              for (int port : t.ports().isEmpty() ? List.of(443) : t.ports()) {
                String problem = checkEgress(j, a, t, port);
                if (problem != null) {
                  return problem;
                }
              }
            }
          }
          return null;
        });
  }

  private static String checkEgress(Judged j, Service a, Egress t, int port) {
    World w = j.verifier.world();
    Destination dest;
    String host = null;
    String address;
    switch (t.kind()) {
      case FQDN:
        host = t.isWildcardFqdn() ? "bucket" + t.target().substring(1) : t.target();
        dest = Destination.fqdn(host, port);
        address = w.externalHost(host).ip();
        break;
      case CIDR:
        dest = Destination.cidr(t.target(), port);
        address = w.addressIn(t.target()).ip();
        break;
      default:
        dest = Destination.entity(t.target(), port);
        address = null;
    }
    Verdict v = j.verifier.check(Query.from(Source.service(a.id())).to(dest).protocol(t.protocol()));
    String edge = a.id() + " -> " + dest + "/" + t.protocol();
    boolean declared = covered(a, t, host, address, port, w);
    Optional<Waypoint> route = meshRoute(j, a, host, port, t.protocol());
    Decision l4 = v.cilium().decision();
    if (declared && l4 != Decision.ALLOW) {
      return fail("declared egress " + edge + " is not allowed by Cilium", v);
    }
    if (!declared && l4 == Decision.ALLOW
        && !(route.isPresent() && j.expect.reachesWaypoint(a.id(), route.get()))) {
      return fail("undeclared egress " + edge + " is allowed by Cilium", v);
    }
    Decision l7 = v.istio().decision();
    if (route.isPresent()) {
      boolean declaredExact =
          a.egress().stream().anyMatch(x -> x.isMeshRouted() && x.target().equals(t.target())
              && x.ports().contains(port));
      Decision want = declaredExact ? Decision.ALLOW : Decision.DENY;
      if (l7 != want && !(l7 == Decision.DENY && l4 == Decision.DENY && !declaredExact)) {
        return fail("Istio " + l7 + " for mesh-routed " + edge + ", expected " + want, v);
      }
    } else if (l7 != Decision.N_A) {
      return fail("Istio decided " + l7 + " for " + edge + ", which passes no waypoint", v);
    }
    return null;
  }

  /**
   * The namespace waypoint that routes {@code host}:{@code port} for {@code a}: a ServiceEntry
   * exists in a's namespace (some ambient service there declares it, exact, TCP) and a is
   * ambient. Empty for everything else (direct route, or not captured).
   */
  private static Optional<Waypoint> meshRoute(Judged j, Service a, String host, int port, Protocol proto) {
    if (host == null || !a.isAmbient() || proto != Protocol.TCP) {
      return Optional.empty();
    }
    boolean entry =
        j.topology.services().stream()
            .filter(s -> s.isAmbient() && s.namespace().equals(a.namespace()))
            .flatMap(s -> s.egress().stream())
            .anyMatch(x -> x.isMeshRouted() && x.target().equals(host) && x.ports().contains(port));
    if (!entry) {
      return Optional.empty();
    }
    return j.topology.waypoints().stream()
        .filter(wp -> wp.routesEgress() && wp.namespace().equals(a.namespace()))
        .findFirst();
  }

  /** Whether a's declared egress covers the destination (Cilium's peer and port semantics). */
  private static boolean covered(Service a, Egress t, String host, String address, int port, World w) {
    for (Egress e : a.egress()) {
      boolean portOk = e.ports().isEmpty() || (e.ports().contains(port) && e.protocol() == t.protocol());
      if (!portOk) {
        continue;
      }
      switch (t.kind()) {
        case FQDN:
          if (e.kind() == Egress.Kind.FQDN && fqdnMatches(e.target(), host)) {
            return true;
          }
          break;
        case CIDR:
          if (e.kind() == Egress.Kind.CIDR && Expectations.contains(e.target(), address)) {
            return true;
          }
          if (e.kind() == Egress.Kind.ENTITY && e.target().equals("world")) {
            return true;
          }
          break;
        default:
          if (e.kind() == Egress.Kind.ENTITY && entityCovers(e.target(), t.target())) {
            return true;
          }
          if (e.kind() == Egress.Kind.CIDR && t.target().equals("world")
              && Expectations.contains(e.target(), w.internet().ip())) {
            return true;
          }
          if (e.kind() == Egress.Kind.CIDR && t.target().equals("kube-apiserver")
              && Expectations.contains(e.target(), w.kubeApiserver().ip())) {
            return true;
          }
      }
    }
    return false;
  }

  /** C9: cluster holds host, remote-node and kube-apiserver; the external API server is also world. */
  private static boolean entityCovers(String declared, String target) {
    if (declared.equals(target)) {
      return true;
    }
    if (declared.equals("cluster")) {
      return List.of("host", "remote-node", "kube-apiserver").contains(target);
    }
    if (declared.equals("remote-node")) {
      return target.equals("cluster"); // the world represents 'cluster' by a remote node
    }
    return declared.equals("world") && target.equals("kube-apiserver");
  }

  /** C13: matchName exact; a leading "*." matches exactly one more label. */
  private static boolean fqdnMatches(String declared, String host) {
    if (!declared.startsWith("*.")) {
      return declared.equals(host);
    }
    String suffix = declared.substring(1);
    return host.endsWith(suffix) && host.indexOf('.') == host.length() - suffix.length();
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
            if (!a.isAmbient() || t.view(ag.callee()).orElseThrow().waypoint().isEmpty()) {
              continue;
            }
            for (Port p : ag.ports()) {
              if (p.protocol() != Protocol.TCP) {
                continue;
              }
              Query q = Query.from(Source.service(a.id())).to(Destination.service(ag.callee(), p.port()));
              if (!ag.httpRules().isEmpty()) {
                String[] req = Expectations.matching(ag.httpRules().get(0));
                q = q.request(req[0], req[1]);
              }
              Verdict verdict = v.check(q);
              if (verdict.istio().decision() != Decision.DENY) {
                return fail("without its use-waypoint label, " + ag.callee() + " is reached by "
                    + a.id() + " on " + p + " past the waypoint", verdict);
              }
            }
          }
          return null;
        });
  }

  // ------------------------------------------------------------------ documents

  @Test
  void everyRenderedDocumentPassesItsCrd() {
    Path dir = CrdConformance.defaultDirectory();
    if (!Files.isDirectory(dir)) {
      System.err.println("SKIPPED: the upstream CRDs are not at " + dir.toAbsolutePath()
          + " (set -Dlattice.crds or LATTICE_CRDS); .ci/run refuses to run without them");
    }
    Assumptions.assumeTrue(Files.isDirectory(dir), "CRD directory " + dir + " is missing");
    CrdConformance crds = CrdConformance.load(dir);
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
            String again = config.cilium().render(g.resolve(config.settings())).plus(ISTIO.render(t)).toYaml();
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
          t.services().stream().anyMatch(s ->
              s.ports().stream().anyMatch(p -> p.exposedTo().stream().anyMatch(x -> x.kind() == Exposure.Kind.WORLD))
                  || s.egress().stream().anyMatch(e -> e.kind() == Egress.Kind.ENTITY && e.target().equals("world")));
      boolean clusterDeclared =
          t.services().stream().anyMatch(s ->
              s.egress().stream().anyMatch(e -> e.kind() == Egress.Kind.ENTITY && e.target().equals("cluster")));
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
          for (String field : List.of("fromCIDR", "fromCIDRSet", "toCIDR", "toCIDRSet", "toFQDNs")) {
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
