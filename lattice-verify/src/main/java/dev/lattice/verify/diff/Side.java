package dev.lattice.verify.diff;

import dev.lattice.graph.Topology;
import dev.lattice.model.Port;
import dev.lattice.model.Protocol;
import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import dev.lattice.verify.Destination;
import dev.lattice.verify.Query;
import dev.lattice.verify.Source;
import dev.lattice.verify.Verdict;
import dev.lattice.verify.Verifier;
import dev.lattice.verify.world.KubeService;
import dev.lattice.verify.world.World;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** One rendering: its verifier, world and topology; null verdicts are absent connections. */
final class Side {
  final Verifier verifier;
  final World world;
  final Topology topology;

  Side(Verifier v) {
    this.verifier = v;
    this.world = v.world();
    this.topology = v.world().topology();
  }

  boolean has(ServiceId id) {
    return world.service(id).isPresent();
  }

  boolean hasPort(ServiceId id, PortKey k) {
    Optional<KubeService> s = world.service(id);
    return s.isPresent() && s.get().port(k.port, k.protocol).isPresent();
  }

  /** The verdict on {@code from} calling {@code to} on a Service port; null when absent. */
  Verdict call(Source from, ServiceId to, PortKey k, String method, String path) {
    if (from.kind() == Source.Kind.SERVICE && !has(from.serviceId().orElseThrow())) {
      return null;
    }
    if (!hasPort(to, k)) {
      return null;
    }
    Query q = Query.from(from).to(Destination.service(to, k.port)).protocol(k.protocol);
    return verifier.check(method == null ? q : q.request(method, path));
  }

  /** The verdict on {@code from} calling out of the graph; null when {@code from} is absent. */
  Verdict egress(ServiceId from, Destination to, Protocol protocol) {
    if (!has(from)) {
      return null;
    }
    return verifier.check(Query.from(Source.service(from)).to(to).protocol(protocol));
  }

  /** A Service port as queries name it: number and protocol. */
  record PortKey(int port, Protocol protocol) implements Comparable<PortKey> {
    @Override
    public int compareTo(PortKey o) {
      int c = Integer.compare(port, o.port);
      return c != 0 ? c : protocol.compareTo(o.protocol);
    }
  }

  /** Every service of either side with the Service ports of either side (the newer's wins). */
  static Map<ServiceId, Map<PortKey, Port>> ports(Side b, Side a) {
    Map<ServiceId, Map<PortKey, Port>> out = new TreeMap<>();
    for (Side s : List.of(b, a)) {
      for (Service svc : s.topology.services()) {
        Map<PortKey, Port> m = out.computeIfAbsent(svc.id(), k -> new TreeMap<>());
        for (Port p : svc.ports()) {
          m.put(new PortKey(p.port(), p.protocol()), p);
        }
      }
    }
    return out;
  }
}
