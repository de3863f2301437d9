package dev.lattice.verify.world;

import dev.lattice.graph.Agreement;
import dev.lattice.graph.Topology;
import dev.lattice.model.Declaration;
import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import java.util.HashMap;
import java.util.Map;

/**
 * Whom one service dials by pod address: the callees of its agreements that say so, and, otherwise,
 * what its own outbound sides say (an explicit declaration of a peer wins over its {@code "*"}), as
 * a client acts on its own configuration whether or not the callee agrees.
 */
record PodDialing(Map<ServiceId, Boolean> explicit, boolean wildcard) {

  /** Whether this caller dials {@code callee}'s pods by address. */
  boolean dials(ServiceId callee) {
    Boolean e = explicit.get(callee);
    return e != null ? e : wildcard;
  }

  /** The pod dialing of every service of {@code topology} that dials some pod by address. */
  static Map<ServiceId, PodDialing> of(Topology topology) {
    Map<ServiceId, PodDialing> out = new HashMap<>();
    for (Service s : topology.services()) {
      Map<ServiceId, Boolean> explicit = new HashMap<>();
      boolean wildcard = false;
      for (Declaration d : s.declarations()) {
        if (!d.direction().isOutbound()) {
          continue;
        }
        if (d.peer().isWildcard()) {
          wildcard |= d.byPodIp();
        } else {
          explicit.merge(d.peer().resolve(s.namespace()), d.byPodIp(), Boolean::logicalOr);
        }
      }
      if (wildcard || explicit.containsValue(true)) {
        out.put(s.id(), new PodDialing(explicit, wildcard));
      }
    }
    for (Agreement a : topology.agreements()) {
      if (a.byPodIp()) {
        out.computeIfAbsent(a.caller(), k -> new PodDialing(new HashMap<>(), false))
            .explicit()
            .put(a.callee(), true);
      }
    }
    return out;
  }
}
