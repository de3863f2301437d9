package dev.lattice.verify.diff;

import dev.lattice.model.Egress;
import dev.lattice.model.Protocol;
import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import dev.lattice.verify.Destination;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The egress part of a {@link ConnectivityDiff}: every service against every egress target either
 * side declares, on each declared port and one more where an egress allows all ports.
 */
final class EgressProbes {
  private static final List<Integer> OTHER_PORTS = List.of(443, 8443, 9443, 10443, 11443);

  private EgressProbes() {}

  /** An egress target as queries name it. */
  private record Target(Egress.Target target, Protocol protocol) implements Comparable<Target> {
    /** Names before ranges before entities, as the report lists them. */
    private static final List<String> KEYS = List.of("fqdn", "cidr", "entity");

    @Override
    public int compareTo(Target o) {
      int c = Integer.compare(KEYS.indexOf(target.key()), KEYS.indexOf(o.target.key()));
      c = c != 0 ? c : target.value().compareTo(o.target.value());
      return c != 0 ? c : protocol.compareTo(o.protocol);
    }

    String label() {
      return target.key() + " " + target.value();
    }

    Destination destination(int port) {
      String v = target.value();
      if (target instanceof Egress.Fqdn) {
        // a wildcard stands for one name it matches (one more label, C13)
        return Destination.fqdn(v.startsWith("*.") ? "bucket" + v.substring(1) : v, port);
      }
      return target instanceof Egress.Cidr
          ? Destination.cidr(v, port)
          : Destination.entity(v, port);
    }
  }

  static void egress(Side b, Side a, Affected affected, List<Change> out) {
    Map<Target, TreeSet<Integer>> targets = new TreeMap<>();
    Map<Target, Boolean> anyPort = new TreeMap<>();
    Set<ServiceId> callers = new TreeSet<>();
    for (Side s : List.of(b, a)) {
      for (Service svc : s.topology.services()) {
        callers.add(svc.id());
        for (Egress e : svc.egress()) {
          Target t = new Target(e.target(), e.protocol());
          targets.computeIfAbsent(t, k -> new TreeSet<>()).addAll(e.ports());
          if (e.ports().isEmpty()) {
            anyPort.put(t, true);
          }
        }
      }
    }
    for (Map.Entry<Target, TreeSet<Integer>> e : targets.entrySet()) {
      Target t = e.getKey();
      TreeSet<Integer> probePorts = new TreeSet<>(e.getValue());
      if (anyPort.getOrDefault(t, false)) {
        OTHER_PORTS.stream()
            .filter(p -> !e.getValue().contains(p))
            .findFirst()
            .ifPresent(probePorts::add);
      }
      if (probePorts.isEmpty()) {
        continue;
      }
      boolean all = affected.target(t.destination(probePorts.first()));
      for (ServiceId from : callers) {
        if (!all && !affected.caller(from)) {
          continue;
        }
        for (int port : probePorts) {
          Destination d = t.destination(port);
          Changes.add(
              out,
              Change.Kind.EGRESS,
              from.toString(),
              t.label(),
              port,
              t.protocol,
              b.egress(from, d, t.protocol),
              a.egress(from, d, t.protocol),
              () -> Declared.egress(b.topology, from, t.target),
              () -> Declared.egress(a.topology, from, t.target));
        }
      }
    }
  }
}
