package dev.lattice.verify.replay;

import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import dev.lattice.model.Settings;
import dev.lattice.verify.world.IpRange;
import dev.lattice.verify.world.World;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps a flow endpoint to a {@link Party} the way the rendered selectors see pods: by the
 * Kubernetes labels of its identity ({@code k8s:} labels in Hubble's {@code labels}) and its
 * namespace. A service's pods are those in its namespace whose labels include its whole selector
 * (SEMANTICS C5–C7); the reserved labels name world, the API server and the nodes. Results are
 * cached per security identity, which Cilium derives from exactly those labels.
 */
final class Parties {
  private static final String K8S = "k8s:";
  private static final String RESERVED = "reserved:";
  private static final String NAMESPACE_LABEL = "io.kubernetes.pod.namespace";
  private static final String SA_LABEL = "io.cilium.k8s.policy.serviceaccount";
  private static final String GATEWAY_NAME = World.GATEWAY_NAME;
  private static final int CACHE_LIMIT = 100_000;

  private final Map<String, List<Service>> byNamespace = new HashMap<>();
  private final Settings settings;
  private final List<IpRange> probeSources = new ArrayList<>();
  private final Map<Long, Party> byIdentity = new HashMap<>();

  Parties(World world) {
    this.settings = world.settings();
    for (Service s : world.topology().services()) {
      byNamespace.computeIfAbsent(s.namespace(), k -> new ArrayList<>()).add(s);
    }
    for (String p : settings.ambientProbeSources()) {
      IpRange r = IpRange.tryParse(p);
      if (r != null) {
        probeSources.add(r);
      }
    }
  }

  /** Whether the party of security identity {@code identity} is known already. */
  boolean knows(long identity) {
    return byIdentity.containsKey(identity);
  }

  /** Whether {@code ip} is an ambient probe source (ztunnel's SNAT address for kubelet probes). */
  boolean isProbeSource(String ip) {
    if (ip.isEmpty() || !IpRange.isAddress(ip)) {
      return false;
    }
    for (IpRange r : probeSources) {
      if (r.contains(ip)) {
        return true;
      }
    }
    return false;
  }

  /** What {@code e} (seen at address {@code ip}) is. */
  Party classify(Flow.Endpoint e, String ip) {
    if (e.identity > 0) {
      Party cached = byIdentity.get(e.identity);
      if (cached != null && (cached.kind() != Party.Kind.WORLD || !isProbeSource(ip))) {
        return cached;
      }
    }
    Party p = compute(e, ip);
    if (e.identity > 0 && p.kind() != Party.Kind.PROBE && byIdentity.size() < CACHE_LIMIT) {
      byIdentity.put(e.identity, p);
    }
    return p;
  }

  private Party compute(Flow.Endpoint e, String ip) {
    Map<String, String> k8s = new HashMap<>();
    boolean world = false;
    String reserved = null;
    for (String l : e.labels) {
      if (l.startsWith(K8S)) {
        int eq = l.indexOf('=', K8S.length());
        if (eq > 0) {
          k8s.put(l.substring(K8S.length(), eq), l.substring(eq + 1));
        } else {
          k8s.put(l.substring(K8S.length()), "");
        }
      } else if (l.startsWith(RESERVED)) {
        String r = l.substring(RESERVED.length());
        int eq = r.indexOf('=');
        r = eq < 0 ? r : r.substring(0, eq);
        if (r.equals("kube-apiserver")) {
          return Party.of(Party.Kind.KUBE_APISERVER, "kube-apiserver");
        }
        if (r.startsWith("world")) {
          world = true;
        } else if (reserved == null || r.equals("host")) {
          reserved = r;
        }
      } else if (l.startsWith("cidr:") || l.startsWith("fqdn:")) {
        world = true;
      }
    }
    if (isProbeSource(ip)) {
      return Party.of(Party.Kind.PROBE, "ambient probes (" + ip + ")");
    }
    if (world) {
      return Party.of(Party.Kind.WORLD, "world");
    }
    if (reserved != null) {
      switch (reserved) {
        case "host":
          return Party.of(Party.Kind.HOST, "host");
        case "remote-node":
          return Party.of(Party.Kind.REMOTE_NODE, "remote-node");
        default:
          return Party.of(Party.Kind.RESERVED, "reserved:" + reserved);
      }
    }
    String ns = !e.namespace.isEmpty() ? e.namespace : k8s.getOrDefault(NAMESPACE_LABEL, "");
    if (ns.isEmpty()) {
      return Party.of(
          Party.Kind.UNKNOWN, ip.isEmpty() ? "an endpoint without labels" : "address " + ip);
    }
    String gateway = k8s.get(GATEWAY_NAME);
    if (gateway != null) {
      return Party.of(Party.Kind.WAYPOINT, ns + "/" + gateway);
    }
    if (ns.equals(settings.kubeDnsNamespace()) && contains(k8s, settings.kubeDnsSelector())) {
      return Party.of(Party.Kind.KUBE_DNS, "kube-dns");
    }
    List<ServiceId> matches = new ArrayList<>();
    for (Service s : byNamespace.getOrDefault(ns, List.of())) {
      if (contains(k8s, s.selector())) {
        matches.add(s.id());
      }
    }
    if (matches.size() == 1) {
      return Party.service(matches.get(0), k8s.getOrDefault(SA_LABEL, ""));
    }
    if (matches.size() > 1) {
      return Party.of(
          Party.Kind.AMBIGUOUS, ns + "/" + workload(e, k8s) + " (selected by " + matches + ")");
    }
    return Party.of(Party.Kind.POD, ns + "/" + workload(e, k8s));
  }

  /** A name for an undeclared pod that stays the same across its replicas. */
  private static String workload(Flow.Endpoint e, Map<String, String> k8s) {
    if (!e.workload.isEmpty()) {
      return e.workload;
    }
    for (String key : List.of("app.kubernetes.io/name", "app", "k8s-app", "name")) {
      String v = k8s.get(key);
      if (v != null && !v.isEmpty()) {
        return v;
      }
    }
    return e.podName.isEmpty() ? "(unnamed pod)" : e.podName;
  }

  private static boolean contains(Map<String, String> labels, Map<String, String> selector) {
    if (selector.isEmpty()) {
      return false; // an empty selector names no pods of its own (fail closed)
    }
    for (Map.Entry<String, String> s : selector.entrySet()) {
      if (!s.getValue().equals(labels.get(s.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
