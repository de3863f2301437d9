package dev.lattice.cilium;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.graph.Waypoint;
import dev.lattice.internal.CompactNodeFactory;
import dev.lattice.model.Service;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The L3 peer of one rule element. Each element carries exactly one peer, so one kind of peer:
 * Cilium rejects a whole policy whose element mixes {@code fromEndpoints} with {@code fromCIDRSet}
 * or {@code fromEntities} (SEMANTICS R1). Peers sort by kind, then by a canonical key, which fixes
 * the order of the elements in the output.
 */
final class Peer implements Comparable<Peer> {
  /** Cilium's pod namespace label; explicit in every peer selector (C7). */
  static final String NAMESPACE_LABEL = "k8s:io.kubernetes.pod.namespace";

  /** The label Istio puts on a waypoint's pods: the name of its Gateway (M2). */
  static final String GATEWAY_NAME_LABEL = "gateway.networking.k8s.io/gateway-name";

  /** The kinds of peer, in the order their elements are written. */
  enum Kind {
    ENDPOINTS("fromEndpoints", "toEndpoints"),
    FQDN(null, "toFQDNs"),
    CIDR("fromCIDRSet", "toCIDRSet"),
    ENTITIES("fromEntities", "toEntities");

    final String ingressField;
    final String egressField;

    Kind(String ingressField, String egressField) {
      this.ingressField = ingressField;
      this.egressField = egressField;
    }
  }

  private final Kind kind;
  private final String key;
  private final ArrayNode items;

  /**
   * The last element built for this peer on one port, per direction: an element for a service's
   * pods on HBONE appears in the policy of each of its callers (or callees), and every element from
   * the scraper's pods in every policy. Frozen and immutable, so threads may race to set it.
   */
  private volatile OnePort ingressOnePort;

  private volatile OnePort egressOnePort;

  /** A frozen rule element for this peer on {@code port} alone. */
  private record OnePort(L4Port port, ObjectNode element, int size) {}

  private Peer(Kind kind, String key, ArrayNode items) {
    this.kind = kind;
    this.key = key;
    // frozen before any element holds it: every document that names the peer shares it, possibly
    // on other threads, and Resource.of would otherwise freeze it (sorting its fields) in place
    this.items = (ArrayNode) CompactNodeFactory.freeze(items);
  }

  /**
   * The pods with {@code labels} in {@code namespace}. The namespace label is always written, so
   * the selector means that namespace whatever the policy's own namespace is (C7).
   */
  static Peer pods(String namespace, Map<String, String> labels) {
    TreeMap<String, String> sorted = new TreeMap<>(labels);
    ObjectNode matchLabels = CompactNodeFactory.INSTANCE.objectNode();
    matchLabels.put(NAMESPACE_LABEL, namespace);
    StringBuilder key = new StringBuilder(namespace).append('\u0000');
    for (Map.Entry<String, String> e : sorted.entrySet()) {
      matchLabels.put(e.getKey(), e.getValue());
      key.append(e.getKey()).append('=').append(e.getValue()).append('\u0000');
    }
    ArrayNode items = CompactNodeFactory.INSTANCE.arrayNode();
    items.addObject().set("matchLabels", matchLabels);
    return new Peer(Kind.ENDPOINTS, key.toString(), items);
  }

  /** The pods of {@code service}. */
  static Peer pods(Service service) {
    return pods(service.namespace(), service.selector());
  }

  /** The pods of {@code waypoint}: Istio labels them with their Gateway's name (M2). */
  static Peer pods(Waypoint waypoint) {
    return pods(waypoint.namespace(), Map.of(GATEWAY_NAME_LABEL, waypoint.name()));
  }

  /** Reserved identities, e.g. {@code world}, {@code kube-apiserver} (C9); one element for all. */
  static Peer entities(String... names) {
    TreeSet<String> sorted = new TreeSet<>();
    for (String n : names) {
      sorted.add(Objects.requireNonNull(n));
    }
    ArrayNode items = CompactNodeFactory.INSTANCE.arrayNode();
    sorted.forEach(items::add);
    return new Peer(Kind.ENTITIES, String.join(",", sorted), items);
  }

  /** An address range; it never matches pods, nodes or the host (C10). */
  static Peer cidr(String cidr) {
    ArrayNode items = CompactNodeFactory.INSTANCE.arrayNode();
    items.addObject().put("cidr", cidr);
    return new Peer(Kind.CIDR, cidr, items);
  }

  /** A DNS name: exact ({@code matchName}) or with a leading wildcard ({@code matchPattern}). */
  static Peer fqdn(String name) {
    ArrayNode items = CompactNodeFactory.INSTANCE.arrayNode();
    items.addObject().put(name.startsWith("*") ? "matchPattern" : "matchName", name);
    return new Peer(Kind.FQDN, name, items);
  }

  Kind kind() {
    return kind;
  }

  /**
   * The element kept by {@link #onePort(boolean, L4Port, ObjectNode)} for {@code port}, or null.
   */
  ObjectNode onePort(boolean ingress, L4Port port) {
    OnePort kept = ingress ? ingressOnePort : egressOnePort;
    return kept != null && kept.port().equals(port) ? kept.element() : null;
  }

  /**
   * Keeps {@code element}, frozen, as this peer's element on {@code port} alone, with its {@link
   * Documents#estimateBytes}.
   */
  void onePort(boolean ingress, L4Port port, ObjectNode element, int size) {
    OnePort kept = new OnePort(port, element, size);
    if (ingress) {
      ingressOnePort = kept;
    } else {
      egressOnePort = kept;
    }
  }

  /** The size kept with {@code element} when it is the element kept, else -1. */
  int onePortSize(boolean ingress, ObjectNode element) {
    OnePort kept = ingress ? ingressOnePort : egressOnePort;
    return kept != null && kept.element() == element ? kept.size() : -1;
  }

  /** Writes this peer into {@code element} under the field for the direction. */
  void writeTo(ObjectNode element, boolean ingress) {
    String field = ingress ? kind.ingressField : kind.egressField;
    if (field == null) {
      throw new IllegalStateException(kind + " peers exist only in egress rules");
    }
    // shared, not copied: documents are read-only, and each peer's items are built for it alone
    element.set(field, items);
  }

  @Override
  public int compareTo(Peer o) {
    int c = kind.compareTo(o.kind);
    return c != 0 ? c : key.compareTo(o.key);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Peer && ((Peer) o).kind == kind && ((Peer) o).key.equals(key);
  }

  @Override
  public int hashCode() {
    return kind.hashCode() * 31 + key.hashCode();
  }

  @Override
  public String toString() {
    return kind + "(" + key.replace('\u0000', ' ').trim() + ")";
  }
}
