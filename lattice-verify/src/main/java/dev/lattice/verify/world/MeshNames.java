package dev.lattice.verify.world;

import java.util.List;
import java.util.Optional;

/**
 * Which names the mesh knows for a client namespace: cluster Service names and the hosts of the
 * ServiceEntries visible there (M4: ztunnel answers those in-pod).
 */
final class MeshNames {
  private MeshNames() {}

  /** The visible ServiceEntry with {@code host} and {@code port}, first by namespace and name. */
  static Optional<MeshServiceEntry> serviceEntryFor(
      List<MeshServiceEntry> serviceEntries, String host, int port, String clientNamespace) {
    for (MeshServiceEntry e : serviceEntries) {
      if (e.hasHost(host) && e.isVisibleFrom(clientNamespace) && e.port(port).isPresent()) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /** Whether {@code host} is a cluster name that exists or a visible ServiceEntry host. */
  static boolean isMeshKnownName(
      List<MeshServiceEntry> serviceEntries, Dns dns, String host, String clientNamespace) {
    String h = Dns.normalize(host);
    if (dns.isClusterName(h) && dns.exists(h)) {
      return true;
    }
    for (MeshServiceEntry e : serviceEntries) {
      if (e.hasHost(h) && e.isVisibleFrom(clientNamespace)) {
        return true;
      }
    }
    return false;
  }
}
