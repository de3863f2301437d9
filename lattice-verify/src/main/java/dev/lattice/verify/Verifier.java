package dev.lattice.verify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.graph.Topology;
import dev.lattice.output.Manifest;
import dev.lattice.output.Resource;
import dev.lattice.verify.cilium.CiliumEvaluator;
import dev.lattice.verify.istio.IstioEvaluator;
import dev.lattice.verify.world.World;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The judge: answers, for rendered Cilium and Istio documents in a {@link World}, whether a
 * connection passes each layer and why. Each layer is judged from its own documents only, by an
 * evaluator derived from the upstream semantics (SEMANTICS.md), never from the renderers.
 *
 * <pre>{@code
 * Topology topology = graph.resolve().orThrow();
 * Verifier verifier = Verifier.of(topology, ciliumManifest, istioManifest);
 * Verdict v = verifier.check(Query.from("shop/web").to("shop/api", 80).request("GET", "/api/x"));
 * if (!v.allowed()) System.out.println(v.explain());
 * System.out.println(verifier.matrix().render());
 * }</pre>
 *
 * <p>Queries name the <em>Service</em> port (what clients dial); the world maps it to the pods'
 * target port. Verdicts are cached per query; a verifier is thread-safe.
 */
public final class Verifier {
  private final World world;
  private final CiliumEvaluator cilium;
  private final IstioEvaluator istio;
  private final Router router;
  private final List<JsonNode> ciliumDocuments;
  private final List<JsonNode> istioDocuments;
  private final Map<Query, Verdict> cache = new ConcurrentHashMap<>();

  private Verifier(
      World world,
      CiliumEvaluator cilium,
      IstioEvaluator istio,
      List<JsonNode> ciliumDocuments,
      List<JsonNode> istioDocuments) {
    this.world = world;
    this.cilium = cilium;
    this.istio = istio;
    this.ciliumDocuments = ciliumDocuments;
    this.istioDocuments = istioDocuments;
    this.router = new Router(world, cilium, istio);
  }

  /** A verifier of {@code ciliumDocuments} and {@code istioDocuments} in {@code world}. */
  public static Verifier of(
      World world,
      Collection<? extends JsonNode> ciliumDocuments,
      Collection<? extends JsonNode> istioDocuments) {
    Objects.requireNonNull(world, "world");
    List<JsonNode> c = List.copyOf(ciliumDocuments);
    List<JsonNode> i = List.copyOf(istioDocuments);
    return new Verifier(world, CiliumEvaluator.of(c, world), IstioEvaluator.of(i, world), c, i);
  }

  /** A verifier of the two rendered manifests in {@code world}. */
  public static Verifier of(World world, Manifest cilium, Manifest istio) {
    return of(world, documents(cilium), documents(istio));
  }

  /**
   * A verifier of the two rendered manifests, in the world of {@code topology} as the manifests
   * imply it (waypoint Gateways, ServiceEntries, required labels applied).
   */
  public static Verifier of(Topology topology, Manifest cilium, Manifest istio) {
    World world = World.builder(topology).manifest(cilium).manifest(istio).build();
    return of(world, cilium, istio);
  }

  private static List<JsonNode> documents(Manifest m) {
    List<JsonNode> out = new ArrayList<>();
    for (Resource r : m.resources()) {
      out.add(r.document());
    }
    return out;
  }

  /** The world. */
  public World world() {
    return world;
  }

  /** The Cilium evaluator. */
  public CiliumEvaluator cilium() {
    return cilium;
  }

  /** The Istio evaluator. */
  public IstioEvaluator istio() {
    return istio;
  }

  /** The documents the Cilium evaluator was given, in their order (other kinds included). */
  public List<JsonNode> ciliumDocuments() {
    return ciliumDocuments;
  }

  /** The documents the Istio evaluator was given, in their order (other kinds included). */
  public List<JsonNode> istioDocuments() {
    return istioDocuments;
  }

  /**
   * What the evaluators and the world noticed: rejected policies, dropped rules, missing waypoints.
   */
  public List<String> findings() {
    return router.findings();
  }

  /**
   * The verdict on {@code query}.
   *
   * @throws IllegalArgumentException when the query names a service or Service port the world does
   *     not have
   */
  public Verdict check(Query query) {
    Objects.requireNonNull(query, "query");
    Verdict v = cache.get(query);
    if (v == null) {
      v = router.route(query);
      cache.putIfAbsent(query, v);
    }
    return v;
  }

  /** The verdict on {@code from} calling {@code to} on its Service port {@code port}. */
  public Verdict check(String from, String to, int port) {
    return check(Query.from(from).to(to, port));
  }

  /**
   * A multi-line explanation of {@code query}'s verdict (what the CLI's {@code explain} prints).
   */
  public String explain(Query query) {
    return check(query).explain();
  }

  /** The connectivity matrix over every (service, service, Service port) of the world. */
  public ConnectivityMatrix matrix() {
    return ConnectivityMatrix.of(this);
  }

  @Override
  public String toString() {
    return "Verifier(" + world + ")";
  }
}
