package dev.lattice.testing;

import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.graph.ServiceGraph;
import dev.lattice.graph.Topology;
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
import dev.lattice.model.ServiceId;
import dev.lattice.model.Settings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/**
 * A seeded generator of random service graphs: namespaces, ports (TCP/UDP, Service port ≠ target
 * port), one-sided and cross-namespace declarations, wildcards, unknown peers, port subsets,
 * non-mesh services, PERMISSIVE ports, HTTP rules, egress, exposures, peer traffic, pod-IP callers,
 * gateways and services sharing the {@code default} service account. The same seed and options
 * always give the same graph.
 */
public final class RandomGraphs {
  private static final String[] NAMES = {
    "web", "api", "db", "cache", "auth", "cart", "pay", "mail", "search", "queue", "cron", "admin"
  };
  private static final String[] PORT_NAMES = {"http", "grpc", "metrics", "admin", "data"};
  private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE"};
  private static final String[] PATHS = {"/health", "/api/*", "/v1/items", "*.png", "/"};
  private static final String[] FQDNS = {
    "api.example.com", "pay.example.net", "*.s3.example.com", "*.cdn.example.org"
  };
  private static final String[] CIDRS = {
    "10.0.0.0/8", "192.168.10.0/24", "203.0.113.7/32", "2001:db8::/32", "2001:db8:1::5/128"
  };
  private static final String[] EXPOSURE_CIDRS = {"198.51.100.0/24", "2001:db8:ff::/48"};

  /** How much of each feature to generate; all probabilities in 0..1. */
  public static final class Options {
    public int maxNamespaces = 3;
    public int maxServices = 7;
    public int maxPorts = 3;
    public double edgeRate = 0.35;
    public double oneSidedRate = 0.2;

    /** When a service declares both sides of a peer: the chance it writes one BOTH. */
    public double bothRate = 0.5;

    public double wildcardRate = 0.1;
    public double unknownPeerRate = 0.05;
    public double explicitNamespaceRate = 0.3;
    public double portSubsetRate = 0.3;
    public double nonMeshRate = 0.2;
    public double udpRate = 0.15;
    public double sctpRate = 0.03;
    public double targetPortRate = 0.3;
    public double permissiveRate = 0.25;
    public double httpRate = 0.2;
    public double egressRate = 0.3;
    public double exposureRate = 0.1;
    public double peerTrafficRate = 0.1;

    /** The chance a declaration says the caller dials pod addresses (a scraper's way). */
    public double podIpRate = 0.12;

    /** The chance a mesh service is an Istio gateway proxy. */
    public double gatewayRate = 0.1;

    /** The chance a service runs as the namespace's {@code default} service account. */
    public double sharedAccountRate = 0.2;

    /** Repair the graph until it resolves without errors (for rendering properties). */
    public boolean valid = true;

    /** Options for resolution properties: the graph-level features only. */
    public static Options resolutionOnly() {
      Options o = new Options();
      o.httpRate = 0;
      o.egressRate = 0;
      o.exposureRate = 0;
      return o;
    }
  }

  private final Random random;
  private final Options options;

  private RandomGraphs(long seed, Options options) {
    this.random = new Random(seed);
    this.options = options;
  }

  /** The graph for {@code seed} with default options (valid). */
  public static ServiceGraph generate(long seed) {
    return generate(seed, new Options());
  }

  /** The graph for {@code seed} with {@code options}. */
  public static ServiceGraph generate(long seed, Options options) {
    ServiceGraph g = new RandomGraphs(seed, options).build();
    return options.valid ? repair(g, Settings.defaults()) : g;
  }

  private boolean chance(double p) {
    return random.nextDouble() < p;
  }

  private <T> T pick(T[] items) {
    return items[random.nextInt(items.length)];
  }

  private ServiceGraph build() {
    int namespaceCount = 1 + random.nextInt(options.maxNamespaces);
    int serviceCount = 1 + random.nextInt(options.maxServices);
    List<String> namespaces = new ArrayList<>();
    for (int i = 0; i < namespaceCount; i++) {
      namespaces.add(
          List.of("shop", "data", "ops", "edge", "batch").get(i % 5) + (i >= 5 ? i : ""));
    }
    List<Graphs.Draft> drafts = new ArrayList<>();
    for (int i = 0; i < serviceCount; i++) {
      String ns = namespaces.get(random.nextInt(namespaceCount));
      String name = NAMES[i % NAMES.length] + (i >= NAMES.length ? String.valueOf(i) : "");
      Service base = Service.builder().namespace(ns).name(name).build();
      Graphs.Draft d = Graphs.draft(base);
      d.mesh = chance(options.nonMeshRate) ? MeshMode.NONE : MeshMode.AMBIENT;
      d.allowPeerTraffic = chance(options.peerTrafficRate);
      d.gateway = d.mesh == MeshMode.AMBIENT && chance(options.gatewayRate);
      if (chance(options.sharedAccountRate)) {
        d.serviceAccount = "default";
      }
      int ports = random.nextInt(options.maxPorts + 1);
      TreeSet<Integer> used = new TreeSet<>();
      for (int p = 0; p < ports; p++) {
        int number;
        do {
          number = List.of(80, 443, 8080, 9090, 5432, 53, 6379, 3000).get(random.nextInt(8));
        } while (!used.add(number));
        Protocol protocol =
            chance(options.udpRate)
                ? Protocol.UDP
                : chance(options.sctpRate) ? Protocol.SCTP : Protocol.TCP;
        Port.Builder pb =
            Port.builder()
                .name(PORT_NAMES[p])
                .port(number)
                .targetPort(chance(options.targetPortRate) ? number + 10000 : number)
                .protocol(protocol)
                .peerAuth(chance(options.permissiveRate) ? PeerAuth.PERMISSIVE : PeerAuth.STRICT);
        if (chance(options.exposureRate)) {
          int kind = random.nextInt(3);
          pb.addExposedTo(
              kind == 0
                  ? Exposure.world()
                  : kind == 1 ? Exposure.kubeApiserver() : Exposure.cidr(pick(EXPOSURE_CIDRS)));
        }
        d.ports.add(pb.build());
      }
      if (chance(options.egressRate)) {
        int count = 1 + random.nextInt(2);
        for (int e = 0; e < count; e++) {
          int kind = random.nextInt(3);
          Egress.Builder eb = Egress.builder();
          if (kind == 0) {
            eb.target(new Egress.Fqdn(pick(FQDNS))).addPorts(chance(0.7) ? 443 : 80);
          } else if (kind == 1) {
            eb.target(new Egress.Cidr(pick(CIDRS)));
            if (chance(0.8)) {
              eb.addPorts(List.of(5432, 443, 9000).get(random.nextInt(3)));
            }
          } else {
            eb.target(
                new Egress.Entity(Egress.ENTITIES.get(random.nextInt(Egress.ENTITIES.size()))));
            if (chance(0.7)) {
              eb.addPorts(443);
            }
          }
          if (kind != 0 && chance(0.15)) {
            eb.protocol(Protocol.UDP);
          }
          d.egress.add(eb.build());
        }
      }
      drafts.add(d);
    }
    // the intended sides per (declarer, peer): bit 1 = outbound, bit 2 = inbound
    List<Map<String, Integer>> sides = new ArrayList<>();
    List<Map<String, PeerRef>> refs = new ArrayList<>();
    for (int i = 0; i < serviceCount; i++) {
      sides.add(new LinkedHashMap<>());
      refs.add(new LinkedHashMap<>());
    }
    for (int a = 0; a < serviceCount; a++) {
      for (int b = 0; b < serviceCount; b++) {
        if (a == b || !chance(options.edgeRate)) {
          continue;
        }
        boolean oneSided = chance(options.oneSidedRate);
        boolean callerSide = !oneSided || chance(0.5);
        boolean calleeSide = !oneSided || !callerSide;
        if (callerSide) {
          addSide(drafts, sides, refs, a, b, 1);
        }
        if (calleeSide) {
          addSide(drafts, sides, refs, b, a, 2);
        }
      }
    }
    for (int i = 0; i < serviceCount; i++) {
      Graphs.Draft d = drafts.get(i);
      if (chance(options.wildcardRate)) {
        sides.get(i).merge("*", chance(0.5) ? 1 : 2, (x, y) -> x | y);
        refs.get(i).put("*", PeerRef.any());
      }
      if (chance(options.unknownPeerRate)) {
        String ghost = "ghost" + random.nextInt(3);
        sides.get(i).merge(ghost, chance(0.5) ? 1 : 2, (x, y) -> x | y);
        refs.get(i).put(ghost, PeerRef.named(ghost));
      }
      for (Map.Entry<String, Integer> e : sides.get(i).entrySet()) {
        PeerRef peer = refs.get(i).get(e.getKey());
        int bits = e.getValue();
        List<Direction> dirs =
            bits == 1
                ? List.of(Direction.OUTBOUND)
                : bits == 2
                    ? List.of(Direction.INBOUND)
                    : chance(options.bothRate)
                        ? List.of(Direction.BOTH)
                        : List.of(Direction.OUTBOUND, Direction.INBOUND);
        for (Direction dir : dirs) {
          d.declarations.add(declaration(drafts, d, peer, dir));
        }
      }
    }
    List<Service> services = new ArrayList<>();
    for (Graphs.Draft d : drafts) {
      services.add(d.build());
    }
    return ServiceGraph.of(services);
  }

  private Declaration declaration(
      List<Graphs.Draft> drafts, Graphs.Draft d, PeerRef peer, Direction dir) {
    Declaration.Builder db = Declaration.builder().peer(peer).direction(dir);
    List<String> subsetFrom;
    if (dir == Direction.OUTBOUND) {
      subsetFrom = peerPortNames(drafts, peer, d.namespace);
    } else {
      subsetFrom = d.ports.stream().map(Port::name).toList();
    }
    if (!subsetFrom.isEmpty() && chance(options.portSubsetRate)) {
      for (String n : subsetFrom) {
        if (chance(0.5)) {
          db.addPorts(n);
        }
      }
      if (peer.isWildcard() && dir == Direction.OUTBOUND && chance(0.5)) {
        db.addPorts("metrics");
      }
    }
    if (dir.isInbound() && chance(options.httpRate)) {
      int rules = 1 + random.nextInt(2);
      for (int r = 0; r < rules; r++) {
        List<String> methods = chance(0.7) ? List.of(pick(METHODS)) : List.of();
        List<String> paths = chance(0.8) || methods.isEmpty() ? List.of(pick(PATHS)) : List.of();
        db.addHttpRules(HttpRule.of(methods, paths));
      }
    } else if (chance(options.podIpRate)) {
      db.byPodIp(true);
    }
    return db.build();
  }

  private void addSide(
      List<Graphs.Draft> drafts,
      List<Map<String, Integer>> sides,
      List<Map<String, PeerRef>> refs,
      int declarer,
      int peer,
      int bit) {
    Graphs.Draft me = drafts.get(declarer);
    Graphs.Draft other = drafts.get(peer);
    String key = other.namespace + "/" + other.name;
    sides.get(declarer).merge(key, bit, (x, y) -> x | y);
    if (!refs.get(declarer).containsKey(key)) {
      boolean explicit =
          !me.namespace.equals(other.namespace) || chance(options.explicitNamespaceRate);
      refs.get(declarer)
          .put(key, explicit ? PeerRef.of(other.namespace, other.name) : PeerRef.named(other.name));
    }
  }

  private static List<String> peerPortNames(List<Graphs.Draft> drafts, PeerRef peer, String ns) {
    if (peer.isWildcard()) {
      return List.of("http", "metrics");
    }
    ServiceId id = peer.resolve(ns);
    for (Graphs.Draft d : drafts) {
      if (d.namespace.equals(id.namespace()) && d.name.equals(id.name())) {
        return d.ports.stream().map(Port::name).toList();
      }
    }
    return List.of();
  }

  /**
   * Removes what makes {@code g} fail to resolve: the declarations, egress and exposures that error
   * diagnostics point at, and STRICT on exposed ports. Fails if errors remain that it does not know
   * how to repair (a generator bug).
   */
  public static ServiceGraph repair(ServiceGraph g, Settings settings) {
    ServiceGraph current = g;
    for (int round = 0; round < 20; round++) {
      Topology t = current.resolve(settings);
      if (!t.hasErrors()) {
        return current;
      }
      List<Service> services = new ArrayList<>(current.services());
      for (Diagnostic d : t.diagnostics()) {
        if (!d.isError()) {
          continue;
        }
        String path = d.path();
        int dot = path.indexOf('.');
        String id = dot < 0 ? path : path.substring(0, dot);
        String rest = dot < 0 ? "" : path.substring(dot + 1);
        for (int i = 0; i < services.size(); i++) {
          Service s = services.get(i);
          if (!s.id().toString().equals(id)) {
            continue;
          }
          services.set(i, Graphs.edit(s, draft -> fix(draft, d, rest)));
        }
      }
      current = ServiceGraph.of(services);
    }
    throw new IllegalStateException(
        "generator bug: cannot repair " + current.resolve(settings).diagnostics());
  }

  private static void fix(Graphs.Draft d, Diagnostic diagnostic, String rest) {
    if (rest.equals("gateway")) {
      d.gateway = false;
    } else if (rest.startsWith("dependsOn[")) {
      String peer = rest.substring("dependsOn[".length(), rest.length() - 1);
      d.declarations.removeIf(x -> x.peer().toString().equals(peer));
    } else if (rest.startsWith("egress[")) {
      String target = rest.substring("egress[".length(), rest.length() - 1);
      d.egress.removeIf(e -> e.target().value().equals(target));
    } else if (rest.startsWith("ports[")) {
      String name = rest.substring("ports[".length(), rest.indexOf(']'));
      d.ports.replaceAll(
          p ->
              !p.name().equals(name)
                  ? p
                  : rest.contains("exposedTo")
                      ? Graphs.withoutExposures(p)
                      : Graphs.withPeerAuth(p, PeerAuth.PERMISSIVE));
    } else {
      throw new IllegalStateException("generator bug: cannot repair " + diagnostic);
    }
  }
}
