package dev.lattice.verify.diff;

import dev.lattice.graph.Topology;
import dev.lattice.model.Declaration;
import dev.lattice.model.Egress;
import dev.lattice.model.Exposure;
import dev.lattice.model.Port;
import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import dev.lattice.model.SourceLocation;
import dev.lattice.verify.world.IpRange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One declaration that bears on a connection: which service said it, what it says ({@code outbound
 * storefront/api ports [http]}, {@code exposes http to world}, {@code egress fqdn api.stripe.com}),
 * and where, when the spec was loaded from YAML.
 */
public final class Declared implements Comparable<Declared> {
  private static final Comparator<Declared> ORDER =
      Comparator.comparing(Declared::service)
          .thenComparing(d -> d.location == null ? "" : d.location.toString())
          .thenComparing(Declared::statement);

  private final ServiceId service;
  private final String statement;
  private final SourceLocation location;

  private Declared(ServiceId service, String statement, SourceLocation location) {
    this.service = Objects.requireNonNull(service);
    this.statement = Objects.requireNonNull(statement);
    this.location = location;
  }

  /** The service that declares it. */
  public ServiceId service() {
    return service;
  }

  /** What it declares, in words. */
  public String statement() {
    return statement;
  }

  /** Where it is written, when the spec came from YAML. */
  public Optional<SourceLocation> location() {
    return Optional.ofNullable(location);
  }

  /** {@code statement}, said by {@code service}, written at {@code location} (may be null). */
  public static Declared of(ServiceId service, String statement, SourceLocation location) {
    return new Declared(service, statement, location);
  }

  /**
   * The caller's outbound words about the callee and the callee's inbound words about the caller.
   */
  public static List<Declared> call(Topology t, ServiceId caller, ServiceId callee) {
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
              out.add(new Declared(s.id(), describe(d, s), d.source().orElse(null)));
            }
          }
        });
    b.ifPresent(
        s -> {
          boolean admits = false;
          for (Declaration d : s.declarations()) {
            if (d.direction().isInbound() && names(d, s, caller)) {
              out.add(new Declared(s.id(), describe(d, s), d.source().orElse(null)));
              admits = true;
            }
          }
          // the platform's metrics scraper is admitted implicitly on the scraped port
          if (!admits && t.settings().metricsScraper().filter(caller::equals).isPresent()) {
            s.scrapedPort()
                .ifPresent(
                    p ->
                        out.add(
                            new Declared(
                                s.id(),
                                "admits the metrics scraper "
                                    + caller
                                    + " on port "
                                    + p.name()
                                    + " by pod IP (settings: metricsScraper)",
                                s.source().orElse(null))));
          }
        });
    return out;
  }

  private static boolean names(Declaration d, Service declarer, ServiceId peer) {
    return d.peer().isWildcard() || d.peer().resolve(declarer.namespace()).equals(peer);
  }

  /** {@code outbound data/postgres ports [pg]}, {@code inbound * http [GET /a]}. */
  public static String describe(Declaration d, Service declarer) {
    String peer = d.peer().isWildcard() ? "*" : d.peer().resolve(declarer.namespace()).toString();
    return d.direction().name().toLowerCase(Locale.ROOT)
        + " "
        + peer
        + (d.ports().isEmpty() ? "" : " ports " + d.ports())
        + (d.httpRules().isEmpty() ? "" : " http " + d.httpRules())
        + (d.byPodIp() ? " by pod IP" : "");
  }

  /**
   * The exposures of {@code callee}'s port numbered {@code port} that admit an outside source of
   * {@code kind} ({@code address} for a source in a CIDR; remote nodes stand behind a world
   * exposure's load balancer).
   */
  public static List<Declared> exposure(
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
  public static List<Declared> egress(
      Topology t, ServiceId caller, Egress.Kind kind, String target) {
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

  @Override
  public int compareTo(Declared o) {
    return ORDER.compare(this, o);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Declared
        && ((Declared) o).service.equals(service)
        && ((Declared) o).statement.equals(statement)
        && Objects.equals(((Declared) o).location, location);
  }

  @Override
  public int hashCode() {
    return Objects.hash(service, statement, location);
  }

  /** {@code storefront/web: outbound storefront/api (specs/web.yaml:12:7)}. */
  @Override
  public String toString() {
    return service + ": " + statement + (location == null ? "" : " (" + location + ")");
  }
}
