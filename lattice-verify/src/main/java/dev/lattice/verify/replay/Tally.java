package dev.lattice.verify.replay;

import dev.lattice.graph.Topology;
import dev.lattice.model.Egress;
import dev.lattice.model.Exposure;
import dev.lattice.model.IpPrefix;
import dev.lattice.model.Port;
import dev.lattice.model.Protocol;
import dev.lattice.model.Service;
import dev.lattice.verify.replay.Connection.Call;
import dev.lattice.verify.replay.Connection.Inbound;
import dev.lattice.verify.replay.Connection.Other;
import dev.lattice.verify.replay.Connection.Outbound;
import dev.lattice.verify.world.World;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The stream side of a replay: keeps each connection attempt among the flows, maps both its ends to
 * the declared services and counts it under its distinct {@link Connection}, with what was stepped
 * over and why. The judges take the tallies from here ({@link CallJudge}, {@link BoundaryJudge}).
 */
final class Tally {
  final World world;
  final Topology topology;
  final Parties parties;
  final List<IpPrefix> exposureCidrs = new ArrayList<>();
  final List<IpPrefix> egressCidrs = new ArrayList<>();
  final Map<Call, Seen> calls = new LinkedHashMap<>();
  final Map<Inbound, Seen> inbound = new LinkedHashMap<>();
  final Map<Outbound, Seen> outbound = new LinkedHashMap<>();
  final Map<Other, Seen> others = new LinkedHashMap<>();
  final SortedMap<String, Long> skipped = new TreeMap<>();
  long flows;
  long attempts;
  int requests;

  Tally(World world) {
    this.world = world;
    this.topology = world.topology();
    this.parties = new Parties(world);
    for (Service s : topology.services()) {
      for (Port p : s.ports()) {
        for (Exposure x : p.exposedTo()) {
          if (x instanceof Exposure.Cidr c) {
            IpPrefix.tryParseRange(c.range()).ifPresent(exposureCidrs::add);
          }
        }
      }
      for (Egress e : s.egress()) {
        if (e.target() instanceof Egress.Cidr c) {
          IpPrefix.tryParseRange(c.value()).ifPresent(egressCidrs::add);
        }
      }
    }
  }

  void skip(String why) {
    skipped.merge(why, 1L, Long::sum);
  }

  int size() {
    return calls.size() + inbound.size() + outbound.size() + others.size();
  }

  <K> void tally(Map<K, Seen> map, K key, long line, String sample, String verdict) {
    Seen s = map.get(key);
    if (s == null) {
      if (size() >= Replay.MAX_CONNECTIONS) {
        skip(
            "connections past the first "
                + Replay.MAX_CONNECTIONS
                + " distinct ones (not itemised)");
        return;
      }
      s = new Seen(line, sample);
      map.put(key, s);
    }
    s.add(verdict);
  }

  /** Why a flow is not a connection attempt, or null when it is one. */
  static String notAnAttempt(Flow f) {
    String type = f.type;
    if (type.equals("SOCK")) {
      return "socket translation events (Type SOCK)";
    }
    if (!type.isEmpty() && !type.equals("L3_L4") && !type.equals("L7")) {
      return "flows of Type " + type;
    }
    boolean reply =
        Boolean.TRUE.equals(f.isReply)
            || (f.isReply == null && f.reply)
            || f.traceReason.equals("REPLY");
    if (type.equals("L7")) {
      if (f.dns) {
        return "DNS lookups (each connection's lookup is judged with it)";
      }
      if (f.l7Type.equals("RESPONSE") || reply) {
        return "replies";
      }
      if (!f.l7Type.equals("REQUEST")) {
        return "L7 events other than requests";
      }
      if (f.httpMethod.isEmpty()) {
        return "L7 requests other than HTTP (their connection is judged from its L3/L4 flow)";
      }
    } else if (reply) {
      return "replies";
    }
    if ((f.l4.equals("TCP") || f.l4.equals("UDP") || f.l4.equals("SCTP"))
        && f.destinationPort == 0) {
      return "flows without a destination port";
    }
    return switch (f.l4) {
      case "" ->
          f.sourceIp.isEmpty() && f.destinationIp.isEmpty()
              ? "flows without an IP layer"
              : "flows without TCP, UDP or SCTP";
      case "ICMPv4", "ICMPv6" -> "ICMP (Lattice declares no ICMP)";
      case "TCP" -> {
        if (type.equals("L7")) {
          yield null;
        }
        if (f.tcpFlags) {
          yield f.syn && !f.ack ? null : "TCP packets after a connection's first SYN";
        }
        yield later(f.traceReason);
      }
      default -> later(f.traceReason);
    };
  }

  private static String later(String traceReason) {
    return switch (traceReason) {
      case "ESTABLISHED", "RELATED", "REOPENED" ->
          "packets of established connections (trace_reason " + traceReason + ")";
      default -> null;
    };
  }

  void observe(Flow f, long line) {
    flows++;
    String why = notAnAttempt(f);
    if (why != null) {
      skip(why);
      return;
    }
    attempts++;
    Party src = parties.classify(f.source, f.sourceIp);
    Party dst = parties.classify(f.destination, f.destinationIp);
    Protocol proto = Protocol.valueOf(f.l4);
    int port = f.destinationPort;
    if (dst.kind() == Party.Kind.KUBE_DNS) {
      skip("DNS lookups (each connection's lookup is judged with it)");
      return;
    }
    if (src.kind() == Party.Kind.WAYPOINT || dst.kind() == Party.Kind.WAYPOINT) {
      skip("hops to or from a waypoint (the waypoint hides the other end, M2)");
      return;
    }
    if (src.isService() && dst.isService()) {
      String method = null;
      String path = null;
      if (f.type.equals("L7")) {
        method = f.httpMethod;
        path = path(f.httpUrl);
      }
      Call key =
          new Call(src.service(), src.serviceAccount(), dst.service(), port, proto, method, path);
      if (method != null && !calls.containsKey(key)) {
        if (requests >= Replay.MAX_REQUESTS) {
          skip(
              "HTTP requests past the first "
                  + Replay.MAX_REQUESTS
                  + " distinct ones (not itemised)");
          return;
        }
        requests++;
      }
      tally(calls, key, line, null, f.verdict);
      return;
    }
    if (dst.isService() && isOutsideSource(src.kind())) {
      String cls = "";
      if (src.kind() == Party.Kind.WORLD) {
        cls = classOf(f.sourceIp, exposureCidrs);
      }
      tally(
          inbound,
          new Inbound(src.kind(), cls, dst.service(), port, proto),
          line,
          f.sourceIp,
          f.verdict);
      return;
    }
    if (src.isService() && isOutsideDestination(dst.kind())) {
      String cls = "";
      String sample = f.destinationIp;
      if (dst.kind() == Party.Kind.WORLD) {
        if (!f.destinationNames.isEmpty()) {
          cls = "fqdn " + normalize(f.destinationNames.get(0));
        } else {
          cls = "address " + classOf(f.destinationIp, egressCidrs);
        }
      }
      tally(
          outbound,
          new Outbound(src.service(), dst.kind(), cls, port, proto),
          line,
          sample,
          f.verdict);
      return;
    }
    if (!src.isService() && !dst.isService()) {
      skip("flows where neither end is a declared service");
      return;
    }
    String reason = reason(src, "source") + reason(dst, "destination");
    tally(
        others,
        new Other(src.label(), dst.label(), port, proto, reason.trim()),
        line,
        null,
        f.verdict);
  }

  private static boolean isOutsideSource(Party.Kind k) {
    return k == Party.Kind.WORLD
        || k == Party.Kind.PROBE
        || k == Party.Kind.KUBE_APISERVER
        || k == Party.Kind.HOST
        || k == Party.Kind.REMOTE_NODE;
  }

  private static boolean isOutsideDestination(Party.Kind k) {
    return k == Party.Kind.WORLD
        || k == Party.Kind.KUBE_APISERVER
        || k == Party.Kind.HOST
        || k == Party.Kind.REMOTE_NODE;
  }

  private static String reason(Party p, String role) {
    return switch (p.kind()) {
      case SERVICE -> "";
      case POD ->
          "the " + role + " is a pod no declared service selects (declare it to judge it). ";
      case AMBIGUOUS ->
          "the "
              + role
              + " is a pod more than one declared service selects: their selectors overlap. ";
      case UNKNOWN -> "Hubble named no identity for the " + role + ". ";
      default -> "the " + role + " is " + p.label() + ", which Lattice does not judge here. ";
    };
  }

  /** The declared CIDRs that hold {@code ip}, as a class name; empty when none does. */
  private static String classOf(String ip, List<IpPrefix> cidrs) {
    if (ip.isEmpty() || !IpPrefix.isAddress(ip)) {
      return "";
    }
    TreeSet<String> in = new TreeSet<>();
    for (IpPrefix r : cidrs) {
      if (r.contains(ip)) {
        in.add(r.toString());
      }
    }
    return String.join(",", in);
  }

  private static String normalize(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }

  /** The path of an HTTP URL as Cilium's proxy logs it: no scheme, host, query or fragment. */
  static String path(String url) {
    String u = url;
    int scheme = u.indexOf("://");
    if (scheme >= 0) {
      int slash = u.indexOf('/', scheme + 3);
      u = slash < 0 ? "/" : u.substring(slash);
    }
    int q = u.indexOf('?');
    if (q >= 0) {
      u = u.substring(0, q);
    }
    int h = u.indexOf('#');
    if (h >= 0) {
      u = u.substring(0, h);
    }
    return u.isEmpty() ? "/" : u;
  }
}
