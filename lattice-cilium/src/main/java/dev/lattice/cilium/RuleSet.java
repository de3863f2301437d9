package dev.lattice.cilium;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.internal.CompactNodeFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ingress and egress rule elements of one policy, collected per peer and written in a fixed
 * order: one element per peer (so one kind of peer per element, R1), its ports sorted. Only allow
 * rules: no deny sections, no {@code fromRequires}/{@code toRequires} (C17), no HTTP rules (R2).
 */
final class RuleSet implements Rules {
  /** The CRD's {@code maxItems} for {@code toPorts[].ports}. */
  private static final int MAX_PORTS = 40;

  /**
   * The ports of one peer: a set, kept sorted in a list, or every port and protocol (no {@code
   * toPorts}). Most peers have one to three ports: a TreeSet made a map and an entry per port per
   * peer, and an iterator to read them (the layer's allocation at 5,000 services: 64.2 -> 62.6 MB).
   */
  private static final class Ports {
    final ArrayList<L4Port> ports = new ArrayList<>(2);
    boolean all;

    void add(L4Port port) {
      int at = Collections.binarySearch(ports, port);
      if (at < 0) {
        ports.add(-at - 1, port);
      }
    }
  }

  private final TreeMap<Peer, Ports> ingress = new TreeMap<>();
  private final TreeMap<Peer, Ports> egress = new TreeMap<>();
  private Peer dnsServer;
  private DnsNames dnsNames;

  @Override
  public void allowIngress(Peer from, L4Port port) {
    ingress.computeIfAbsent(from, k -> new Ports()).add(port);
  }

  @Override
  public void allowEgress(Peer to, L4Port port) {
    egress.computeIfAbsent(to, k -> new Ports()).add(port);
  }

  /** Egress to {@code to} on every port and protocol (a rule without {@code toPorts}, C12). */
  @Override
  public void allowEgressAllPorts(Peer to) {
    egress.computeIfAbsent(to, k -> new Ports()).all = true;
  }

  /**
   * Lookups at {@code server} on 53/UDP and 53/TCP, limited to {@code names}. Never a plain port-53
   * rule: it would lift the name filter (C13, C14). Nothing when there is no name.
   */
  void allowDns(Peer server, DnsNames names) {
    if (!names.isEmpty()) {
      this.dnsServer = server;
      this.dnsNames = names;
    }
  }

  /** Rule elements in order, each with its {@link Documents#estimateBytes}. */
  static final class Elements {
    final List<ObjectNode> nodes;
    private int[] sizes;

    Elements(int capacity) {
      nodes = new ArrayList<>(capacity);
      sizes = new int[capacity];
    }

    void add(ObjectNode node, int size) {
      if (nodes.size() == sizes.length) {
        sizes = Arrays.copyOf(sizes, Math.max(4, sizes.length * 2));
      }
      sizes[nodes.size()] = size;
      nodes.add(node);
    }

    /** The sizes, one per node. */
    int[] sizes() {
      return sizes.length == nodes.size() ? sizes : Arrays.copyOf(sizes, nodes.size());
    }
  }

  /** The ingress rule elements, in their fixed order. */
  Elements ingressElements() {
    Elements out = new Elements(ingress.size());
    elements(ingress, true, out);
    return out;
  }

  /**
   * The egress rule elements, in their fixed order: the DNS element(s) first. A DNS name list
   * larger than {@code maxDnsBytes} is spread over several elements to the same server and ports,
   * whose DNS rules Cilium merges (rules for one peer and port are unioned, C4), so a document
   * split between them allows exactly the same lookups; the names are cut where {@link Boundaries}
   * says, as {@link DnsIndex#regroup} cuts them.
   */
  Elements egressElements(int maxDnsBytes) {
    Elements out = new Elements(egress.size() + 1);
    if (dnsServer != null) {
      int base = dnsBaseBytes(dnsServer);
      List<DnsName> names = dnsNames.sorted();
      int n = names.size();
      long total = 0;
      for (int i = 0; i < n; i++) {
        total += names.get(i).size;
      }
      boolean cut = total > maxDnsBytes;
      int from = 0;
      int bytes = 0;
      for (int i = 0; i < n; i++) {
        DnsName name = names.get(i);
        if (i > from && bytes + name.size > maxDnsBytes) {
          out.add(dnsElement(group(names, from, i)), base + 12 * (i - from) + bytes);
          from = i;
          bytes = 0;
        }
        bytes += name.size;
        if (cut
            && i + 1 < n
            && Boundaries.marker(Boundaries.hash(name.text), name.size, maxDnsBytes / 2)) {
          out.add(dnsElement(group(names, from, i + 1)), base + 12 * (i + 1 - from) + bytes);
          from = i + 1;
          bytes = 0;
        }
      }
      out.add(dnsElement(group(names, from, n)), base + 12 * (n - from) + bytes);
    }
    elements(egress, false, out);
    return out;
  }

  /**
   * The {@link Documents#estimateBytes} of the DNS element to {@code server} without entries: each
   * entry adds 12 and its own. Kept for the last server (every policy names kube-dns).
   */
  private static int dnsBaseBytes(Peer server) {
    DnsBase last = lastDnsBase;
    if (last == null || last.server() != server) {
      last =
          new DnsBase(
              server,
              Documents.estimateBytes(dnsElement(server, CompactNodeFactory.INSTANCE.arrayNode())));
      lastDnsBase = last;
    }
    return last.bytes();
  }

  private record DnsBase(Peer server, int bytes) {}

  private static volatile DnsBase lastDnsBase;

  /**
   * The nodes of entries {@code [from, to)} of {@code names} in an array of their size (grown item
   * by item, the groups of a scraper's 800,000 names copied their arrays over and over).
   */
  private static ArrayNode group(List<DnsName> names, int from, int to) {
    ArrayNode group = CompactNodeFactory.INSTANCE.arrayNode(to - from);
    for (int i = from; i < to; i++) {
      group.add(names.get(i).node);
    }
    return group;
  }

  private ObjectNode dnsElement(ArrayNode names) {
    return dnsElement(dnsServer, names);
  }

  /** The element allowing lookups of {@code names} at {@code dnsServer}. */
  static ObjectNode dnsElement(Peer dnsServer, ArrayNode names) {
    ObjectNode dns = CompactNodeFactory.INSTANCE.objectNode();
    dnsServer.writeTo(dns, false);
    ObjectNode toPorts = dns.putArray("toPorts").addObject();
    ArrayNode ports = toPorts.putArray("ports");
    ports.add(L4Port.DNS_TCP.toJson());
    ports.add(L4Port.DNS_UDP.toJson());
    toPorts.putObject("rules").set("dns", names);
    return CompactNodeFactory.readOnly(dns); // frozen: Boundaries reads it in place
  }

  /** The elements of one direction, one per peer. */
  private static void elements(Map<Peer, Ports> rules, boolean ingress, Elements out) {
    for (Map.Entry<Peer, Ports> e : rules.entrySet()) {
      Ports p = e.getValue();
      ObjectNode element = element(e.getKey(), p.all, p.ports, ingress);
      out.add(element, size(e.getKey(), element, ingress));
    }
  }

  /** The {@link Documents#estimateBytes} of {@code element}, an element of {@code peer}'s. */
  static int size(Peer peer, ObjectNode element, boolean ingress) {
    int kept = peer.onePortSize(ingress, element);
    return kept >= 0 ? kept : Documents.estimateBytes(element);
  }

  /**
   * The element of one peer: on {@code ports} (sorted), or every port when {@code all}. Frozen; an
   * element on one port is shared, built once per peer ({@link Peer#onePort}).
   */
  static ObjectNode element(Peer peer, boolean all, Collection<L4Port> ports, boolean ingress) {
    if (all || ports.size() != 1) {
      return build(peer, all, ports, ingress);
    }
    // the one port: read in place from this class's sorted list, else through an iterator (a
    // hub's counted ports)
    L4Port port = ports instanceof List<L4Port> l ? l.get(0) : ports.iterator().next();
    ObjectNode element = peer.onePort(ingress, port);
    if (element == null) {
      element = build(peer, false, ports, ingress);
      peer.onePort(ingress, port, element, Documents.estimateBytes(element));
    }
    return element;
  }

  private static ObjectNode build(
      Peer peer, boolean all, Collection<L4Port> ports, boolean ingress) {
    ObjectNode element = CompactNodeFactory.INSTANCE.objectNode();
    peer.writeTo(element, ingress);
    if (!all) { // without toPorts: every port of that peer (C12)
      ArrayNode toPorts = element.putArray("toPorts");
      ArrayNode json = null;
      int n = 0;
      for (L4Port port : ports) {
        if (n++ % MAX_PORTS == 0) {
          json = toPorts.addObject().putArray("ports");
        }
        json.add(port.toJson());
      }
    }
    // frozen: Boundaries reads it in place, Resource.of finds it frozen, and it may be shared
    return CompactNodeFactory.readOnly(element);
  }
}
