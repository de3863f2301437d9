package dev.lattice.dsl;

import dev.lattice.model.Declaration;
import dev.lattice.model.Egress;
import dev.lattice.model.Exposure;
import dev.lattice.model.MeshMode;
import dev.lattice.model.PeerAuth;
import dev.lattice.model.Protocol;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The mutable state behind one service's builders. */
final class ServiceDraft {
  String namespace;
  final String name;
  final List<PortDraft> ports = new ArrayList<>();
  final Map<String, String> selector = new LinkedHashMap<>();
  String serviceAccount;
  MeshMode mesh = MeshMode.AMBIENT;
  boolean allowPeerTraffic;
  String podSubdomain;
  boolean gateway;
  String metricsPort;
  final List<Declaration> declarations = new ArrayList<>();
  final List<Egress> egress = new ArrayList<>();

  ServiceDraft(String namespace, String name) {
    this.namespace = namespace;
    this.name = name;
  }

  String describe() {
    return (namespace != null ? namespace + "/" : "") + name;
  }

  /** One port being declared. */
  static final class PortDraft {
    final String name;
    final int port;
    int targetPort;
    Protocol protocol = Protocol.TCP;
    PeerAuth peerAuth = PeerAuth.STRICT;
    final List<Exposure> exposedTo = new ArrayList<>();

    PortDraft(String name, int port, int targetPort) {
      this.name = name;
      this.port = port;
      this.targetPort = targetPort;
    }
  }
}
