package dev.lattice.verify;

import dev.lattice.model.Protocol;
import java.util.Objects;
import java.util.Optional;

/**
 * A question for the {@link Verifier}: may traffic from a source reach a destination on a port
 * (with a protocol, and optionally an HTTP request)?
 *
 * <pre>{@code
 * Query.from("shop/web").to("shop/api", 80)                 // a Service port, as clients dial it
 * Query.from("shop/web").to("shop/api", 80).request("GET", "/api/x")
 * Query.from(Source.world()).to("shop/web", 8080)
 * Query.from("shop/api").toHost("api.stripe.com", 443)
 * Query.from("shop/api").toEntity("kube-apiserver", 443)
 * }</pre>
 *
 * <p>The port of a service destination is the <em>Service</em> port (what clients dial); the world
 * maps it to the target port, which is what Cilium and ztunnel see. The protocol defaults to the
 * Service port's protocol (TCP for other destinations). Without a request, the waypoint's verdict
 * is existential (A5).
 */
public final class Query {
  private final Source from;
  private final Destination to;
  private final Protocol protocol;
  private final String method;
  private final String path;
  private final String host;
  private final boolean dnsLookup;

  private Query(
      Source from,
      Destination to,
      Protocol protocol,
      String method,
      String path,
      String host,
      boolean dnsLookup) {
    this.from = Objects.requireNonNull(from, "from");
    this.to = Objects.requireNonNull(to, "to");
    this.protocol = protocol;
    this.method = method;
    this.path = path;
    this.host = host;
    this.dnsLookup = dnsLookup;
  }

  /** Starts a query from the service {@code "ns/name"}. */
  public static Start from(String service) {
    return new Start(Source.service(service));
  }

  /** Starts a query from {@code source}. */
  public static Start from(Source source) {
    return new Start(Objects.requireNonNull(source));
  }

  /** A query from {@code source} to {@code destination}. */
  public static Query of(Source source, Destination destination) {
    return new Query(source, destination, null, null, null, null, true);
  }

  /** The first half of a query: where it comes from. */
  public static final class Start {
    private final Source from;

    private Start(Source from) {
      this.from = from;
    }

    /** To the service {@code "ns/name"} on its Service port {@code servicePort}. */
    public Query to(String service, int servicePort) {
      return of(from, Destination.service(service, servicePort));
    }

    /** To {@code destination}. */
    public Query to(Destination destination) {
      return of(from, destination);
    }

    /** To the external host {@code name} on {@code port}. */
    public Query toHost(String name, int port) {
      return of(from, Destination.fqdn(name, port));
    }

    /** To an address of {@code cidr} on {@code port}. */
    public Query toCidr(String cidr, int port) {
      return of(from, Destination.cidr(cidr, port));
    }

    /** To the address {@code ip} on {@code port}. */
    public Query toAddress(String ip, int port) {
      return of(from, Destination.address(ip, port));
    }

    /** To the Cilium entity {@code name} on {@code port}. */
    public Query toEntity(String name, int port) {
      return of(from, Destination.entity(name, port));
    }
  }

  /** This query with {@code protocol} instead of the port's own. */
  public Query protocol(Protocol protocol) {
    return new Query(from, to, Objects.requireNonNull(protocol), method, path, host, dnsLookup);
  }

  /** This query carrying the HTTP request {@code method} {@code path} (method case-sensitive). */
  public Query request(String method, String path) {
    return new Query(
        from,
        to,
        protocol,
        Objects.requireNonNull(method),
        Objects.requireNonNull(path),
        host,
        dnsLookup);
  }

  /** This query with the HTTP Host header {@code host} (default: the service's DNS name). */
  public Query host(String host) {
    return new Query(from, to, protocol, method, path, Objects.requireNonNull(host), dnsLookup);
  }

  /**
   * This query without the DNS lookup a client not captured by ztunnel makes before calling a
   * service (as when it dials the ClusterIP directly). External hosts are always looked up.
   */
  public Query withoutDnsLookup() {
    return new Query(from, to, protocol, method, path, host, false);
  }

  /** The source. */
  public Source source() {
    return from;
  }

  /** The destination. */
  public Destination destination() {
    return to;
  }

  /** The protocol, when set; otherwise the port's own. */
  public Optional<Protocol> protocolOverride() {
    return Optional.ofNullable(protocol);
  }

  /** The HTTP method, if the query carries a request. */
  public Optional<String> method() {
    return Optional.ofNullable(method);
  }

  /** The HTTP path, if the query carries a request. */
  public Optional<String> path() {
    return Optional.ofNullable(path);
  }

  /** The Host header, if set. */
  public Optional<String> host() {
    return Optional.ofNullable(host);
  }

  /** Whether a client outside ztunnel's DNS capture looks the service name up first. */
  public boolean dnsLookup() {
    return dnsLookup;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Query)) {
      return false;
    }
    Query q = (Query) o;
    return q.from.equals(from)
        && q.to.equals(to)
        && q.protocol == protocol
        && Objects.equals(q.method, method)
        && Objects.equals(q.path, path)
        && Objects.equals(q.host, host)
        && q.dnsLookup == dnsLookup;
  }

  @Override
  public int hashCode() {
    return Objects.hash(from, to, protocol, method, path, host, dnsLookup);
  }

  /** {@code shop/web -> shop/api:80 GET /api/x}. */
  @Override
  public String toString() {
    return from
        + " -> "
        + to
        + (protocol == null ? "" : "/" + protocol)
        + (method == null ? "" : " " + method + " " + path)
        + (host == null ? "" : " (Host " + host + ")");
  }
}
