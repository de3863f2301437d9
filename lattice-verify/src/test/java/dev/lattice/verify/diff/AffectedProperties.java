package dev.lattice.verify.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.cilium.CiliumRenderer;
import dev.lattice.graph.ServiceGraph;
import dev.lattice.graph.Topology;
import dev.lattice.istio.IstioRenderer;
import dev.lattice.model.Declaration;
import dev.lattice.model.Direction;
import dev.lattice.model.Egress;
import dev.lattice.model.Exposure;
import dev.lattice.model.HttpRule;
import dev.lattice.model.MeshMode;
import dev.lattice.model.PeerAuth;
import dev.lattice.model.Port;
import dev.lattice.model.Service;
import dev.lattice.model.Settings;
import dev.lattice.model.WaypointScope;
import dev.lattice.output.Manifest;
import dev.lattice.testing.Graphs;
import dev.lattice.testing.PropertyRunner;
import dev.lattice.testing.RandomGraphs;
import dev.lattice.verify.Verifier;
import dev.lattice.verify.world.World;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The diff judges only what a change touches ({@link Affected}), and must find exactly what judging
 * every connection finds: over seeded random graph pairs, rendered by both renderers, {@code
 * between(A, B)} equals {@link ConnectivityDiff#exhaustive} — the same changes, verdicts and
 * declarations, in both directions, as text and as JSON.
 *
 * <p>B is made from A by one edit of the declarations (an independent random graph, a service,
 * declaration, port or egress removed or added, the mesh mode, service account, selector, peer
 * traffic, gateway flag, pod-IP dialing or HTTP rules changed, a port exposed), of the world alone
 * (a waypoint label on a pod, a Service or a namespace, which the declarations do not say), or of
 * the rendered documents alone (one removed, one given another's spec, one duplicated under another
 * name) — so the documents' reach is tested apart from the services whose declarations changed.
 * {@code -Dlattice.seed=N} replays one seed; a failure prints a shrunk A.
 */
class AffectedProperties {
  private static final CiliumRenderer CILIUM = CiliumRenderer.create();
  private static final IstioRenderer ISTIO = IstioRenderer.create();

  /** How B is made from A, with the settings A is rendered with, and those of B. */
  record Edit(
      Settings settings,
      Settings settingsOfB,
      String what,
      UnaryOperator<ServiceGraph> graph,
      BiConsumer<World.Builder, ServiceGraph> world,
      UnaryOperator<List<JsonNode>> documents,
      boolean documentsOfA) {
    Edit(
        Settings settings,
        String what,
        UnaryOperator<ServiceGraph> graph,
        BiConsumer<World.Builder, ServiceGraph> world,
        UnaryOperator<List<JsonNode>> documents,
        boolean documentsOfA) {
      this(settings, settings, what, graph, world, documents, documentsOfA);
    }

    @Override
    public String toString() {
      return "B = "
          + what
          + ", "
          + settings
          + (settingsOfB.equals(settings) ? "" : ", B rendered with " + settingsOfB);
    }
  }

  static final int KINDS = 28;

  static Edit edit(long seed) {
    Settings settings =
        Settings.builder()
            .waypointScope(seed % 2 == 0 ? WaypointScope.NAMESPACE : WaypointScope.SERVICE)
            .loadBalancerPreservesSourceIp(seed % 3 == 0)
            .build();
    int at = (int) ((seed >>> 8) % 97);
    int other = (int) ((seed >>> 16) % 89);
    int which = (int) ((seed >>> 24) % KINDS);
    if (which >= 20 && which < 23) {
      // the declarations change, the documents do not: what the world alone makes of it
      Edit e = edit(settings, 1 + (other + which) % 14, at, other, seed);
      return new Edit(
          settings, e.what() + ", judged with A's documents", e.graph(), e.world(), d -> d, true);
    }
    if (which == 23 || which == 24) {
      return new Edit(
          settings,
          "A's documents without the policy attached at a waypoint to Service or ServiceEntry #"
              + at,
          g -> g,
          (w, g) -> {},
          docs -> withoutWaypointPolicy(docs, at),
          false);
    }
    if (which == 25) {
      // the platform's scraper, or one of A's services (so that it is declared)
      List<Service> services = graph(seed).services();
      Settings b =
          Settings.builder()
              .waypointScope(settings.waypointScope())
              .loadBalancerPreservesSourceIp(settings.loadBalancerPreservesSourceIp())
              .metricsScraper(
                  other % 2 == 0 || services.isEmpty()
                      ? Settings.PLATFORM_METRICS_SCRAPER
                      : services.get(at % services.size()).id())
              .build();
      return new Edit(
          settings,
          b,
          "A rendered and judged with a metrics scraper",
          g -> g,
          (w, g) -> {},
          d -> d,
          false);
    }
    return edit(settings, which, at, other, seed);
  }

  private static Edit edit(Settings settings, int which, int at, int other, long seed) {
    BiConsumer<World.Builder, ServiceGraph> sameWorld = (w, g) -> {};
    UnaryOperator<List<JsonNode>> sameDocs = d -> d;
    UnaryOperator<ServiceGraph> sameGraph = g -> g;
    switch (which) {
      case 0:
        return new Edit(
            settings,
            "an independent random graph (seed " + (seed ^ 0x5A5A) + ")",
            g -> RandomGraphs.generate(seed ^ 0x5A5A),
            sameWorld,
            sameDocs,
            false);
      case 1:
        return graph(settings, "A without service #" + at, g -> Graphs.remove(g, at % size(g)));
      case 2:
        return graph(
            settings,
            "A without declaration #" + other + " of service #" + at,
            g -> onService(g, at, d -> remove(d.declarations, other)));
      case 3:
        return graph(
            settings,
            "A without port #" + other + " of service #" + at,
            g -> onService(g, at, d -> remove(d.ports, other)));
      case 4:
        return graph(
            settings,
            "A with service #" + at + " moved in or out of the mesh",
            g ->
                onService(
                    g,
                    at,
                    d -> d.mesh = d.mesh == MeshMode.AMBIENT ? MeshMode.NONE : MeshMode.AMBIENT));
      case 5:
        return graph(
            settings,
            "A with service #" + at + " under another service account",
            g ->
                onService(
                    g,
                    at,
                    d ->
                        d.serviceAccount =
                            d.serviceAccount.equals("default") ? d.name : "default"));
      case 6:
        return graph(
            settings,
            "A with service #" + at + " selecting its pods by another label",
            g -> onService(g, at, d -> d.selector.put("version", "v2")));
      case 7:
        return graph(
            settings,
            "A with service #" + at + " granting HTTP rules on inbound declaration #" + other,
            g ->
                onDeclaration(
                    g,
                    at,
                    other,
                    x ->
                        x.direction().isInbound()
                            ? Graphs.withParts(
                                x,
                                x.ports(),
                                List.of(HttpRule.of(List.of("GET"), List.of("/api/*"))))
                            : x));
      case 8:
        return graph(
            settings,
            "A with declaration #" + other + " of service #" + at + " dialing pods or not",
            g ->
                onDeclaration(
                    g,
                    at,
                    other,
                    x ->
                        Graphs.withParts(
                            x, x.ports(), x.byPodIp() ? x.httpRules() : List.of(), !x.byPodIp())));
      case 9:
        return graph(
            settings,
            "A with peer traffic of service #" + at + " toggled",
            g -> onService(g, at, d -> d.allowPeerTraffic = !d.allowPeerTraffic));
      case 10:
        return graph(
            settings,
            "A with service #" + at + " calling a new external host",
            g ->
                onService(
                    g,
                    at,
                    d ->
                        d.egress.add(
                            Egress.builder()
                                .target(
                                    new Egress.Fqdn(
                                        other % 2 == 0 ? "api.example.com" : "new.example.org"))
                                .addPorts(443)
                                .build())));
      case 11:
        return graph(
            settings,
            "A without egress #" + other + " of service #" + at,
            g -> onService(g, at, d -> remove(d.egress, other)));
      case 12:
        return graph(
            settings,
            "A with port #" + other + " of service #" + at + " exposed",
            g ->
                onService(
                    g,
                    at,
                    d ->
                        update(
                            d.ports,
                            other,
                            p ->
                                exposed(
                                    p,
                                    other % 2 == 0
                                        ? Exposure.world()
                                        : Exposure.cidr("198.51.100.0/24")))));
      case 13:
        return graph(
            settings,
            "A with service #" + at + " calling service #" + other + ", which admits it",
            g -> connect(g, at, other, false));
      case 14:
        return graph(
            settings,
            "A with service #" + at + "'s gateway flag toggled",
            g -> onService(g, at, d -> d.gateway = !d.gateway && d.mesh == MeshMode.AMBIENT));
      case 15:
        return new Edit(
            settings,
            "A in a world where service #"
                + at
                + "'s pods or Service, or its namespace, carry"
                + " waypoint labels ("
                + other % 4
                + ")",
            sameGraph,
            (w, g) -> worldEdit(w, g, settings, at, other),
            sameDocs,
            false);
      case 16:
        return new Edit(
            settings,
            "A's documents without document #" + at,
            sameGraph,
            sameWorld,
            docs -> {
              List<JsonNode> out = new ArrayList<>(docs);
              if (!out.isEmpty()) {
                out.remove(at % out.size());
              }
              return out;
            },
            false);
      case 17:
        return new Edit(
            settings,
            "A's documents with document #" + at + " given the spec of document #" + other,
            sameGraph,
            sameWorld,
            docs -> respec(docs, at, other),
            false);
      case 18:
        return new Edit(
            settings,
            "A's documents with document #" + at + " selecting all of its namespace",
            sameGraph,
            sameWorld,
            docs -> widen(docs, at),
            false);
      case 26:
        return graph(
            settings,
            "A with service #"
                + at
                + " admitting any caller (\"*\") inbound, and #"
                + other
                + " calling it",
            g -> connect(g, other, at, true));
      case 27:
        return graph(
            settings,
            "A with service #" + at + " moved to another namespace",
            g ->
                onService(
                    g, at, d -> d.namespace = List.of("shop", "data", "edge").get(other % 3)));
      default:
        return graph(
            settings,
            "A with service #" + at + " added again as a new service",
            g -> copyService(g, at));
    }
  }

  private static Edit graph(Settings settings, String what, UnaryOperator<ServiceGraph> edit) {
    return new Edit(settings, what, edit, (w, g) -> {}, d -> d, false);
  }

  private static int size(ServiceGraph g) {
    return Math.max(1, g.services().size());
  }

  private static ServiceGraph onService(ServiceGraph g, int at, Consumer<Graphs.Draft> edit) {
    if (g.services().isEmpty()) {
      return g;
    }
    return Graphs.replace(g, at % g.services().size(), s -> Graphs.edit(s, edit));
  }

  /** A with declaration {@code other} of service {@code at} replaced by {@code edit} of it. */
  private static ServiceGraph onDeclaration(
      ServiceGraph g, int at, int other, UnaryOperator<Declaration> edit) {
    return onService(g, at, d -> update(d.declarations, other, edit));
  }

  private static <T> void remove(List<T> list, int at) {
    if (!list.isEmpty()) {
      list.remove(at % list.size());
    }
  }

  private static <T> void update(List<T> list, int at, UnaryOperator<T> f) {
    if (!list.isEmpty()) {
      int i = at % list.size();
      list.set(i, f.apply(list.get(i)));
    }
  }

  private static Port exposed(Port p, Exposure x) {
    return Port.builder()
        .name(p.name())
        .port(p.port())
        .targetPort(p.targetPort())
        .protocol(p.protocol())
        .peerAuth(PeerAuth.PERMISSIVE)
        .addAllExposedTo(p.exposedTo())
        .addExposedTo(x)
        .build();
  }

  /**
   * Service {@code at} declares service {@code other} outbound, which declares it inbound (or, with
   * {@code wildcard}, any caller).
   */
  private static ServiceGraph connect(ServiceGraph g, int at, int other, boolean wildcard) {
    if (g.services().size() < 2) {
      return g;
    }
    List<Service> services = new ArrayList<>(g.services());
    int i = at % services.size();
    int j = other % services.size();
    if (i == j) {
      j = (j + 1) % services.size();
    }
    Service caller = services.get(i);
    Service callee = services.get(j);
    services.set(
        i,
        Graphs.edit(
            caller,
            d ->
                d.declarations.add(
                    Declaration.builder()
                        .peer(dev.lattice.model.PeerRef.of(callee.namespace(), callee.name()))
                        .direction(Direction.OUTBOUND)
                        .build())));
    services.set(
        j,
        Graphs.edit(
            callee,
            d ->
                d.declarations.add(
                    Declaration.builder()
                        .peer(
                            wildcard
                                ? dev.lattice.model.PeerRef.any()
                                : dev.lattice.model.PeerRef.of(caller.namespace(), caller.name()))
                        .direction(Direction.INBOUND)
                        .build())));
    return ServiceGraph.of(services);
  }

  /** Service {@code at} again under a new name: its declarations, and nobody's about it. */
  private static ServiceGraph copyService(ServiceGraph g, int at) {
    if (g.services().isEmpty()) {
      return g;
    }
    List<Service> services = new ArrayList<>(g.services());
    Service s = services.get(at % services.size());
    services.add(
        Graphs.edit(
            s,
            d -> {
              d.name = s.name() + "-copy";
              d.selector = new java.util.LinkedHashMap<>(Map.of(Service.NAME_LABEL, d.name));
              if (d.serviceAccount.equals(s.name())) {
                d.serviceAccount = d.name;
              }
            }));
    return ServiceGraph.of(services);
  }

  /**
   * Without the {@code at}-th AuthorizationPolicy attached by {@code targetRefs} to a Service or a
   * ServiceEntry (at its waypoint), if any: the waypoint's default deny then closes what it
   * allowed.
   */
  private static List<JsonNode> withoutWaypointPolicy(List<JsonNode> docs, int at) {
    List<Integer> attached = new ArrayList<>();
    for (int i = 0; i < docs.size(); i++) {
      for (JsonNode ref : docs.get(i).path("spec").path("targetRefs")) {
        String kind = ref.path("kind").asText("");
        if (kind.equals("Service") || kind.equals("ServiceEntry")) {
          attached.add(i);
          break;
        }
      }
    }
    List<JsonNode> out = new ArrayList<>(docs);
    if (!attached.isEmpty()) {
      out.remove((int) attached.get(at % attached.size()));
    }
    return out;
  }

  /** Document {@code at} with the spec of another document of its kind (the next one after). */
  private static List<JsonNode> respec(List<JsonNode> docs, int at, int other) {
    List<JsonNode> out = new ArrayList<>(docs);
    if (out.size() < 2) {
      return out;
    }
    int i = at % out.size();
    String kind = out.get(i).path("kind").asText();
    for (int k = 1; k < out.size(); k++) {
      int j = (i + other + k) % out.size();
      JsonNode from = out.get(j);
      if (j != i && from.path("kind").asText().equals(kind) && !from.path("spec").isMissingNode()) {
        ObjectNode copy = out.get(i).deepCopy();
        copy.set("spec", from.path("spec").deepCopy());
        out.set(i, copy);
        return out;
      }
    }
    return out;
  }

  /**
   * Document {@code at} selecting every pod of its namespace (or, for mesh-wide kinds in the root
   * namespace, of the mesh): its endpoint selector or selector emptied; other kinds copied under
   * another name.
   */
  private static List<JsonNode> widen(List<JsonNode> docs, int at) {
    List<JsonNode> out = new ArrayList<>(docs);
    if (out.isEmpty()) {
      return out;
    }
    int i = at % out.size();
    ObjectNode copy = out.get(i).deepCopy();
    JsonNode spec = copy.path("spec");
    if (spec.has("endpointSelector")) {
      ((ObjectNode) spec).putObject("endpointSelector");
      out.set(i, copy);
    } else if (spec.has("selector")) {
      ((ObjectNode) spec).remove("selector");
      out.set(i, copy);
    } else {
      ((ObjectNode) copy.path("metadata")).put("name", "lattice-diff-extra");
      out.add(copy);
    }
    return out;
  }

  /**
   * The world edit of kind 15: waypoint labels A's declarations do not say, naming a waypoint of
   * the service's namespace when it has one.
   */
  private static void worldEdit(
      World.Builder w, ServiceGraph g, Settings settings, int at, int other) {
    Topology t = g.resolve(settings);
    List<dev.lattice.model.ServiceId> behind = new ArrayList<>();
    List<String[]> bindable = new ArrayList<>(); // {service, waypoint} of a namespace with one
    for (dev.lattice.graph.Waypoint wp : t.waypoints()) {
      behind.addAll(wp.services());
    }
    for (Service s : g.services()) {
      for (dev.lattice.graph.Waypoint wp : t.waypoints()) {
        if (wp.namespace().equals(s.namespace()) && !behind.contains(s.id())) {
          bindable.add(new String[] {s.id().toString(), wp.name()});
        }
      }
    }
    int kind = other % 4;
    if ((kind == 1 || kind == 2) && !behind.isEmpty()) {
      String id = behind.get(at % behind.size()).toString();
      if (kind == 1) {
        w.serviceLabel(id, World.USE_WAYPOINT, "none");
      } else {
        w.serviceLabel(id, World.INGRESS_USE_WAYPOINT, "true");
      }
    } else if (!bindable.isEmpty()) {
      String[] b = bindable.get(at % bindable.size());
      if (kind == 3) {
        w.namespaceLabel(
            dev.lattice.model.ServiceId.parse(b[0], "default").namespace(),
            World.USE_WAYPOINT,
            b[1]);
      } else {
        w.serviceLabel(b[0], World.USE_WAYPOINT, b[1]);
      }
    } else if (!g.services().isEmpty()) {
      Service s = g.services().get(at % g.services().size());
      w.podLabel(s.id().toString(), "version", "v2");
    }
  }

  /**
   * A side: {@code g} resolved, the documents rendered from {@code rendered} (usually {@code g})
   * and edited, judged in the world of {@code g} (edited).
   */
  private static Verifier judge(
      ServiceGraph g,
      ServiceGraph rendered,
      Settings settings,
      UnaryOperator<List<JsonNode>> docs,
      Consumer<World.Builder> world) {
    Topology t = g.resolve(settings);
    Topology r = rendered == g ? t : rendered.resolve(settings);
    if (t.hasErrors() || r.hasErrors()) {
      return null;
    }
    Manifest cilium = CILIUM.render(r);
    Manifest istio = ISTIO.render(r);
    List<JsonNode> all = new ArrayList<>();
    cilium.resources().forEach(x -> all.add(x.document()));
    istio.resources().forEach(x -> all.add(x.document()));
    List<JsonNode> c = new ArrayList<>();
    List<JsonNode> i = new ArrayList<>();
    for (JsonNode d : docs.apply(all)) {
      (d.path("apiVersion").asText("").startsWith("cilium.io/") ? c : i).add(d);
    }
    World.Builder wb =
        World.builder(t)
            .documents(c)
            .documents(i)
            .requiredLabels(cilium.requiredLabels())
            .requiredLabels(istio.requiredLabels());
    world.accept(wb);
    return Verifier.of(wb.build(), c, i);
  }

  private static String same(ConnectivityDiff fast, ConnectivityDiff full, String direction) {
    String f = DiffReport.of(fast).json();
    String x = DiffReport.of(full).json();
    if (!f.equals(x) || !DiffReport.of(fast).text().equals(DiffReport.of(full).text())) {
      return direction
          + ": the diff of what the change touches differs from the exhaustive diff\nexhaustive: "
          + full.changes()
          + "\ntouched:    "
          + fast.changes();
    }
    return null;
  }

  /**
   * A for {@code seed}: the generator's defaults, or (one seed in two) a graph rich in waypoints,
   * pod-IP callers and gateways, where most of what a waypoint binds is at stake.
   */
  static ServiceGraph graph(long seed) {
    if (seed % 2 == 0) {
      return RandomGraphs.generate(seed);
    }
    RandomGraphs.Options o = new RandomGraphs.Options();
    o.httpRate = 0.6;
    o.podIpRate = 0.3;
    o.gatewayRate = 0.3;
    o.nonMeshRate = 0.1;
    return RandomGraphs.generate(seed, o);
  }

  @Test
  void theDiffOfWhatAChangeTouchesIsTheExhaustiveDiff() {
    Map<String, Integer> seen = new TreeMap<>();
    PropertyRunner.forAll(
        "between(A, B) equals exhaustive(A, B), both ways",
        AffectedProperties::graph,
        AffectedProperties::edit,
        (g, edit) -> {
          Verifier a = judge(g, g, edit.settings(), d -> d, w -> {});
          if (a == null) {
            return null;
          }
          ServiceGraph gb = RandomGraphs.repair(edit.graph().apply(g), edit.settingsOfB());
          Verifier b =
              judge(
                  gb,
                  edit.documentsOfA() ? g : gb,
                  edit.settingsOfB(),
                  edit.documents(),
                  w -> edit.world().accept(w, g));
          if (b == null) {
            return null;
          }
          ConnectivityDiff fast = ConnectivityDiff.between(a, b);
          String v = same(fast, ConnectivityDiff.exhaustive(a, b), "diff(A, B)");
          if (v == null) {
            v =
                same(
                    ConnectivityDiff.between(b, a),
                    ConnectivityDiff.exhaustive(b, a),
                    "diff(B, A)");
          }
          seen.merge(
              edit.what().replaceAll("[#(][^ ]*", "").replaceAll(" +", " ")
                  + (fast.isEmpty() ? ": no change" : ": changes"),
              1,
              Integer::sum);
          seen.merge(
              Affected.of(a, b).toString().startsWith("everything")
                  ? "everything judged"
                  : "part judged",
              1,
              Integer::sum);
          return v;
        });
    seen.forEach((k, n) -> System.out.println(n + "\t" + k));
  }
}
