package dev.lattice.cilium;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.diagnostics.DiagnosticCode;
import dev.lattice.graph.Topology;
import dev.lattice.graph.Waypoint;
import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import dev.lattice.model.SourceLocation;
import dev.lattice.output.Manifest;
import dev.lattice.output.Resource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * How many entries each endpoint's Cilium policy map needs for the rendered policies, counted the
 * way the agent fills it, and the {@code policy-map-capacity} warnings for the endpoints past the
 * limit ({@link dev.lattice.model.Settings#policyMapLimit()}).
 *
 * <p>Each endpoint (a pod) has its own BPF policy map, keyed by (peer identity, direction,
 * protocol, port): at most {@code bpf-policy-map-max} entries, 16,384 by default and 65,536 at most
 * ("Max 16k allowed identity + port + protocol pairs for specific endpoint", docs.cilium.io,
 * network/ebpf/maps; the key is {@code Key{Identity, TrafficDirection, Nexthdr, DestPort}} in
 * {@code pkg/policy/mapstate.go}). The agent resolves every peer selector of every rule that
 * selects the endpoint to the set of identities it matches (its selector cache) and inserts one
 * entry per identity and port/protocol of the rule, per direction; a rule without {@code toPorts}
 * takes one entry per identity (port 0, any protocol), {@code protocol: ANY} one per protocol (TCP,
 * UDP, SCTP). When the map is full the agent cannot install the policy and the endpoint's traffic
 * drops, though the API server accepted every policy.
 *
 * <p>The estimate reads the rendered documents (both this renderer's and any other Cilium policy in
 * the manifest), never the topology's agreements: it counts what Cilium will be given. Pods carry
 * identity labels Lattice does not see, so it takes one identity per declared service (its
 * selector, namespace and service account; services whose pods would carry the same labels share
 * one), one per waypoint, one per selector that matches no declared workload (kube-dns, istiod),
 * one per entity, CIDR and DNS name (a name that resolves to several addresses takes one identity
 * per address: the estimate is then low). It is an estimate of the order of magnitude that decides
 * whether a hub fits, not a count to the entry.
 *
 * <pre>{@code
 * Manifest cilium = CiliumRenderer.create().render(topology);
 * PolicyMapEstimate.of(topology, cilium).diagnostics().forEach(System.err::println);
 * }</pre>
 */
public final class PolicyMapEstimate {
  private static final String NAMESPACE_KEY = "io.kubernetes.pod.namespace";
  private static final String GATEWAY_NAME = "gateway.networking.k8s.io/gateway-name";
  private static final String DATAPLANE_MODE = "istio.io/dataplane-mode";

  /** The entries of one endpoint. */
  public static final class Endpoint {
    private final String name;
    private final ServiceId service;
    private final int ingress;
    private final int egress;

    Endpoint(String name, ServiceId service, int ingress, int egress) {
      this.name = name;
      this.service = service;
      this.ingress = ingress;
      this.egress = egress;
    }

    /** {@code ns/name} of the service, or {@code ns/name (waypoint)}. */
    public String name() {
      return name;
    }

    /** The service whose pods these are; empty for a waypoint. */
    public Optional<ServiceId> service() {
      return Optional.ofNullable(service);
    }

    /** Ingress entries. */
    public int ingress() {
      return ingress;
    }

    /** Egress entries. */
    public int egress() {
      return egress;
    }

    /** Both directions: what the map must hold. */
    public int total() {
      return ingress + egress;
    }

    @Override
    public String toString() {
      return name + ": " + total() + " (ingress " + ingress + ", egress " + egress + ")";
    }
  }

  private final Topology topology;
  private final List<Endpoint> endpoints;

  private PolicyMapEstimate(Topology topology, List<Endpoint> endpoints) {
    this.topology = topology;
    this.endpoints = endpoints;
  }

  /**
   * The estimate for every service's and waypoint's pods under the Cilium policies of {@code m}.
   */
  public static PolicyMapEstimate of(Topology topology, Manifest m) {
    Objects.requireNonNull(topology, "topology");
    Objects.requireNonNull(m, "manifest");
    return new Counter(topology).count(m);
  }

  /** Every endpoint with its entries, sorted by name. */
  public List<Endpoint> endpoints() {
    return endpoints;
  }

  /** The endpoint with the most entries, if any. */
  public Optional<Endpoint> largest() {
    Endpoint best = null;
    for (Endpoint e : endpoints) {
      if (best == null || e.total() > best.total()) {
        best = e;
      }
    }
    return Optional.ofNullable(best);
  }

  /** One {@code policy-map-capacity} warning per endpoint past the settings' limit. */
  public List<Diagnostic> diagnostics() {
    int limit = topology.settings().policyMapLimit();
    List<Diagnostic> out = new ArrayList<>();
    for (Endpoint e : endpoints) {
      if (e.total() <= limit) {
        continue;
      }
      Optional<SourceLocation> at = e.service().flatMap(topology::service).flatMap(Service::source);
      out.add(
          Diagnostic.of(
              DiagnosticCode.POLICY_MAP_CAPACITY,
              e.name(),
              at,
              "the pods of "
                  + e.name()
                  + " need about "
                  + e.total()
                  + " Cilium policy-map entries (identities times ports: "
                  + e.ingress()
                  + " ingress, "
                  + e.egress()
                  + " egress), over the limit of "
                  + limit
                  + " (the agent's bpf-policy-map-max); past it the agent cannot install"
                  + " their policy and their traffic drops. Raise bpf-policy-map-max (at most"
                  + " 65536) and --policy-map-limit to match, or give the hub fewer peers (a"
                  + " callee admitting \"*\", a caller of \"*\" or a scraper names one identity"
                  + " per service)"));
    }
    return out;
  }

  /** One identity: the labels of a workload's pods. */
  private static final class Identity {
    final int index;
    final Map<String, String> labels;

    Identity(int index, Map<String, String> labels) {
      this.index = index;
      this.labels = labels;
    }
  }

  /** The counting of one estimate. */
  private static final class Counter {
    private final Topology topology;

    /** Every identity by its labels; and per namespace and label, the identities carrying it. */
    private final Map<Map<String, String>, Identity> identities = new HashMap<>();

    private final Map<String, List<Identity>> byLabel = new HashMap<>();

    /** Identities of entities, CIDRs, names and selectors that match no declared workload. */
    private final Map<String, Integer> others = new HashMap<>();

    /**
     * Per endpoint identity, the keys of each direction: identity << 32 | protocol << 16 | port.
     */
    private final Map<Identity, Set<Long>> ingress = new HashMap<>();

    private final Map<Identity, Set<Long>> egress = new HashMap<>();

    private int next;

    Counter(Topology topology) {
      this.topology = topology;
    }

    PolicyMapEstimate count(Manifest m) {
      Map<String, Endpoint> out = new TreeMap<>();
      Map<Identity, ServiceId> owners = new HashMap<>();
      Map<Identity, String> names = new HashMap<>();
      for (Service s : topology.services()) {
        Map<String, String> labels = new TreeMap<>(s.selector());
        labels.put(NAMESPACE_KEY, s.namespace());
        labels.put("io.cilium.k8s.policy.serviceaccount", s.serviceAccount());
        Identity id = identity(labels);
        owners.putIfAbsent(id, s.id());
        names.putIfAbsent(id, s.id().toString());
      }
      for (Waypoint w : topology.waypoints()) {
        Map<String, String> labels = new TreeMap<>();
        labels.put(GATEWAY_NAME, w.name());
        labels.put(DATAPLANE_MODE, "none");
        labels.put(NAMESPACE_KEY, w.namespace());
        labels.put("io.cilium.k8s.policy.serviceaccount", w.name());
        Identity id = identity(labels);
        names.putIfAbsent(id, w.namespace() + "/" + w.name() + " (waypoint)");
      }
      for (Resource r : m.resources()) {
        if (!r.apiVersion().startsWith(Documents.GROUP + "/")) {
          continue;
        }
        boolean clusterwide = r.kind().equals(Documents.CCNP);
        if (!clusterwide && !r.kind().equals(Documents.CNP)) {
          continue;
        }
        JsonNode spec = r.document().path("spec");
        List<Identity> subjects =
            select(spec.path("endpointSelector"), clusterwide ? null : r.namespace());
        if (subjects.isEmpty()) {
          continue;
        }
        Set<Long> in = keys(spec.path("ingress"), true, clusterwide ? null : r.namespace());
        Set<Long> eg = keys(spec.path("egress"), false, clusterwide ? null : r.namespace());
        for (Identity subject : subjects) {
          if (!names.containsKey(subject)) {
            continue; // a pod of no declared workload: not ours to warn about
          }
          ingress.computeIfAbsent(subject, k -> new HashSet<>()).addAll(in);
          egress.computeIfAbsent(subject, k -> new HashSet<>()).addAll(eg);
        }
      }
      for (Map.Entry<Identity, String> e : names.entrySet()) {
        Identity id = e.getKey();
        int i = ingress.getOrDefault(id, Set.of()).size();
        int o = egress.getOrDefault(id, Set.of()).size();
        out.put(e.getValue(), new Endpoint(e.getValue(), owners.get(id), i, o));
      }
      return new PolicyMapEstimate(
          topology, Collections.unmodifiableList(new ArrayList<>(out.values())));
    }

    private Identity identity(Map<String, String> labels) {
      Identity id = identities.get(labels);
      if (id == null) {
        id = new Identity(next++, labels);
        identities.put(labels, id);
        for (Map.Entry<String, String> l : labels.entrySet()) {
          if (!l.getKey().equals(NAMESPACE_KEY)) {
            byLabel
                .computeIfAbsent(
                    labels.get(NAMESPACE_KEY) + "\u0000" + l.getKey() + "=" + l.getValue(),
                    k -> new ArrayList<>())
                .add(id);
          }
        }
      }
      return id;
    }

    private int other(String key) {
      return others.computeIfAbsent(key, k -> 1_000_000_000 + others.size());
    }

    /** The keys the rule elements of one direction give, for every identity they name. */
    private Set<Long> keys(JsonNode elements, boolean isIngress, String namespace) {
      Set<Long> out = new HashSet<>();
      for (JsonNode element : elements) {
        List<Integer> peers = new ArrayList<>();
        boolean hasPeer = false;
        for (Map.Entry<String, JsonNode> f : element.properties()) {
          String field = f.getKey();
          JsonNode v = f.getValue();
          switch (field) {
            case "fromEndpoints":
            case "toEndpoints":
              hasPeer = true;
              for (JsonNode selector : v) {
                List<Identity> matched = select(selector, namespace);
                if (matched.isEmpty()) {
                  peers.add(other("selector:" + namespace + ":" + selector));
                }
                matched.forEach(id -> peers.add(id.index));
              }
              break;
            case "fromEntities":
            case "toEntities":
              hasPeer = true;
              for (JsonNode entity : v) {
                entity(entity.asText(), peers);
              }
              break;
            case "fromCIDRSet":
            case "toCIDRSet":
            case "fromCIDR":
            case "toCIDR":
              hasPeer = true;
              for (JsonNode c : v) {
                peers.add(other("cidr:" + (c.isTextual() ? c.asText() : c.path("cidr").asText())));
              }
              break;
            case "toFQDNs":
              hasPeer = true;
              for (JsonNode n : v) {
                peers.add(other("fqdn:" + n));
              }
              break;
            default:
              break;
          }
        }
        if (!hasPeer) {
          if (!element.has("toPorts")) {
            continue; // an empty element allows nothing (C12)
          }
          peers.add(0); // L4 only: the wildcard identity
        }
        List<Long> ports = ports(element.path("toPorts"));
        for (int peer : peers) {
          for (long port : ports) {
            out.add(((long) peer << 32) | port);
          }
        }
      }
      return out;
    }

    private void entity(String name, List<Integer> peers) {
      if (name.equals("cluster") || name.equals("all")) {
        // every identity of the cluster, the reserved ones too (C9)
        identities.values().forEach(id -> peers.add(id.index));
        for (String r :
            List.of("host", "remote-node", "kube-apiserver", "health", "init", "ingress")) {
          peers.add(other("entity:" + r));
        }
        if (name.equals("all")) {
          peers.add(other("entity:world"));
        }
        return;
      }
      peers.add(other("entity:" + name));
    }

    /** protocol << 16 | port per port entry; one key for every port when there is none. */
    private static List<Long> ports(JsonNode toPorts) {
      List<Long> out = new ArrayList<>();
      for (JsonNode rule : toPorts) {
        for (JsonNode p : rule.path("ports")) {
          long port = p.path("port").asLong(0);
          String protocol = p.path("protocol").asText("ANY");
          switch (protocol) {
            case "TCP":
              out.add(6L << 16 | port);
              break;
            case "UDP":
              out.add(17L << 16 | port);
              break;
            case "SCTP":
              out.add(132L << 16 | port);
              break;
            default:
              out.add(6L << 16 | port);
              out.add(17L << 16 | port);
              out.add(132L << 16 | port);
          }
        }
      }
      if (out.isEmpty()) {
        out.add(0L); // L3 only: every port and protocol, one entry
      }
      return out;
    }

    /**
     * The declared identities {@code selector} matches: in {@code namespace} unless it names one
     * (C7), in every namespace when {@code namespace} is null (a clusterwide policy, C8).
     */
    private List<Identity> select(JsonNode selector, String namespace) {
      Map<String, String> want = new TreeMap<>();
      selector
          .path("matchLabels")
          .properties()
          .forEach(e -> want.put(key(e.getKey()), e.getValue().asText()));
      JsonNode expressions = selector.path("matchExpressions");
      String ns = want.containsKey(NAMESPACE_KEY) ? want.get(NAMESPACE_KEY) : namespace;
      List<Identity> candidates;
      Map.Entry<String, String> anchor = null;
      for (Map.Entry<String, String> e : want.entrySet()) {
        if (!e.getKey().equals(NAMESPACE_KEY)) {
          anchor = e;
          break;
        }
      }
      if (anchor != null && ns != null) {
        candidates =
            byLabel.getOrDefault(
                ns + "\u0000" + anchor.getKey() + "=" + anchor.getValue(), List.of());
      } else {
        candidates = new ArrayList<>(identities.values());
      }
      List<Identity> out = new ArrayList<>();
      for (Identity id : candidates) {
        if (ns != null && !ns.equals(id.labels.get(NAMESPACE_KEY))) {
          continue;
        }
        if (matches(id.labels, want, expressions)) {
          out.add(id);
        }
      }
      return out;
    }

    private static String key(String k) {
      return k.startsWith("k8s:") ? k.substring(4) : k.startsWith("any:") ? k.substring(4) : k;
    }

    private static boolean matches(
        Map<String, String> labels, Map<String, String> want, JsonNode expressions) {
      for (Map.Entry<String, String> e : want.entrySet()) {
        if (!e.getValue().equals(labels.get(e.getKey()))) {
          return false;
        }
      }
      for (JsonNode x : expressions) {
        String k = key(x.path("key").asText());
        String v = labels.get(k);
        Set<String> values = new HashSet<>();
        x.path("values").forEach(n -> values.add(n.asText()));
        boolean ok;
        switch (x.path("operator").asText()) {
          case "In":
            ok = v != null && values.contains(v);
            break;
          case "NotIn":
            ok = v == null || !values.contains(v);
            break;
          case "Exists":
            ok = v != null;
            break;
          case "DoesNotExist":
            ok = v == null;
            break;
          default:
            ok = false;
        }
        if (!ok) {
          return false;
        }
      }
      return true;
    }
  }
}
