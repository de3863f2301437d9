package dev.lattice.benchmarks;

import dev.lattice.graph.ServiceGraph;
import dev.lattice.model.Declaration;
import dev.lattice.model.Direction;
import dev.lattice.model.Egress;
import dev.lattice.model.HttpRule;
import dev.lattice.model.MeshMode;
import dev.lattice.model.PeerAuth;
import dev.lattice.model.PeerRef;
import dev.lattice.model.Port;
import dev.lattice.model.Protocol;
import dev.lattice.model.Service;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A seeded generator of cluster-sized service graphs that look like real ones: services spread over
 * namespaces, mostly calling within their namespace and otherwise favouring a few popular services,
 * every edge declared by both sides, a metrics scraper that calls {@code "*"} and that every
 * service admits, a telemetry collector that admits {@code "*"}, some HTTP rules (so waypoints
 * exist), some PERMISSIVE ports called by services outside the mesh, UDP ports, peer traffic, and
 * FQDN, CIDR and entity egress. It makes a graph that resolves without errors, in time linear in
 * its size; the same options always give the same graph.
 *
 * <p>{@code degree} is the average number of agreements per service, everything included: the
 * scraper's and the collector's count, and the random explicit edges make up the rest.
 */
public final class SyntheticGraph {
  /** The scraper every service admits on its {@code metrics} port: it calls {@code "*"}. */
  public static final String SCRAPER_NAMESPACE = "monitoring";

  public static final String SCRAPER = "prometheus";

  /** The collector that admits {@code "*"} on {@code otlp}; some services call it. */
  public static final String COLLECTOR_NAMESPACE = "telemetry";

  public static final String COLLECTOR = "collector";

  private static final List<HttpRule> HTTP_RULES =
      List.of(
          HttpRule.of(List.of("GET"), List.of("/api/*")),
          HttpRule.of(List.of("POST"), List.of("/api/orders")));

  /** What to generate; the defaults are the graph the benchmarks and BENCHMARKS.md use. */
  public static final class Options {
    public int services = 1000;
    public int namespaces = 4;
    public double degree = 3;
    public long seed = 1;

    /** Share of services outside the mesh. */
    public double nonMeshRate = 0.05;

    /** Share of edges whose callee grants HTTP rules (the callee moves behind a waypoint). */
    public double httpRate = 0.05;

    /** Share of edges that stay in the caller's namespace. */
    public double sameNamespaceRate = 0.7;

    /** Share of mesh services that call the collector. */
    public double collectorCallerRate = 0.1;

    /** Whether the scraper (calls {@code "*"}, admitted by everyone) is in the graph. */
    public boolean scraper = true;

    /** Whether the collector (admits {@code "*"}) is in the graph. */
    public boolean collector = true;

    public double permissiveRate = 0.1;
    public double grpcRate = 0.5;
    public double udpRate = 0.05;
    public double peerTrafficRate = 0.02;
    public double exactFqdnRate = 0.05;
    public double wildcardFqdnRate = 0.02;
    public double cidrRate = 0.02;
    public double entityRate = 0.01;

    /** Options for {@code services} services in {@code namespaces} namespaces. */
    public static Options of(int services, int namespaces, double degree, long seed) {
      Options o = new Options();
      o.services = services;
      o.namespaces = namespaces;
      o.degree = degree;
      o.seed = seed;
      return o;
    }
  }

  /** One service while its declarations are collected. */
  private static final class Draft {
    final String namespace;
    final String name;
    final boolean ambient;
    final boolean permissiveHttp;
    final boolean grpc;
    final boolean udp;
    final int index;
    boolean callsCollector;
    final List<Declaration> declarations = new ArrayList<>();

    Draft(
        int index,
        String namespace,
        String name,
        boolean ambient,
        boolean permissiveHttp,
        boolean grpc,
        boolean udp) {
      this.index = index;
      this.namespace = namespace;
      this.name = name;
      this.ambient = ambient;
      this.permissiveHttp = permissiveHttp;
      this.grpc = grpc;
      this.udp = udp;
    }

    PeerRef refFrom(Draft declarer) {
      return declarer.namespace.equals(namespace)
          ? PeerRef.named(name)
          : PeerRef.of(namespace, name);
    }
  }

  private final Options o;
  private final Random random;

  private SyntheticGraph(Options options) {
    this.o = options;
    this.random = new Random(options.seed);
  }

  /** The graph of {@code options}. */
  public static ServiceGraph generate(Options options) {
    if (options.services < 3) {
      throw new IllegalArgumentException("services must be at least 3, got " + options.services);
    }
    if (options.namespaces < 1) {
      throw new IllegalArgumentException(
          "namespaces must be at least 1, got " + options.namespaces);
    }
    if (!(options.degree >= 0)) {
      throw new IllegalArgumentException("degree must be >= 0, got " + options.degree);
    }
    return new SyntheticGraph(options).build();
  }

  /** The namespace of application namespace number {@code i}. */
  static String namespace(int i) {
    return String.format("ns-%04d", i);
  }

  private boolean chance(double p) {
    return random.nextDouble() < p;
  }

  private ServiceGraph build() {
    int infra = (o.scraper ? 1 : 0) + (o.collector ? 1 : 0);
    int apps = o.services - infra;
    List<Draft> drafts = new ArrayList<>(apps);
    List<List<Draft>> byNamespace = new ArrayList<>(o.namespaces);
    for (int k = 0; k < o.namespaces; k++) {
      byNamespace.add(new ArrayList<>());
    }
    for (int i = 0; i < apps; i++) {
      int k = i % o.namespaces;
      Draft d =
          new Draft(
              i,
              namespace(k),
              String.format("svc-%05d", i),
              !chance(o.nonMeshRate),
              chance(o.permissiveRate),
              chance(o.grpcRate),
              chance(o.udpRate));
      drafts.add(d);
      byNamespace.get(k).add(d);
    }
    // a few popular services (auth, config, databases) draw most cross-namespace calls
    List<Draft> popular = new ArrayList<>();
    for (int i = 0; i < Math.max(1, apps / 50); i++) {
      popular.add(drafts.get(random.nextInt(apps)));
    }
    // callees a non-mesh caller can reach: non-mesh services, or a PERMISSIVE http port
    List<Draft> plaintextOk = new ArrayList<>();
    for (Draft d : drafts) {
      if (!d.ambient || d.permissiveHttp) {
        plaintextOk.add(d);
      }
    }

    long agreements = Math.round(o.degree * o.services);
    if (o.scraper) {
      agreements -= apps;
    }
    if (o.collector) {
      for (Draft d : drafts) {
        if (d.ambient && chance(o.collectorCallerRate)) {
          d.callsCollector = true;
          agreements--;
        }
      }
    }
    Set<Long> pairs = new HashSet<>();
    long attempts = 0;
    for (long made = 0; made < agreements && attempts < agreements * 20L; attempts++) {
      int a = random.nextInt(apps);
      Draft caller = drafts.get(a);
      Draft callee;
      if (!caller.ambient) {
        if (plaintextOk.isEmpty()) {
          continue;
        }
        callee = plaintextOk.get(random.nextInt(plaintextOk.size()));
      } else if (chance(o.sameNamespaceRate)) {
        List<Draft> ns = byNamespace.get(a % o.namespaces);
        callee = ns.get(random.nextInt(ns.size()));
      } else if (chance(0.5)) {
        callee = popular.get(random.nextInt(popular.size()));
      } else {
        callee = drafts.get(random.nextInt(apps));
      }
      if (callee == caller) {
        continue;
      }
      // a*apps+b stays below 2^32 for any realistic size, so Long.hashCode keeps it distinct
      if (!pairs.add((long) caller.index * apps + callee.index)) {
        continue;
      }
      declareEdge(caller, callee);
      made++;
    }

    List<Service> services = new ArrayList<>(o.services);
    for (Draft d : drafts) {
      services.add(service(d));
    }
    if (o.scraper) {
      services.add(
          Service.builder()
              .namespace(SCRAPER_NAMESPACE)
              .name(SCRAPER)
              .addPorts(Port.builder().name("web").port(9090).build())
              .addDeclarations(
                  Declaration.builder()
                      .peer(PeerRef.any())
                      .direction(Direction.OUTBOUND)
                      .addPorts("metrics")
                      .build())
              .build());
    }
    if (o.collector) {
      services.add(
          Service.builder()
              .namespace(COLLECTOR_NAMESPACE)
              .name(COLLECTOR)
              .addPorts(Port.builder().name("otlp").port(4317).build())
              .addDeclarations(
                  Declaration.builder().peer(PeerRef.any()).direction(Direction.INBOUND).build())
              .build());
    }
    return ServiceGraph.of(services);
  }

  /** Both sides of caller→callee: the caller's outbound, the callee's inbound declaration. */
  private void declareEdge(Draft caller, Draft callee) {
    Declaration.Builder out =
        Declaration.builder().peer(callee.refFrom(caller)).direction(Direction.OUTBOUND);
    Declaration.Builder in =
        Declaration.builder().peer(caller.refFrom(callee)).direction(Direction.INBOUND);
    if (!caller.ambient || !callee.ambient) {
      if (callee.ambient) {
        // plaintext reaches a mesh pod only on a PERMISSIVE port
        out.addPorts("http");
        in.addPorts("http");
      }
    } else if (chance(o.httpRate)) {
      // HTTP rules on the callee's side: only on TCP ports a waypoint sees
      in.addPorts("http");
      in.addHttpRules(HTTP_RULES.get(random.nextInt(HTTP_RULES.size())));
    } else if (chance(0.3)) {
      out.addPorts(callee.grpc && chance(0.5) ? "grpc" : "http");
    }
    caller.declarations.add(out.build());
    callee.declarations.add(in.build());
  }

  private Service service(Draft d) {
    Service.Builder b =
        Service.builder()
            .namespace(d.namespace)
            .name(d.name)
            .mesh(d.ambient ? MeshMode.AMBIENT : MeshMode.NONE)
            .allowPeerTraffic(chance(o.peerTrafficRate));
    b.addPorts(
        Port.builder()
            .name("http")
            .port(80)
            .targetPort(8080)
            .peerAuth(d.permissiveHttp ? PeerAuth.PERMISSIVE : PeerAuth.STRICT)
            .build());
    if (d.grpc) {
      b.addPorts(Port.builder().name("grpc").port(9090).build());
    }
    b.addPorts(Port.builder().name("metrics").port(9102).build());
    if (d.udp) {
      b.addPorts(Port.builder().name("statsd").port(8125).protocol(Protocol.UDP).build());
    }
    b.addAllDeclarations(d.declarations);
    if (o.scraper) {
      b.addDeclarations(
          Declaration.builder()
              .peer(PeerRef.of(SCRAPER_NAMESPACE, SCRAPER))
              .direction(Direction.INBOUND)
              .addPorts("metrics")
              .build());
    }
    if (d.callsCollector) {
      b.addDeclarations(
          Declaration.builder()
              .peer(PeerRef.of(COLLECTOR_NAMESPACE, COLLECTOR))
              .direction(Direction.OUTBOUND)
              .build());
    }
    if (chance(o.exactFqdnRate)) {
      b.addEgress(
          Egress.builder()
              .target(
                  new Egress.Fqdn(
                      String.format("api.partner-%02d.example.com", random.nextInt(20))))
              .addPorts(443)
              .build());
    }
    if (chance(o.wildcardFqdnRate)) {
      b.addEgress(
          Egress.builder().target(new Egress.Fqdn("*.s3.amazonaws.com")).addPorts(443).build());
    }
    if (chance(o.cidrRate)) {
      b.addEgress(
          Egress.builder()
              .target(new Egress.Cidr("10." + random.nextInt(256) + ".0.0/16"))
              .addPorts(5432)
              .build());
    }
    if (chance(o.entityRate)) {
      b.addEgress(
          Egress.builder().target(new Egress.Entity("kube-apiserver")).addPorts(443).build());
    }
    return b.build();
  }
}
