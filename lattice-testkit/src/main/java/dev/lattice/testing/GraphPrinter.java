package dev.lattice.testing;

import dev.lattice.graph.ServiceGraph;
import dev.lattice.model.Declaration;
import dev.lattice.model.Egress;
import dev.lattice.model.Exposure;
import dev.lattice.model.HttpRule;
import dev.lattice.model.PeerAuth;
import dev.lattice.model.Port;
import dev.lattice.model.Protocol;
import dev.lattice.model.Service;
import java.util.stream.Collectors;

/** Prints a graph as the DSL code that builds it: counter-examples a reader can paste and run. */
public final class GraphPrinter {
  private GraphPrinter() {}

  /** The graph as {@code ServiceGraph.builder()...build()} code. */
  public static String toDsl(ServiceGraph graph) {
    StringBuilder sb = new StringBuilder("ServiceGraph.builder()\n");
    for (Service s : graph.services()) {
      sb.append("    .add(service(\"")
          .append(s.namespace())
          .append('/')
          .append(s.name())
          .append("\")");
      if (!s.isAmbient()) {
        sb.append(".notInMesh()");
      }
      if (s.allowPeerTraffic()) {
        sb.append(".allowPeerTraffic()");
      }
      if (s.isGateway()) {
        sb.append(".gateway()");
      }
      s.metricsPort().ifPresent(m -> sb.append(".metricsPort(\"").append(m).append("\")"));
      if (!s.serviceAccount().equals(s.name())) {
        sb.append(".serviceAccount(\"").append(s.serviceAccount()).append("\")");
      }
      for (Port p : s.ports()) {
        sb.append("\n        .port(\"").append(p.name()).append("\", ").append(p.port());
        if (p.targetPort() != p.port()) {
          sb.append(", ").append(p.targetPort());
        }
        sb.append(')');
        if (p.protocol() != Protocol.TCP) {
          sb.append('.')
              .append(p.protocol().name().toLowerCase(java.util.Locale.ROOT))
              .append("()");
        }
        if (p.peerAuth() == PeerAuth.PERMISSIVE) {
          sb.append(".permissive()");
        }
        for (Exposure x : p.exposedTo()) {
          sb.append(".exposedTo(")
              .append(
                  x instanceof Exposure.Cidr c
                      ? "clients(\"" + c.range() + "\")"
                      : x instanceof Exposure.World ? "world()" : "kubeApiserver()")
              .append(')');
        }
      }
      for (Declaration d : s.declarations()) {
        sb.append("\n        .dependsOn(\"").append(d.peer()).append("\")");
        if (!d.ports().isEmpty()) {
          sb.append(".ports(")
              .append(
                  d.ports().stream().map(n -> "\"" + n + "\"").collect(Collectors.joining(", ")))
              .append(')');
        }
        for (HttpRule r : d.httpRules()) {
          sb.append(".http(HttpRule.of(List.of(")
              .append(
                  r.methods().stream().map(m -> "\"" + m + "\"").collect(Collectors.joining(", ")))
              .append("), List.of(")
              .append(
                  r.paths().stream().map(m -> "\"" + m + "\"").collect(Collectors.joining(", ")))
              .append(")))");
        }
        if (d.byPodIp()) {
          sb.append(".byPodIp()");
        }
        sb.append('.').append(d.direction().name().toLowerCase(java.util.Locale.ROOT)).append("()");
      }
      for (Egress e : s.egress()) {
        sb.append("\n        .egressTo(")
            .append(e.target().getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT))
            .append("(\"")
            .append(e.target().value())
            .append("\")");
        if (!e.ports().isEmpty()) {
          sb.append(".port(")
              .append(e.ports().stream().map(String::valueOf).collect(Collectors.joining(", ")))
              .append(')');
        }
        if (e.protocol() != Protocol.TCP) {
          sb.append(".protocol(Protocol.").append(e.protocol()).append(')');
        }
        sb.append(')');
      }
      sb.append(")\n");
    }
    return sb.append("    .build()").toString();
  }
}
