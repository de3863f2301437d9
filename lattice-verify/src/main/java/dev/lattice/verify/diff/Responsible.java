package dev.lattice.verify.diff;

import dev.lattice.graph.Topology;
import dev.lattice.model.Declaration;
import dev.lattice.model.Egress;
import dev.lattice.model.Exposure;
import dev.lattice.model.Port;
import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import dev.lattice.verify.world.IpRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The declarations of a topology that bear on a connection: what each side says about the other
 * (explicitly or through a wildcard), peer traffic, an exposure of the port, an egress to the
 * target. What the connection's verdict <em>is</em> comes from the evaluators; these only say which
 * lines of the specs a reader should look at.
 */
final class Responsible {
  private Responsible() {}

  /**
   * The caller's outbound words about the callee and the callee's inbound words about the caller.
   */
  static List<Declared> call(Topology t, ServiceId caller, ServiceId callee) {
    List<Declared> out = new ArrayList<>();
    Optional<Service> a = t.service(caller);
    Optional<Service> b = t.service(callee);
    if (caller.equals(callee)) {
      a.filter(Service::allowPeerTraffic)
          .ifPresent(
              s -> out.add(new Declared(s.id(), "allowPeerTraffic", s.source().orElse(null))));
      return out;
    }
    a.ifPresent(
        s -> {
          for (Declaration d : s.declarations()) {
            if (d.direction().isOutbound() && names(d, s, callee)) {
              out.add(new Declared(s.id(), statement(d, s), d.source().orElse(null)));
            }
          }
        });
    b.ifPresent(
        s -> {
          for (Declaration d : s.declarations()) {
            if (d.direction().isInbound() && names(d, s, caller)) {
              out.add(new Declared(s.id(), statement(d, s), d.source().orElse(null)));
            }
          }
        });
    return out;
  }

  private static boolean names(Declaration d, Service declarer, ServiceId peer) {
    return d.peer().isWildcard() || d.peer().resolve(declarer.namespace()).equals(peer);
  }

  /** {@code outbound data/postgres ports [pg]}, {@code inbound * http [GET /a]}. */
  static String statement(Declaration d, Service declarer) {
    String peer = d.peer().isWildcard() ? "*" : d.peer().resolve(declarer.namespace()).toString();
    return d.direction().name().toLowerCase(Locale.ROOT)
        + " "
        + peer
        + (d.ports().isEmpty() ? "" : " ports " + d.ports())
        + (d.httpRules().isEmpty() ? "" : " http " + d.httpRules());
  }

  /**
   * The exposures of {@code callee}'s port numbered {@code port} that admit an outside source of
   * {@code kind} ({@code address} for a source in a CIDR; remote nodes stand behind a world
   * exposure's load balancer).
   */
  static List<Declared> exposure(
      Topology t, ServiceId callee, int port, Exposure.Kind kind, String address) {
    List<Declared> out = new ArrayList<>();
    Optional<Service> b = t.service(callee);
    if (b.isEmpty()) {
      return out;
    }
    for (Port p : b.get().ports()) {
      if (p.port() != port) {
        continue;
      }
      for (Exposure x : p.exposedTo()) {
        boolean bears =
            x.kind() == kind
                && (kind != Exposure.Kind.CIDR
                    || address == null
                    || IpRange.parse(x.cidr().orElseThrow()).contains(address));
        if (bears) {
          out.add(
              new Declared(
                  b.get().id(),
                  "exposes port " + p.name() + " to " + x,
                  x.source().or(p::source).orElse(null)));
        }
      }
    }
    return out;
  }

  /** {@code caller}'s egress declarations naming exactly {@code kind} {@code target}. */
  static List<Declared> egress(Topology t, ServiceId caller, Egress.Kind kind, String target) {
    List<Declared> out = new ArrayList<>();
    t.service(caller)
        .ifPresent(
            s -> {
              for (Egress e : s.egress()) {
                if (e.kind() == kind && e.target().equals(target)) {
                  out.add(new Declared(s.id(), "egress " + e, e.source().orElse(null)));
                }
              }
            });
    return out;
  }
}
