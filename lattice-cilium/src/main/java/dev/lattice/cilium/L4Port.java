package dev.lattice.cilium;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.model.Port;
import dev.lattice.model.Protocol;
import dev.lattice.output.CompactNodeFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A port and protocol as Cilium matches it: after service translation, the pod's port (C11). */
record L4Port(int port, Protocol protocol) implements Comparable<L4Port> {
  /** HBONE: ztunnel and waypoints carry all mesh TCP on this port (M1, M2). */
  static final L4Port HBONE = new L4Port(15008, Protocol.TCP);

  /** istiod's xDS and CA port, which waypoints dial. */
  static final L4Port ISTIOD = new L4Port(15012, Protocol.TCP);

  static final L4Port DNS_TCP = new L4Port(53, Protocol.TCP);
  static final L4Port DNS_UDP = new L4Port(53, Protocol.UDP);

  /** The container port of {@code p}: what Cilium sees on a direct (non-HBONE) path (M3, C11). */
  static L4Port target(Port p) {
    return new L4Port(p.targetPort(), p.protocol());
  }

  @Override
  public int compareTo(L4Port o) {
    int c = Integer.compare(port, o.port);
    return c != 0 ? c : protocol.compareTo(o.protocol);
  }

  /**
   * {@code {port: "8080", protocol: TCP}}: the CRD wants the port as a string. HBONE appears in
   * most policies.
   */
  ObjectNode toJson() {
    return JSON.computeIfAbsent(this, L4Port::newJson);
  }

  /**
   * Each port's node, built once and shared by every element that names the port (documents are
   * read-only, and these are frozen before any document holds them). Bounded by the ports in use.
   */
  private static final Map<L4Port, ObjectNode> JSON = new ConcurrentHashMap<>();

  private ObjectNode newJson() {
    ObjectNode n = CompactNodeFactory.INSTANCE.objectNode();
    n.put("port", Integer.toString(port));
    n.put("protocol", protocol.name());
    return CompactNodeFactory.readOnly(n);
  }

  @Override
  public String toString() {
    return port + "/" + protocol;
  }
}
