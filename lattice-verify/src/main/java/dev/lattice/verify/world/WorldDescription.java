package dev.lattice.verify.world;

import java.util.Map;

/** The human-readable description of a {@link World}, for explanations and debugging. */
final class WorldDescription {
  private WorldDescription() {}

  /** A multi-line description of the world: namespaces, pods, Services, waypoints, addresses. */
  static String describe(World world, Map<String, ? extends Map<String, String>> namespaceLabels) {
    StringBuilder sb = new StringBuilder();
    sb.append("namespaces:\n");
    namespaceLabels.forEach(
        (ns, l) -> sb.append("  ").append(ns).append(' ').append(l).append('\n'));
    sb.append("pods:\n");
    for (Peer p : world.pods()) {
      sb.append("  ")
          .append(p.name())
          .append(' ')
          .append(p.ip())
          .append(" sa=")
          .append(p.serviceAccount())
          .append(p.isCaptured() ? " ambient" : "")
          .append(" labels=")
          .append(p.labels())
          .append('\n');
    }
    sb.append("services:\n");
    for (KubeService s : world.services()) {
      sb.append("  ")
          .append(s.id())
          .append(' ')
          .append(s.clusterIp())
          .append(' ')
          .append(s.ports())
          .append(" labels=")
          .append(s.labels())
          .append('\n');
    }
    sb.append("waypoints:\n");
    for (WaypointProxy w : world.waypoints()) {
      sb.append("  ")
          .append(w.namespace())
          .append('/')
          .append(w.name())
          .append(" for=")
          .append(w.waypointFor())
          .append(" (")
          .append(w.origin())
          .append(")\n");
    }
    sb.append("outside: ")
        .append(world.host())
        .append(", ")
        .append(world.remoteNode())
        .append(", ")
        .append(world.kubeApiserver())
        .append(", ")
        .append(world.internet())
        .append(", ")
        .append(world.probeSource())
        .append('\n');
    for (String n : world.notes()) {
      sb.append("note: ").append(n).append('\n');
    }
    return sb.toString();
  }
}
