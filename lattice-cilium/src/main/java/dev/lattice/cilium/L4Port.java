package dev.lattice.cilium;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.internal.CompactNodeFactory;
import dev.lattice.model.Port;
import dev.lattice.model.Protocol;

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
   * most policies, so its node is built once and shared (documents are read-only).
   */
  ObjectNode toJson() {
    if (this.equals(HBONE)) {
      return HBONE_JSON;
    }
    return newJson();
  }

  private static final ObjectNode HBONE_JSON = HBONE.newJson();

  private ObjectNode newJson() {
    ObjectNode n = CompactNodeFactory.INSTANCE.objectNode();
    n.put("port", Integer.toString(port));
    n.put("protocol", protocol.name());
    return n;
  }

  @Override
  public String toString() {
    return port + "/" + protocol;
  }
}
