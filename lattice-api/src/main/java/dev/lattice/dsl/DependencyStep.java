package dev.lattice.dsl;

import dev.lattice.internal.Names;
import dev.lattice.model.Declaration;
import dev.lattice.model.Direction;
import dev.lattice.model.HttpRule;
import dev.lattice.model.PeerRef;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A declaration being written: refine the peer, the ports and the HTTP rules, then end it with a
 * direction, which returns to the service.
 *
 * <pre>{@code
 * service("api").dependsOn("db").outbound()                  // api calls db
 * service("db").dependsOn("api").ports("pg").inbound()       // api may call db on port pg
 * service("api").dependsOn("web").http(GET, "/api/*").inbound()
 * service("prometheus").dependsOnAny().ports("metrics").byPodIp().outbound()  // scrapes pods
 * }</pre>
 */
@CheckReturnValue
public final class DependencyStep {
  private final ServiceBuilder service;
  private PeerRef peer;
  private final List<String> ports = new ArrayList<>();
  private final List<HttpRule> httpRules = new ArrayList<>();
  private boolean byPodIp;

  DependencyStep(ServiceBuilder service, PeerRef peer) {
    this.service = service;
    this.peer = peer;
  }

  /** The peer's namespace, when it is not the declaring service's. */
  public DependencyStep inNamespace(String namespace) {
    ServiceBuilder.require(Names.dnsLabel("namespace of peer " + peer.name(), namespace));
    if (peer.isWildcard()) {
      throw new IllegalArgumentException(
          "\"*\" means any service in any namespace and takes no namespace");
    }
    if (peer.namespace().isPresent() && !peer.namespace().get().equals(namespace)) {
      throw new IllegalArgumentException(
          "peer " + peer + " already names namespace " + peer.namespace().get());
    }
    peer = PeerRef.of(namespace, peer.name());
    return this;
  }

  /**
   * Limits the declaration to some of the callee's ports, by name (the peer's ports when outbound;
   * this service's own ports when inbound or both). Without it: all ports; so it needs at least one
   * name, and a call with none is refused rather than read as "all ports".
   */
  public DependencyStep ports(String... names) {
    if (names.length == 0) {
      throw new IllegalArgumentException(
          "ports() names no port, and an empty subset would mean every port of the callee; name"
              + " the ports, or leave out ports() to cover all of them ("
              + service.draft.describe()
              + " dependsOn "
              + peer
              + ")");
    }
    for (String n : names) {
      ServiceBuilder.require(Names.dnsLabel("port name", n));
      ports.add(n);
    }
    return this;
  }

  /**
   * Grants HTTP requests with {@code method} (empty string or {@code null}: any method) on {@code
   * paths} (none: any path). Only on an inbound side, where a waypoint enforces them.
   */
  public DependencyStep http(String method, String... paths) {
    List<String> methods = method == null || method.isEmpty() ? List.of() : List.of(method);
    return http(HttpRule.of(methods, Arrays.asList(paths)));
  }

  /** Grants HTTP requests matching {@code rule}. */
  public DependencyStep http(HttpRule rule) {
    Objects.requireNonNull(rule, "rule");
    if (rule.methods().isEmpty() && rule.paths().isEmpty()) {
      throw new IllegalArgumentException(
          "an HTTP rule needs methods or paths; to allow any request, leave out http()");
    }
    rule.methods().forEach(m -> ServiceBuilder.require(Names.httpMethod(m)));
    rule.paths().forEach(p -> ServiceBuilder.require(Names.httpPath(p)));
    if (byPodIp) {
      throw podIpWithHttp();
    }
    httpRules.add(rule);
    return this;
  }

  /**
   * The caller dials the callee's pod addresses, not its Service: a metrics scraper, a health
   * checker, a client of a headless Service. Such traffic never passes a waypoint (SEMANTICS R5):
   * it is allowed at the callee's pods on their container ports, and it cannot carry HTTP rules.
   * Either side may say it; with {@code both}, it holds in both directions.
   */
  public DependencyStep byPodIp() {
    if (!httpRules.isEmpty()) {
      throw podIpWithHttp();
    }
    byPodIp = true;
    return this;
  }

  private IllegalArgumentException podIpWithHttp() {
    return new IllegalArgumentException(
        "traffic to pod addresses never passes a waypoint, so no layer could enforce HTTP rules on"
            + " it; "
            + service.draft.describe()
            + " cannot both grant "
            + peer
            + " HTTP rules and say it dials pods by IP");
  }

  /** This service calls the peer. */
  public ServiceBuilder outbound() {
    if (!httpRules.isEmpty()) {
      throw new IllegalArgumentException(
          "HTTP rules belong to the callee's inbound declaration; "
              + service.draft.describe()
              + " cannot restrict its own calls to "
              + peer);
    }
    return end(Direction.OUTBOUND);
  }

  /** The peer may call this service. */
  public ServiceBuilder inbound() {
    return end(Direction.INBOUND);
  }

  /**
   * Both: this service calls the peer (on all the peer's ports), and the peer may call it (on the
   * ports and with the HTTP rules given here).
   */
  public ServiceBuilder both() {
    return end(Direction.BOTH);
  }

  private ServiceBuilder end(Direction direction) {
    service.draft.declarations.add(
        Declaration.builder()
            .peer(peer)
            .direction(direction)
            .addAllPorts(ports)
            .addAllHttpRules(httpRules)
            .byPodIp(byPodIp)
            .build());
    return service;
  }
}
