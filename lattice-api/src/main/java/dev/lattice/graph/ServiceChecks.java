package dev.lattice.graph;

import dev.lattice.diagnostics.DiagnosticCode;
import dev.lattice.internal.Names;
import dev.lattice.model.Egress;
import dev.lattice.model.Exposure;
import dev.lattice.model.PeerAuth;
import dev.lattice.model.Port;
import dev.lattice.model.Protocol;
import dev.lattice.model.Service;
import dev.lattice.model.Settings;
import dev.lattice.model.SourceLocation;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The checks of one service on its own, before resolution looks at any other: they read only the
 * service and the settings, and report on its {@link Node}.
 */
final class ServiceChecks {
  private ServiceChecks() {}

  /**
   * Reports on {@code n} what is wrong with its service alone: its names, ports, egress and
   * exposures (the declarations are checked as {@link Node} indexes them).
   */
  static void run(Node n, Settings settings) {
    Service s = n.service;
    String path = n.text;
    Optional<SourceLocation> at = s.source();
    n.check(DiagnosticCode.INVALID_NAME, path, at, Names.dnsLabel("namespace", s.namespace()));
    n.check(DiagnosticCode.INVALID_NAME, path, at, Names.serviceName("service name", s.name()));
    if (!s.podSubdomain().equals(s.name())) {
      n.check(
          DiagnosticCode.INVALID_NAME,
          path,
          at,
          Names.serviceName(
              "pod subdomain (the headless Service naming the pods)", s.podSubdomain()));
    }
    if (s.selector().isEmpty()) {
      n.report(
          DiagnosticCode.INVALID_LABEL,
          path,
          at,
          "the selector of "
              + path
              + " is empty, which would select every pod of the namespace;"
              + " name the pods' labels");
    }
    for (Map.Entry<String, String> e : s.selector().entrySet()) {
      n.check(DiagnosticCode.INVALID_LABEL, path, at, Names.labelKey(e.getKey()));
      n.check(DiagnosticCode.INVALID_LABEL, path, at, Names.labelValue(e.getKey(), e.getValue()));
    }
    n.check(
        DiagnosticCode.INVALID_SERVICE_ACCOUNT,
        path,
        at,
        Names.dnsSubdomain("service account", s.serviceAccount()));
    if (s.isGateway() && !s.isAmbient()) {
      n.report(
          DiagnosticCode.GATEWAY_OUTSIDE_MESH,
          path + ".gateway",
          at,
          path
              + " is declared an Istio gateway but not in the mesh; an Istio gateway proxy always"
              + " is (it takes its configuration and certificates from istiod and speaks mTLS"
              + " itself). Remove ambient: false, or remove gateway: true if it is another kind of"
              + " proxy");
    }
    if (s.metricsPort().isPresent() && s.port(s.metricsPort().get()).isEmpty()) {
      n.report(
          DiagnosticCode.UNKNOWN_PORT,
          path + ".metricsPort",
          at,
          path
              + " names \""
              + s.metricsPort().get()
              + "\" as its metrics port, which it does not have; its ports are "
              + PortNames.of(s));
    }

    Map<String, Port> byName = new HashMap<>();
    Map<Long, Port> byNumber = new HashMap<>();
    for (Port p : s.ports()) {
      Object portPath = new DeclarationPath(path, ".ports[", p.name());
      Optional<SourceLocation> pat = p.source().isPresent() ? p.source() : at;
      n.check(DiagnosticCode.INVALID_NAME, portPath, pat, Names.dnsLabel("port name", p.name()));
      n.check(DiagnosticCode.PORT_OUT_OF_RANGE, portPath, pat, Names.port("port", p.port()));
      if (p.targetPort() != p.port()) {
        n.check(
            DiagnosticCode.PORT_OUT_OF_RANGE,
            portPath,
            pat,
            Names.port("targetPort", p.targetPort()));
      }
      Port sameName = byName.putIfAbsent(p.name(), p);
      if (sameName != null) {
        n.report(
            DiagnosticCode.DUPLICATE_PORT,
            portPath,
            pat,
            path + " has two ports named \"" + p.name() + "\"; give each port its own name");
      }
      Port sameNumber = byNumber.putIfAbsent(((long) p.port() << 32) | p.protocol().ordinal(), p);
      if (sameNumber != null && sameName == null) {
        n.report(
            DiagnosticCode.DUPLICATE_PORT,
            portPath,
            pat,
            path
                + " exposes "
                + p.port()
                + "/"
                + p.protocol()
                + " twice (ports \""
                + sameNumber.name()
                + "\" and \""
                + p.name()
                + "\"); remove one or give it another number");
      }
      for (Exposure x : p.exposedTo()) {
        String xPath = portPath + ".exposedTo[" + x + "]";
        if (x instanceof Exposure.Cidr c) {
          n.check(
              DiagnosticCode.INVALID_EXPOSURE,
              xPath,
              c.source().or(() -> pat),
              Names.cidr(c.range()));
        }
      }
      if (!p.exposedTo().isEmpty()
          && s.isAmbient()
          && p.protocol() == Protocol.TCP
          && p.peerAuth() == PeerAuth.STRICT) {
        n.report(
            DiagnosticCode.EXPOSED_STRICT,
            portPath,
            pat,
            "port \""
                + p.name()
                + "\" of "
                + path
                + " is exposed to "
                + p.exposedTo().stream().map(Exposure::toString).collect(Collectors.joining(", "))
                + ", whose clients have no mesh identity, but it is STRICT; mark the port"
                + " PERMISSIVE (peerAuth: PERMISSIVE)");
      }
    }

    Map<Integer, Port> byTarget = new HashMap<>();
    for (Port p : s.ports()) {
      if (p.protocol() != Protocol.TCP) {
        continue;
      }
      Port other = byTarget.putIfAbsent(p.targetPort(), p);
      if (other != null && other.peerAuth() != p.peerAuth()) {
        n.report(
            DiagnosticCode.PEER_AUTH_CONFLICT,
            path + ".ports[" + p.name() + "]",
            p.source().or(() -> at),
            "ports \""
                + other.name()
                + "\" ("
                + other.peerAuth()
                + ") and \""
                + p.name()
                + "\" ("
                + p.peerAuth()
                + ") of "
                + path
                + " reach the same container port "
                + p.targetPort()
                + ", where the mesh sees only one mode; give both the same peerAuth");
      }
    }
    if (settings.systemNamespaces().contains(s.namespace())) {
      n.report(
          DiagnosticCode.SYSTEM_NAMESPACE,
          path,
          at,
          path
              + " is in "
              + s.namespace()
              + ", which the cluster-wide default deny leaves out;"
              + " only the directions its own policy has rules for are closed");
    }
    if (s.isAmbient() && s.namespace().equals(settings.rootNamespace())) {
      n.report(
          DiagnosticCode.ROOT_NAMESPACE,
          path,
          at,
          path
              + " is in Istio's root namespace, where a workload policy would apply to every"
              + " namespace; Lattice writes no L7 allow policy for it, so its mesh traffic stays"
              + " denied. Move it to a namespace of its own");
    }

    for (Egress e : s.egress()) {
      String ePath = path + ".egress[" + e.target().value() + "]";
      Optional<SourceLocation> eat = e.source().or(() -> at);
      if (e.target() instanceof Egress.Fqdn f) {
        n.check(DiagnosticCode.INVALID_EGRESS, ePath, eat, Names.fqdn(f.value()));
        if (e.ports().isEmpty()) {
          n.report(
              DiagnosticCode.INVALID_EGRESS,
              ePath,
              eat,
              "egress to " + f.value() + " names no port; add the ports it uses (e.g. 443)");
        }
      } else if (e.target() instanceof Egress.Cidr c) {
        n.check(DiagnosticCode.INVALID_EGRESS, ePath, eat, Names.cidr(c.value()));
      } else if (!Egress.ENTITIES.contains(e.target().value())) {
        n.report(
            DiagnosticCode.INVALID_EGRESS,
            ePath,
            eat,
            "\""
                + e.target().value()
                + "\" is not an entity Lattice supports; use one of "
                + String.join(", ", Egress.ENTITIES));
      }
      for (int port : e.ports()) {
        n.check(DiagnosticCode.PORT_OUT_OF_RANGE, ePath, eat, Names.port("egress port", port));
      }
    }
  }
}
