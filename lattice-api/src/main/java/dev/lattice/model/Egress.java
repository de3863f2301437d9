package dev.lattice.model;

import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * Traffic a service sends out of the graph: to a DNS name ({@code api.stripe.com}, or a wildcard
 * {@code *.s3.amazonaws.com}), an address range, or a Cilium entity ({@code kube-apiserver}, {@code
 * world}, {@code cluster}, {@code host}, {@code remote-node}), on some ports.
 */
@Value.Immutable
public abstract class Egress {
  /** The kinds of egress target. */
  public enum Kind {
    /** A DNS name, exact or with a leading {@code *.} wildcard. */
    FQDN,
    /** An IPv4 or IPv6 address range. */
    CIDR,
    /** A Cilium entity. */
    ENTITY
  }

  /** The Cilium entities an egress may name. */
  public static final List<String> ENTITIES =
      List.of("cluster", "host", "kube-apiserver", "remote-node", "world");

  Egress() {}

  /** The kind of target. */
  public abstract Kind kind();

  /** The DNS name, the CIDR, or the entity name. */
  public abstract String target();

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
    return kind() == Kind.FQDN && target().startsWith("*");
  }

  /** Whether this is an exact DNS name. */
  public boolean isExactFqdn() {
    return kind() == Kind.FQDN && !target().startsWith("*");
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
    return kind().name().toLowerCase(java.util.Locale.ROOT)
        + " "
        + target()
        + (ports().isEmpty() ? " (all ports)" : ":" + ports())
        + "/"
        + protocol();
  }
}
