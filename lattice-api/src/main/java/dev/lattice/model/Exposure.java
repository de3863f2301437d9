package dev.lattice.model;

import java.util.Objects;
import java.util.Optional;

/**
 * A source outside the graph that may reach a port: internet clients ({@link World}), an address
 * range ({@link Cidr}) or the Kubernetes API server calling a webhook ({@link KubeApiserver}).
 * These clients have no mesh identity. Where an exposure was declared ({@link #source()}) does not
 * take part in equality.
 */
public sealed interface Exposure permits Exposure.World, Exposure.Cidr, Exposure.KubeApiserver {

  /** Internet clients. */
  static Exposure world() {
    return new World(Optional.empty());
  }

  /** The Kubernetes API server (admission webhooks). */
  static Exposure kubeApiserver() {
    return new KubeApiserver(Optional.empty());
  }

  /** Clients in the range {@code cidr}, e.g. {@code 10.20.0.0/16} or {@code 2001:db8::/32}. */
  static Exposure cidr(String cidr) {
    return new Cidr(cidr, Optional.empty());
  }

  /** Where it was declared, when loaded from YAML. */
  Optional<SourceLocation> source();

  /** This exposure, remembered as declared at {@code location}. */
  Exposure at(SourceLocation location);

  /** Clients on the internet, e.g. of a LoadBalancer or NodePort Service. */
  record World(Optional<SourceLocation> source) implements Exposure {
    /** Internet clients, declared at {@code source}. */
    public World {
      Objects.requireNonNull(source, "source");
    }

    @Override
    public Exposure at(SourceLocation location) {
      return new World(Optional.of(location));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof World;
    }

    @Override
    public int hashCode() {
      return World.class.hashCode();
    }

    /** {@code world}, as specs write it. */
    @Override
    public String toString() {
      return "world";
    }
  }

  /** The Kubernetes API server, e.g. calling an admission webhook. */
  record KubeApiserver(Optional<SourceLocation> source) implements Exposure {
    /** The API server, declared at {@code source}. */
    public KubeApiserver {
      Objects.requireNonNull(source, "source");
    }

    @Override
    public Exposure at(SourceLocation location) {
      return new KubeApiserver(Optional.of(location));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof KubeApiserver;
    }

    @Override
    public int hashCode() {
      return KubeApiserver.class.hashCode();
    }

    /** {@code kube-apiserver}, as specs write it. */
    @Override
    public String toString() {
      return "kube-apiserver";
    }
  }

  /**
   * Clients in an address range (IPv4 or IPv6 CIDR) whose source address survives; the range as
   * declared, valid or not (resolution checks it).
   */
  record Cidr(String range, Optional<SourceLocation> source) implements Exposure {
    /** Clients in {@code range}, declared at {@code source}. */
    public Cidr {
      Objects.requireNonNull(range, "range");
      Objects.requireNonNull(source, "source");
    }

    /** The range, when {@link #range()} is a CIDR. */
    public Optional<IpPrefix> prefix() {
      return IpPrefix.tryParse(range);
    }

    @Override
    public Exposure at(SourceLocation location) {
      return new Cidr(range, Optional.of(location));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Cidr c && c.range.equals(range);
    }

    @Override
    public int hashCode() {
      return range.hashCode();
    }

    /** The range, as specs write it. */
    @Override
    public String toString() {
      return range;
    }
  }
}
