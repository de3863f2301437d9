package dev.lattice.cilium;

import dev.lattice.graph.Waypoint;
import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The pod peers of one render, each built once: a service's pods appear in the policy of every
 * caller and callee it has (the scraper's alone names every service), and its selector, sort and
 * JSON were rebuilt for each of them before. The documents share the peer's node; they are
 * read-only. One per thread of a render, never shared between threads; only the callees' DNS names
 * are shared by the render's threads.
 */
final class Peers {
  private final Map<Service, Peer> services = new IdentityHashMap<>();
  private final Map<String, Peer> waypoints = new HashMap<>();

  /**
   * The DNS names of each callee, built by its first caller on either thread. A copy per thread
   * built many of them twice: at 50,000 services the Cilium layer held 1.1 million DNS entry nodes
   * for 0.78 million distinct names, 0.84 million shared so, and an entry is seven objects that
   * live until the YAML is written. One lookup per agreement; a lost race builds them twice.
   */
  private final ConcurrentMap<ServiceId, DnsNames.Callee> calleeNames;

  /** Peers whose callees' DNS names no other thread shares. */
  Peers() {
    this(new ConcurrentHashMap<>());
  }

  /** Peers of one thread of a render whose threads share {@code calleeNames}. */
  Peers(ConcurrentMap<ServiceId, DnsNames.Callee> calleeNames) {
    this.calleeNames = calleeNames;
  }

  /** The DNS names kept for {@code callee}, or null; check {@link DnsNames.Callee#isFor}. */
  DnsNames.Callee calleeNames(ServiceId callee) {
    return calleeNames.get(callee);
  }

  /** Keeps {@code names} for their callee's later callers, on every thread of the render. */
  void keepCalleeNames(DnsNames.Callee names) {
    calleeNames.put(names.id, names);
  }

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
