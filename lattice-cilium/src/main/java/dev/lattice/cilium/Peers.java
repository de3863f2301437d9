package dev.lattice.cilium;

import dev.lattice.graph.Waypoint;
import dev.lattice.model.Service;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The pod peers of one render, each built once: a service's pods appear in the policy of every
 * caller and callee it has (the scraper's alone names every service), and its selector, sort and
 * JSON were rebuilt for each of them before. The documents share the peer's node; they are
 * read-only. One per render call, never shared between threads.
 */
final class Peers {
  private final Map<Service, Peer> services = new IdentityHashMap<>();
  private final Map<String, Peer> waypoints = new HashMap<>();

  /** The pods of {@code service}. */
  Peer pods(Service service) {
    Peer p = services.get(service);
    if (p == null) {
      p = Peer.pods(service);
      services.put(service, p);
    }
    return p;
  }

  /** The pods of {@code waypoint}. */
  Peer pods(Waypoint waypoint) {
    return waypoints.computeIfAbsent(
        waypoint.namespace() + "/" + waypoint.name(), k -> Peer.pods(waypoint));
  }
}
