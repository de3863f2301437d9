package dev.lattice.testing;

import dev.lattice.graph.ServiceGraph;
import dev.lattice.model.Declaration;
import dev.lattice.model.Egress;
import dev.lattice.model.MeshMode;
import dev.lattice.model.Port;
import dev.lattice.model.Service;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Copies of graphs and services with one part changed, for generators and shrinkers. */
public final class Graphs {
  private Graphs() {}

  /** A mutable copy of a service's parts; {@link #build()} makes the value again. */
  public static final class Draft {
    public String namespace;
    public String name;
    public java.util.Map<String, String> selector;
    public String serviceAccount;
    public List<Port> ports;
    public MeshMode mesh;
    public boolean allowPeerTraffic;
    public boolean gateway;
    public java.util.Optional<String> metricsPort;
    public List<Declaration> declarations;
    public List<Egress> egress;

    Draft(Service s) {
      namespace = s.namespace();
      name = s.name();
      selector = new java.util.LinkedHashMap<>(s.selector());
      serviceAccount = s.serviceAccount();
      ports = new ArrayList<>(s.ports());
      mesh = s.mesh();
      allowPeerTraffic = s.allowPeerTraffic();
      gateway = s.isGateway();
      metricsPort = s.metricsPort();
      declarations = new ArrayList<>(s.declarations());
      egress = new ArrayList<>(s.egress());
    }

    /** The service. */
    public Service build() {
      return Service.builder()
          .namespace(namespace)
          .name(name)
          .selector(selector)
          .serviceAccount(serviceAccount)
          .addAllPorts(ports)
          .mesh(mesh)
          .allowPeerTraffic(allowPeerTraffic)
          .gateway(gateway)
          .metricsPort(metricsPort)
          .addAllDeclarations(declarations)
          .addAllEgress(egress)
          .build();
    }
  }

  /** A draft of {@code s}. */
  public static Draft draft(Service s) {
    return new Draft(s);
  }

  /** {@code s} with {@code edit} applied to a draft of it. */
  public static Service edit(Service s, java.util.function.Consumer<Draft> edit) {
    Draft d = new Draft(s);
    edit.accept(d);
    return d.build();
  }

  /** {@code g} with service {@code index} replaced. */
  public static ServiceGraph replace(ServiceGraph g, int index, UnaryOperator<Service> f) {
    List<Service> services = new ArrayList<>(g.services());
    services.set(index, f.apply(services.get(index)));
    return ServiceGraph.of(services);
  }

  /** {@code g} without service {@code index}. */
  public static ServiceGraph remove(ServiceGraph g, int index) {
    List<Service> services = new ArrayList<>(g.services());
    services.remove(index);
    return ServiceGraph.of(services);
  }

  /** A port copy with another peer-auth mode. */
  public static Port withPeerAuth(Port p, dev.lattice.model.PeerAuth mode) {
    return Port.builder()
        .name(p.name())
        .port(p.port())
        .targetPort(p.targetPort())
        .protocol(p.protocol())
        .peerAuth(mode)
        .addAllExposedTo(p.exposedTo())
        .build();
  }

  /** A port copy without exposures. */
  public static Port withoutExposures(Port p) {
    return Port.builder()
        .name(p.name())
        .port(p.port())
        .targetPort(p.targetPort())
        .protocol(p.protocol())
        .peerAuth(p.peerAuth())
        .build();
  }

  /** A declaration copy with other ports and HTTP rules. */
  public static Declaration withParts(
      Declaration d, List<String> ports, List<dev.lattice.model.HttpRule> rules) {
    return withParts(d, ports, rules, d.byPodIp());
  }

  /** A declaration copy with other ports, HTTP rules and pod-IP flag. */
  public static Declaration withParts(
      Declaration d, List<String> ports, List<dev.lattice.model.HttpRule> rules, boolean byPodIp) {
    return Declaration.builder()
        .peer(d.peer())
        .direction(d.direction())
        .addAllPorts(ports)
        .addAllHttpRules(rules)
        .byPodIp(byPodIp)
        .build();
  }
}
