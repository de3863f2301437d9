package dev.lattice.verify.diff;

import dev.lattice.graph.ServiceGraph;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A seeded platform repository of {@code n} services for the diff's scale harness: about 40
 * services per namespace, each with {@code http} 80→8080 (PERMISSIVE for 10%), {@code metrics} 9102
 * and, for half, {@code grpc} 9090; 5% outside the mesh; about three agreements per service,
 * declared by both sides, 70% within the namespace, 5% with HTTP rules (so namespaces get
 * waypoints); a Prometheus in {@code monitoring} that calls {@code "*"} on {@code metrics} and that
 * every service admits; 10% running as their namespace's {@code default} account; a few with FQDN,
 * CIDR or entity egress or a port exposed to the internet. Linear in {@code n}.
 */
final class PlatformGraph {
  private static final List<HttpRule> RULES =
      List.of(
          HttpRule.of(List.of("GET"), List.of("/api/*")),
          HttpRule.of(List.of("GET", "POST"), List.of("/v1/items")));

  private final Random random;
  private final int n;
  private final int namespaces;

  private PlatformGraph(int n, long seed) {
    this.random = new Random(seed);
    this.n = n;
    this.namespaces = Math.max(1, n / 40);
  }

  /** One draft per application service, the declarations still being collected. */
  private static final class Draft {
    final int index;
    final String namespace;
    final String name;
    final boolean ambient;
    final boolean permissive;
    final boolean grpc;
    final List<Declaration> declarations = new ArrayList<>();

    Draft(
        int index,
        String namespace,
        String name,
        boolean ambient,
        boolean permissive,
        boolean grpc) {
      this.index = index;
      this.namespace = namespace;
      this.name = name;
      this.ambient = ambient;
      this.permissive = permissive;
      this.grpc = grpc;
    }

    PeerRef refFrom(Draft declarer) {
      return declarer.namespace.equals(namespace)
          ? PeerRef.named(name)
          : PeerRef.of(namespace, name);
    }
  }

  /** The repository of {@code n} services (the Prometheus included) for {@code seed}. */
  static ServiceGraph generate(int n, long seed) {
    if (n < 3) {
      throw new IllegalArgumentException("at least 3 services, got " + n);
    }
    return new PlatformGraph(n, seed).build();
  }

  /** The namespace of application service {@code i}. */
  static String namespaceOf(int i, int n) {
    return String.format("ns-%03d", i % Math.max(1, n / 40));
  }

  /** The name of application service {@code i}. */
  static String nameOf(int i) {
    return String.format("svc-%05d", i);
  }

  private boolean chance(double p) {
    return random.nextDouble() < p;
  }

  private ServiceGraph build() {
    int apps = n - 1;
    List<Draft> drafts = new ArrayList<>();
    for (int i = 0; i < apps; i++) {
      boolean ambient = !chance(0.05);
      drafts.add(
          new Draft(
              i, namespaceOf(i, n), nameOf(i), ambient, !ambient || chance(0.1), chance(0.5)));
    }
    Set<Long> pairs = new HashSet<>();
    long wanted = 3L * apps;
    for (long made = 0, tries = 0; made < wanted && tries < wanted * 20; tries++) {
      Draft caller = drafts.get(random.nextInt(apps));
      Draft callee;
      if (chance(0.7)) {
        int k = caller.index % namespaces;
        int inNs = (apps - k + namespaces - 1) / namespaces;
        callee = drafts.get(k + namespaces * random.nextInt(inNs));
      } else {
        callee = drafts.get(random.nextInt(apps));
      }
      if (callee == caller || !pairs.add((long) caller.index * apps + callee.index)) {
        continue;
      }
      if (!caller.ambient && callee.ambient && !callee.permissive) {
        continue; // plaintext reaches a mesh pod on a PERMISSIVE port only
      }
      declare(caller, callee);
      made++;
    }
    List<Service> services = new ArrayList<>();
    for (Draft d : drafts) {
      services.add(service(d));
    }
    services.add(
        Service.builder()
            .namespace("monitoring")
            .name("prometheus")
            .addPorts(Port.builder().name("web").port(9090).build())
            .addDeclarations(
                Declaration.builder()
                    .peer(PeerRef.any())
                    .direction(Direction.OUTBOUND)
                    .addPorts("metrics")
                    .build())
            .build());
    return ServiceGraph.of(services);
  }

  private void declare(Draft caller, Draft callee) {
    Declaration.Builder out =
        Declaration.builder().peer(callee.refFrom(caller)).direction(Direction.OUTBOUND);
    Declaration.Builder in =
        Declaration.builder().peer(caller.refFrom(callee)).direction(Direction.INBOUND);
    if (!caller.ambient || !callee.ambient) {
      out.addPorts("http");
      in.addPorts("http");
    } else if (chance(0.05)) {
      in.addPorts("http").addHttpRules(RULES.get(random.nextInt(RULES.size())));
    } else if (chance(0.3)) {
      out.addPorts(callee.grpc && chance(0.5) ? "grpc" : "http");
    }
    caller.declarations.add(out.build());
    callee.declarations.add(in.build());
  }

  private Service service(Draft d) {
    Port.Builder http =
        Port.builder()
            .name("http")
            .port(80)
            .targetPort(8080)
            .peerAuth(d.permissive ? PeerAuth.PERMISSIVE : PeerAuth.STRICT);
    if (d.permissive && chance(0.2)) {
      http.addExposedTo(Exposure.world());
    }
    Service.Builder b =
        Service.builder()
            .namespace(d.namespace)
            .name(d.name)
            .mesh(d.ambient ? MeshMode.AMBIENT : MeshMode.NONE)
            .addPorts(http.build());
    if (chance(0.1)) {
      b.serviceAccount("default");
    }
    if (d.grpc) {
      b.addPorts(Port.builder().name("grpc").port(9090).build());
    }
    b.addPorts(Port.builder().name("metrics").port(9102).build());
    if (chance(0.05)) {
      b.addPorts(Port.builder().name("statsd").port(8125).protocol(Protocol.UDP).build());
    }
    b.addAllDeclarations(d.declarations);
    b.addDeclarations(
        Declaration.builder()
            .peer(PeerRef.of("monitoring", "prometheus"))
            .direction(Direction.INBOUND)
            .addPorts("metrics")
            .build());
    if (chance(0.05)) {
      b.addEgress(
          Egress.builder()
              .kind(Egress.Kind.FQDN)
              .target(String.format("api.partner-%02d.example.com", random.nextInt(20)))
              .addPorts(443)
              .build());
    }
    if (chance(0.02)) {
      b.addEgress(
          Egress.builder()
              .kind(Egress.Kind.CIDR)
              .target("10." + random.nextInt(256) + ".0.0/16")
              .addPorts(5432)
              .build());
    }
    if (chance(0.01)) {
      b.addEgress(
          Egress.builder().kind(Egress.Kind.ENTITY).target("kube-apiserver").addPorts(443).build());
    }
    return b.build();
  }
}
