package dev.lattice.verify;

import dev.lattice.model.IpPrefix;
import dev.lattice.model.ServiceId;
import java.util.Objects;
import java.util.Set;

/**
 * Where a queried connection goes: a declared service on a <em>Service</em> port (what clients
 * dial; the world maps it to the target port), or an external host name, an address range, an
 * address or a Cilium entity, on a port.
 */
public sealed interface Destination
    permits Destination.Service,
        Destination.Fqdn,
        Destination.Cidr,
        Destination.Address,
        Destination.Entity {

  /** The Cilium entities a destination may name. */
  Set<String> ENTITIES = Set.of("world", "kube-apiserver", "host", "remote-node", "cluster");

  /** The port: a Service port for services, else the port dialled. */
  int port();

  /** The service {@code "ns/name"} on its Service port {@code servicePort}. */
  static Destination service(String id, int servicePort) {
    return new Service(ServiceId.parse(Objects.requireNonNull(id), "default"), servicePort);
  }

  /** The service {@code id} on its Service port {@code servicePort}. */
  static Destination service(ServiceId id, int servicePort) {
    return new Service(id, servicePort);
  }

  /** The external host {@code name} (e.g. {@code api.stripe.com}) on {@code port}. */
  static Destination fqdn(String name, int port) {
    return new Fqdn(name, port);
  }

  /** An address in {@code cidr} (a range, or one address) on {@code port}. */
  static Destination cidr(String cidr, int port) {
    return new Cidr(IpPrefix.parseRange(cidr), port);
  }

  /** The address {@code ip} on {@code port}. */
  static Destination address(String ip, int port) {
    return new Address(ip, port);
  }

  /**
   * The Cilium entity {@code name} ({@code world}, {@code kube-apiserver}, {@code host}, {@code
   * remote-node}, {@code cluster}) on {@code port}.
   */
  static Destination entity(String name, int port) {
    return new Entity(name, port);
  }

  /** A declared service, on one of its Service ports: {@code shop/api:80}. */
  record Service(ServiceId id, int port) implements Destination {
    /** The service {@code id} on its Service port {@code port}. */
    public Service {
      Objects.requireNonNull(id, "id");
      checkPort(port);
    }

    @Override
    public String toString() {
      return id + ":" + port;
    }
  }

  /** An external DNS name: {@code api.stripe.com:443}. */
  record Fqdn(String name, int port) implements Destination {
    /** The host {@code name} on {@code port}. */
    public Fqdn {
      Objects.requireNonNull(name, "name");
      checkPort(port);
    }

    @Override
    public String toString() {
      return name + ":" + port;
    }
  }

  /** An address range, of which a representative address is used: {@code cidr 10.0.0.0/8:5432}. */
  record Cidr(IpPrefix range, int port) implements Destination {
    /** An address in {@code range} on {@code port}. */
    public Cidr {
      Objects.requireNonNull(range, "range");
      checkPort(port);
    }

    @Override
    public String toString() {
      return "cidr " + range + ":" + port;
    }
  }

  /** One address: {@code 10.0.0.7:443}. */
  record Address(String ip, int port) implements Destination {
    /** The address {@code ip} on {@code port}. */
    public Address {
      if (!IpPrefix.isAddress(ip)) {
        throw new IllegalArgumentException("\"" + ip + "\" is not an IP address");
      }
      checkPort(port);
    }

    @Override
    public String toString() {
      return ip + ":" + port;
    }
  }

  /** A Cilium entity: {@code entity kube-apiserver:443}. */
  record Entity(String name, int port) implements Destination {
    /** The entity {@code name} on {@code port}. */
    public Entity {
      if (!ENTITIES.contains(Objects.requireNonNull(name, "name"))) {
        throw new IllegalArgumentException(
            "unknown entity \""
                + name
                + "\"; use world, kube-apiserver, host, remote-node or cluster");
      }
      checkPort(port);
    }

    @Override
    public String toString() {
      return "entity " + name + ":" + port;
    }
  }

  private static void checkPort(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535, got " + port);
    }
  }
}
