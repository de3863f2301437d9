package dev.lattice.verify.replay;

import dev.lattice.graph.Topology;
import dev.lattice.model.Egress;
import dev.lattice.model.Exposure;
import dev.lattice.model.IpPrefix;
import dev.lattice.model.Service;
import dev.lattice.verify.Destination;
import dev.lattice.verify.Query;
import dev.lattice.verify.Source;
import dev.lattice.verify.Verdict;
import dev.lattice.verify.Verifier;
import dev.lattice.verify.diff.Declared;
import dev.lattice.verify.replay.Connection.Inbound;
import dev.lattice.verify.replay.Connection.Outbound;
import dev.lattice.verify.world.KubeService;
import dev.lattice.verify.world.Peer;
import dev.lattice.verify.world.World;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Judges the connections that cross the graph's boundary: a source outside it (the internet, the
 * API server, nodes, ambient probes) calling a declared service, judged against the service's
 * exposures; and a declared service calling out of it, judged against its egress declarations. Then
 * reports the egress declarations no flow used.
 */
final class BoundaryJudge {
  private final Verifier verifier;
  private final World world;
  private final Topology topology;
  private final Suggestions suggestions;
  private final Findings findings;

  BoundaryJudge(Verifier verifier, Suggestions suggestions, Findings findings) {
    this.verifier = verifier;
    this.world = verifier.world();
    this.topology = world.topology();
    this.suggestions = suggestions;
    this.findings = findings;
  }

  /** Judges a source outside the graph calling a declared service against its exposures. */
  void inbound(Inbound k, Seen seen) {
    KubeService callee = world.service(k.to()).orElseThrow();
    String from = label(k);
    List<KubeService.ServicePort> ports =
        ServicePorts.candidates(callee, k.port(), k.protocol(), false);
    if (ports.isEmpty()) {
      findings.noPort(
          Observation.Kind.EXPOSURE,
          from,
          k.to(),
          k,
          seen,
          "under the default deny nothing admits it",
          List.of());
      return;
    }
    Source src = source(k, seen.sample);
    ServicePorts.Chosen pick =
        ServicePorts.choose(
            ports,
            p ->
                verifier.check(
                    Query.from(src)
                        .to(Destination.service(k.to(), p.port()))
                        .protocol(p.protocol())));
    Verdict chosen = pick.verdict();
    KubeService.ServicePort chosenPort = pick.port();
    Class<? extends Exposure> kind =
        k.source() == Party.Kind.KUBE_APISERVER
            ? Exposure.KubeApiserver.class
            : k.cls().isEmpty() ? Exposure.World.class : Exposure.Cidr.class;
    List<Declared> declared =
        Declared.exposure(
            topology,
            k.to(),
            chosenPort.port(),
            kind,
            kind == Exposure.Cidr.class ? seen.sample : null);
    SortedMap<String, String> fix = new TreeMap<>();
    String exposeTo =
        k.source() == Party.Kind.KUBE_APISERVER
            ? "kube-apiserver"
            : k.source() == Party.Kind.WORLD
                ? (k.cls().isEmpty() ? "world" : k.cls().split(",")[0])
                : null;
    if (!chosen.allowed() && exposeTo != null) {
      Service s = callee.service();
      s.port(chosenPort.name())
          .ifPresent(p -> fix.put(k.to().toString(), suggestions.exposure(s, p, exposeTo)));
    }
    findings.add(
        chosen.allowed() ? Observation.Category.ALLOWED : Observation.Category.DROPPED,
        Observation.Kind.EXPOSURE,
        from,
        k.to().toString(),
        k,
        chosenPort,
        false,
        seen,
        new Observation.Judgement(chosen, null, declared, fix, false));
  }

  private static String label(Inbound k) {
    return switch (k.source()) {
      case WORLD -> k.cls().isEmpty() ? "world" : "world in " + k.cls();
      case PROBE -> "ambient probes";
      case KUBE_APISERVER -> "kube-apiserver";
      case HOST -> "host";
      default -> "remote-node";
    };
  }

  private Source source(Inbound k, String ip) {
    return switch (k.source()) {
      case WORLD -> isExternal(ip) ? Source.address(ip) : Source.world();
      case PROBE -> Source.probe();
      case KUBE_APISERVER -> Source.kubeApiserver();
      case HOST -> Source.host();
      default -> Source.remoteNode();
    };
  }

  /** Whether {@code ip} is an address outside the cluster, so that it can be judged as itself. */
  private boolean isExternal(String ip) {
    return ip != null && IpPrefix.isAddress(ip) && world.peerAt(ip).kind() == Peer.Kind.EXTERNAL;
  }

  /** What an outbound connection reached: its label, the query's destination, what to declare. */
  private record Reached(String to, Destination destination, Egress.Target target) {}

  private Reached reached(Outbound k, String ip) {
    String entity =
        switch (k.kind()) {
          case KUBE_APISERVER -> "kube-apiserver";
          case HOST -> "host";
          case REMOTE_NODE -> "remote-node";
          default -> null;
        };
    if (entity != null) {
      Destination dest = Destination.entity(entity, k.port());
      return new Reached("entity " + entity, dest, new Egress.Entity(entity));
    }
    if (k.cls().startsWith("fqdn ")) {
      String name = k.cls().substring(5);
      Egress.Target target = new Egress.Fqdn(name);
      return new Reached(k.cls(), Destination.fqdn(name, k.port()), target);
    }
    String cidrs = k.cls().substring("address ".length());
    String to = cidrs.isEmpty() ? "address " + ip : "address in " + cidrs;
    Destination dest;
    if (isExternal(ip)) {
      dest = Destination.address(ip, k.port());
    } else if (!cidrs.isEmpty()) {
      dest = Destination.cidr(cidrs.split(",")[0], k.port());
    } else {
      dest = Destination.entity("world", k.port());
    }
    return new Reached(to, dest, new Egress.Cidr(ip == null ? "" : ip));
  }

  /** Judges a declared service calling out of the graph against its egress declarations. */
  void outbound(Outbound k, Seen seen) {
    Reached reached = reached(k, seen.sample);
    Egress.Target target = reached.target();
    Verdict v =
        verifier.check(
            Query.from(Source.service(k.from())).to(reached.destination()).protocol(k.protocol()));
    List<Declared> declared = new ArrayList<>();
    Service s = topology.service(k.from()).orElseThrow();
    for (Egress e : s.egress()) {
      if (matches(e, k, seen.sample)) {
        declared.add(Declared.of(s.id(), "egress " + e, e.source().orElse(null)));
      }
    }
    SortedMap<String, String> fix = new TreeMap<>();
    if (!v.allowed() && !target.value().isEmpty()) {
      fix.put(k.from().toString(), suggestions.egress(s, target, k.port(), k.protocol()));
    }
    findings.add(
        v.allowed() ? Observation.Category.ALLOWED : Observation.Category.DROPPED,
        Observation.Kind.EGRESS,
        k.from().toString(),
        reached.to(),
        k,
        null,
        false,
        seen,
        new Observation.Judgement(v, null, declared, fix, false));
  }

  /** Whether egress {@code e} names what {@code k} reached (C9, C13). */
  private static boolean matches(Egress e, Outbound k, String ip) {
    boolean portOk =
        e.ports().isEmpty() || (e.ports().contains(k.port()) && e.protocol() == k.protocol());
    if (!portOk) {
      return false;
    }
    if (e.target() instanceof Egress.Fqdn f) {
      return k.cls().startsWith("fqdn ") && fqdnMatches(f.value(), k.cls().substring(5));
    }
    if (e.target() instanceof Egress.Cidr c) {
      return k.kind() == Party.Kind.WORLD
          && ip != null
          && IpPrefix.isAddress(ip)
          && IpPrefix.tryParseRange(c.value()).map(r -> r.contains(ip)).orElse(false);
    }
    return switch (e.target().value()) {
      case "world" -> k.kind() == Party.Kind.WORLD;
      case "cluster" -> k.kind() != Party.Kind.WORLD;
      case "kube-apiserver" -> k.kind() == Party.Kind.KUBE_APISERVER;
      case "host" -> k.kind() == Party.Kind.HOST;
      default -> k.kind() == Party.Kind.REMOTE_NODE;
    };
  }

  /** C13: exact, or {@code *.x} matching one more label. */
  private static boolean fqdnMatches(String declared, String host) {
    String d = declared.toLowerCase(Locale.ROOT);
    if (!d.startsWith("*.")) {
      return d.equals(host);
    }
    String suffix = d.substring(1);
    return host.endsWith(suffix) && host.indexOf('.') == host.length() - suffix.length();
  }

  /** Reports the egress declarations that none of {@code outbound} used. */
  void unused(Map<Outbound, Seen> outbound) {
    for (Service s : topology.services()) {
      for (Egress e : s.egress()) {
        boolean hit = false;
        for (Map.Entry<Outbound, Seen> o : outbound.entrySet()) {
          if (o.getKey().from().equals(s.id()) && matches(e, o.getKey(), o.getValue().sample)) {
            hit = true;
            break;
          }
        }
        if (!hit) {
          findings.add(
              new Observation(
                  Observation.Category.UNUSED,
                  Observation.Kind.EGRESS,
                  new Observation.Subject(
                      s.id().toString(),
                      e.target().key() + " " + e.target().value(),
                      e.ports().isEmpty() ? 0 : e.ports().get(0),
                      e.protocol().name(),
                      null,
                      null,
                      null,
                      null,
                      false),
                  Observation.Counts.none(),
                  Observation.Judgement.unjudged(
                      e.ports().isEmpty() ? "every port" : null,
                      List.of(Declared.of(s.id(), "egress " + e, e.source().orElse(null))))));
        }
      }
    }
  }
}
