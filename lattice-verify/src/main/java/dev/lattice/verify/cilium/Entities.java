package dev.lattice.verify.cilium;

import java.util.Map;
import java.util.Set;

/**
 * The Cilium entities and the identities they select (SEMANTICS C9; {@code
 * pkg/policy/api/entity.go}: {@code EntitySelectorMapping}, {@code InitEntities}).
 */
final class Entities {
  static final Set<String> KNOWN =
      Set.of(
          "all",
          "world",
          "world-ipv4",
          "world-ipv6",
          "cluster",
          "host",
          "init",
          "ingress",
          "remote-node",
          "health",
          "unmanaged",
          "none",
          "kube-apiserver");

  private static final Set<String> CLUSTER_RESERVED =
      Set.of("host", "remote-node", "init", "ingress", "health", "unmanaged", "kube-apiserver");

  private Entities() {}

  /** Whether entity {@code e} selects the identity {@code id} ({@code source:key} labels). */
  static boolean matches(String e, Map<String, String> id, String clusterName) {
    switch (e) {
      case "all":
        return true;
      case "none":
        return false;
      case "world":
        return id.containsKey("reserved:world")
            || id.containsKey("reserved:world-ipv4")
            || id.containsKey("reserved:world-ipv6");
      case "world-ipv4":
        return id.containsKey("reserved:world-ipv4") || id.containsKey("reserved:world");
      case "world-ipv6":
        return id.containsKey("reserved:world-ipv6");
      case "cluster":
        for (String r : CLUSTER_RESERVED) {
          if (id.containsKey("reserved:" + r)) {
            return true;
          }
        }
        // every pod of this cluster: k8s:io.cilium.k8s.policy.cluster=<cluster name>
        return clusterName.equals(id.get("k8s:io.cilium.k8s.policy.cluster"));
      default:
        return id.containsKey("reserved:" + e);
    }
  }
}
