package dev.lattice.verify.cilium;

import dev.lattice.model.IpPrefix;
import dev.lattice.model.Protocol;
import dev.lattice.verify.world.Dns;
import dev.lattice.verify.world.Peer;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One element of an {@code ingress}, {@code ingressDeny}, {@code egress} or {@code egressDeny}
 * list: its L3 peers (one kind, R1) and its {@code toPorts}, ANDed (SEMANTICS C12).
 */
final class RuleElement {
  enum PeerKind {
    /** {@code fromEndpoints}/{@code toEndpoints}. */
    ENDPOINTS,
    /** {@code fromCIDR}/{@code fromCIDRSet}/{@code toCIDR}/{@code toCIDRSet}. */
    CIDR,
    /** {@code fromEntities}/{@code toEntities}. */
    ENTITIES,
    /** {@code toFQDNs}. */
    FQDN,
    /** Peer kinds the judge does not model (nodes, groups, services: A6); they select nothing. */
    UNMODELLED,
    /** No L3 field: every peer (a {@code toPorts}-only rule). */
    ALL,
    /** An L3 field given as an empty list: no peer. */
    NONE,
    /** Deny elements mixing kinds (not validated by the agent): the union of the kinds. */
    MIXED
  }

  /** A CIDR with its exceptions. */
  static final class Cidr {
    final IpPrefix range;
    final List<IpPrefix> except;

    Cidr(IpPrefix range, List<IpPrefix> except) {
      this.range = range;
      this.except = List.copyOf(except);
    }

    boolean contains(String ip) {
      if (!range.contains(ip)) {
        return false;
      }
      for (IpPrefix e : except) {
        if (e.contains(ip)) {
          return false;
        }
      }
      return true;
    }

    @Override
    public String toString() {
      return range + (except.isEmpty() ? "" : " except " + except);
    }
  }

  final String label;
  final boolean ingress;
  final boolean deny;
  final PeerKind kind;
  final List<EndpointSelector> selectors;
  final List<Cidr> cidrs;
  final List<String> entities;
  final List<FqdnPattern> fqdns;
  final List<PortRule> toPorts;

  /** Whether it has {@code icmps} (and so, without {@code toPorts}, allows only ICMP). */
  final boolean icmp;

  final String unmodelled;

  RuleElement(
      String label,
      boolean ingress,
      boolean deny,
      PeerKind kind,
      List<EndpointSelector> selectors,
      List<Cidr> cidrs,
      List<String> entities,
      List<FqdnPattern> fqdns,
      List<PortRule> toPorts,
      boolean icmp,
      String unmodelled) {
    this.label = label;
    this.ingress = ingress;
    this.deny = deny;
    this.kind = kind;
    this.selectors = List.copyOf(selectors);
    this.cidrs = List.copyOf(cidrs);
    this.entities = List.copyOf(entities);
    this.fqdns = List.copyOf(fqdns);
    this.toPorts = List.copyOf(toPorts);
    this.icmp = icmp;
    this.unmodelled = unmodelled;
  }

  /**
   * Which peer of this element admits {@code peer}, as text, or null when none does. {@code
   * requirements} are the {@code fromRequires}/{@code toRequires} of the subject (C17), ANDed onto
   * endpoint selectors. {@code learned} are the names whose lookups the DNS proxy saw resolve to
   * the peer's address (C13).
   */
  String peerMatch(
      Peer peer,
      List<EndpointSelector> requirements,
      Set<String> learned,
      Dns dns,
      String clusterName) {
    switch (kind) {
      case ALL:
        return "any peer (no L3 field)";
      case NONE:
      case UNMODELLED:
        return null;
      default:
        break;
    }
    Map<String, String> id = peer.identity();
    for (int i = 0; i < selectors.size(); i++) {
      EndpointSelector s = selectors.get(i);
      if (s.matches(id)) {
        boolean req = true;
        for (EndpointSelector r : requirements) {
          if (!r.matches(id)) {
            req = false;
            break;
          }
        }
        if (req) {
          return (ingress ? "fromEndpoints" : "toEndpoints")
              + "["
              + i
              + "] "
              + s
              + (requirements.isEmpty() ? "" : " with requirements " + requirements);
        }
      }
    }
    // C10: CIDR rules select only addresses without an in-cluster identity
    if (!cidrs.isEmpty() && isOutsideCluster(peer)) {
      for (Cidr c : cidrs) {
        if (c.contains(peer.ip())) {
          return (ingress ? "fromCIDR " : "toCIDR ") + c;
        }
      }
    }
    for (String e : entities) {
      if (Entities.matches(e, id, clusterName)) {
        return (ingress ? "fromEntities " : "toEntities ") + e;
      }
    }
    if (!fqdns.isEmpty() && isOutsideCluster(peer)) {
      for (FqdnPattern f : fqdns) {
        for (String name : learned) {
          if (f.matches(name) && dns.resolve(name).map(peer.ip()::equals).orElse(false)) {
            return "toFQDNs "
                + f
                + " ("
                + name
                + " resolved to "
                + peer.ip()
                + " through the DNS proxy)";
          }
        }
      }
    }
    return null;
  }

  /** Whether the peer has no in-cluster identity (world, kube-apiserver outside, external). */
  static boolean isOutsideCluster(Peer peer) {
    Map<String, String> id = peer.identity();
    return id.containsKey("reserved:world")
        || id.containsKey("reserved:world-ipv4")
        || id.containsKey("reserved:world-ipv6");
  }

  /**
   * The port entry of this element covering {@code port}/{@code proto}: null when none; an empty
   * list of ports means all ports (an L3-only rule). {@code dstPod} resolves named ports.
   */
  PortMatch portMatch(int port, Protocol proto, Peer dstPod) {
    if (toPorts.isEmpty()) {
      if (icmp) {
        return null;
      }
      // an L3-only rule allows all ports; a rule with neither L3 nor ports allows nothing (C12)
      return kind == PeerKind.ALL ? null : PortMatch.ALL_PORTS;
    }
    for (PortRule pr : toPorts) {
      PortRule.PortProtocol pp = pr.covering(port, proto, dstPod);
      if (pp != null) {
        return new PortMatch(pr, pp);
      }
    }
    return null;
  }

  /** A port entry that covered a hop. */
  static final class PortMatch {
    static final PortMatch ALL_PORTS = new PortMatch(null, null);
    final PortRule rule;
    final PortRule.PortProtocol port;

    PortMatch(PortRule rule, PortRule.PortProtocol port) {
      this.rule = rule;
      this.port = port;
    }

    boolean hasL7() {
      return rule != null && rule.hasL7();
    }

    @Override
    public String toString() {
      return rule == null ? "all ports" : "toPorts " + port + (rule.hasL7() ? " with " + rule : "");
    }
  }

  @Override
  public String toString() {
    return label;
  }
}
