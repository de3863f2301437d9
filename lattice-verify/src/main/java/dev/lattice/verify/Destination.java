package dev.lattice.verify;

import dev.lattice.model.IpPrefix;
import dev.lattice.model.ServiceId;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a queried connection goes: a declared service on a <em>Service</em> port (what clients
 * dial; the world maps it to the target port), or an external host name, an address range, an
 * address or a Cilium entity, on a port.
 */
public final class Destination {
  /** The kinds of destination. */
  public enum Kind {
    /** A declared service, on one of its Service ports. */
    SERVICE,
    /** An external DNS name. */
    FQDN,
    /** An address range (a representative address of it is used). */
    CIDR,
    /** One address. */
    ADDRESS,
    /** A Cilium entity (world, kube-apiserver, host, remote-node, cluster). */
    ENTITY
  }

  private final Kind kind;
  private final ServiceId service;
  private final String target;
  private final int port;

  private Destination(Kind kind, ServiceId service, String target, int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535, got " + port);
    }
    this.kind = kind;
    this.service = service;
    this.target = target;
    this.port = port;
  }

  /** The service {@code "ns/name"} on its Service port {@code servicePort}. */
  public static Destination service(String id, int servicePort) {
    return new Destination(
        Kind.SERVICE, ServiceId.parse(Objects.requireNonNull(id), "default"), null, servicePort);
  }

  /** The service {@code id} on its Service port {@code servicePort}. */
  public static Destination service(ServiceId id, int servicePort) {
    return new Destination(Kind.SERVICE, Objects.requireNonNull(id), null, servicePort);
  }

  /** The external host {@code name} (e.g. {@code api.stripe.com}) on {@code port}. */
  public static Destination fqdn(String name, int port) {
    return new Destination(Kind.FQDN, null, Objects.requireNonNull(name), port);
  }

  /** An address in {@code cidr} on {@code port}. */
  public static Destination cidr(String cidr, int port) {
    IpPrefix.parseRange(cidr);
    return new Destination(Kind.CIDR, null, cidr, port);
  }

  /** The address {@code ip} on {@code port}. */
  public static Destination address(String ip, int port) {
    if (!IpPrefix.isAddress(ip)) {
      throw new IllegalArgumentException("\"" + ip + "\" is not an IP address");
    }
    return new Destination(Kind.ADDRESS, null, ip, port);
  }

  /**
   * The Cilium entity {@code name} ({@code world}, {@code kube-apiserver}, {@code host}, {@code
   * remote-node}, {@code cluster}) on {@code port}.
   */
  public static Destination entity(String name, int port) {
    if (!java.util.Set.of("world", "kube-apiserver", "host", "remote-node", "cluster")
        .contains(name)) {
      throw new IllegalArgumentException(
          "unknown entity \""
              + name
              + "\"; use world, kube-apiserver, host, remote-node or cluster");
    }
    return new Destination(Kind.ENTITY, null, name, port);
  }

  /** The kind. */
  public Kind kind() {
    return kind;
  }

  /** The service, for {@link Kind#SERVICE}. */
  public Optional<ServiceId> serviceId() {
    return Optional.ofNullable(service);
  }

  /** The host name, range, address or entity name (not for services). */
  public Optional<String> target() {
    return Optional.ofNullable(target);
  }

  /** The port: a Service port for services, else the port dialled. */
  public int port() {
    return port;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Destination)) {
      return false;
    }
    Destination d = (Destination) o;
    return d.kind == kind
        && d.port == port
        && Objects.equals(d.service, service)
        && Objects.equals(d.target, target);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, service, target, port);
  }

  /** {@code shop/api:80}, {@code api.stripe.com:443}, {@code entity kube-apiserver:443}, ... */
  @Override
  public String toString() {
    switch (kind) {
      case SERVICE:
        return service + ":" + port;
      case ENTITY:
        return "entity " + target + ":" + port;
      case CIDR:
        return "cidr " + target + ":" + port;
      default:
        return target + ":" + port;
    }
  }
}
