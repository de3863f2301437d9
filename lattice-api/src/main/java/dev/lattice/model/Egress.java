package dev.lattice.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * Traffic a service sends out of the graph: to a DNS name ({@code api.stripe.com}, or a wildcard
 * {@code *.s3.amazonaws.com}), an address range, or a Cilium entity ({@code kube-apiserver}, {@code
 * world}, {@code cluster}, {@code host}, {@code remote-node}), on some ports.
 */
@Value.Immutable
public abstract class Egress {
  /**
   * Where egress goes: a {@link Fqdn}, a {@link Cidr} or an {@link Entity}, each holding the name
   * or range as declared ({@link #value()}), valid or not: resolution checks it.
   */
  public sealed interface Target permits Fqdn, Cidr, Entity {
    /** The DNS name, the CIDR, or the entity name, as declared. */
    String value();

    /** The spec's key for this kind of target: {@code fqdn}, {@code cidr} or {@code entity}. */
    default String key() {
      return this instanceof Fqdn ? "fqdn" : this instanceof Cidr ? "cidr" : "entity";
    }
  }

  /** A DNS name, exact ({@code api.stripe.com}) or with a leading wildcard ({@code *.s3.com}). */
  public record Fqdn(String value) implements Target {
    /** A DNS name. */
    public Fqdn {
      Objects.requireNonNull(value, "value");
    }

    /** Whether the name starts with a {@code *} wildcard. */
    public boolean isWildcard() {
      return value.startsWith("*");
    }

    /** The name. */
    @Override
    public String toString() {
      return value;
    }
  }

  /** An IPv4 or IPv6 address range, e.g. {@code 10.0.0.0/8}. */
  public record Cidr(String value) implements Target {
    /** An address range. */
    public Cidr {
      Objects.requireNonNull(value, "value");
    }

    /** The range, when {@link #value()} is a CIDR (resolution reports it otherwise). */
    public Optional<IpPrefix> prefix() {
      return IpPrefix.tryParse(value);
    }

    /** The range as declared. */
    @Override
    public String toString() {
      return value;
    }
  }

  /** A Cilium entity: one of {@link Egress#ENTITIES}. */
  public record Entity(String value) implements Target {
    /** A Cilium entity. */
    public Entity {
      Objects.requireNonNull(value, "value");
    }

    /** The entity's name. */
    @Override
    public String toString() {
      return value;
    }
  }

  /** The Cilium entities an egress may name. */
  public static final List<String> ENTITIES =
      List.of("cluster", "host", "kube-apiserver", "remote-node", "world");

  Egress() {}

  /** Where the traffic goes. */
  public abstract Target target();

  /**
   * The ports; empty means every port of every protocol (then {@link #protocol()} does not matter).
   * Not allowed empty for FQDN targets.
   */
  public abstract List<Integer> ports();

  /** The protocol of {@link #ports()}; defaults to TCP. */
  @Value.Default
  public Protocol protocol() {
    return Protocol.TCP;
  }

  /** The name the spec gave this endpoint, if any (for messages). */
  @Value.Auxiliary
  public abstract Optional<String> label();

  /** Where it was declared, when loaded from YAML. */
  @Value.Auxiliary
  public abstract Optional<SourceLocation> source();

  /** Whether this is a DNS name with a wildcard. */
  public boolean isWildcardFqdn() {
    return target() instanceof Fqdn f && f.isWildcard();
  }

  /** Whether this is an exact DNS name. */
  public boolean isExactFqdn() {
    return target() instanceof Fqdn f && !f.isWildcard();
  }

  /**
   * Whether the mesh routes this egress through the namespace waypoint (DESIGN §7): an exact DNS
   * name on TCP, the only protocol ztunnel captures. Everything else is L4-only.
   */
  public boolean isMeshRouted() {
    return isExactFqdn() && protocol() == Protocol.TCP;
  }

  /** Starts an egress. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link Egress}. */
  public static final class Builder extends ImmutableEgress.Builder {
    Builder() {}
  }

  /** {@code fqdn api.stripe.com:443/TCP}. */
  @Override
  public String toString() {
    return target().key()
        + " "
        + target()
        + (ports().isEmpty() ? " (all ports)" : ":" + ports())
        + "/"
        + protocol();
  }
}
