package dev.lattice.model;

import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * One service's word about one peer: that it calls the peer ({@code OUTBOUND}), that the peer may
 * call it ({@code INBOUND}), or both.
 *
 * <p>{@link #ports()} names a subset of the callee's ports (empty: all of them). With {@code BOTH},
 * the port subset and the HTTP rules belong to the inbound side, what the declarer grants on its
 * own ports; the outbound side takes all of the peer's ports. HTTP rules are only meaningful on an
 * inbound side.
 */
@Value.Immutable
public abstract class Declaration {
  Declaration() {}

  /** The peer. */
  public abstract PeerRef peer();

  /** The direction, seen from the declaring service. */
  public abstract Direction direction();

  /** Names of the callee's ports this declaration covers; empty means all. */
  public abstract List<String> ports();

  /** HTTP requests the callee (the declarer, on an inbound side) grants; empty means any. */
  public abstract List<HttpRule> httpRules();

  /**
   * Whether the caller dials the callee's pod addresses rather than its Service (a metrics scraper,
   * a health checker, a client of a headless Service); defaults to false. Such traffic never passes
   * a waypoint (SEMANTICS R5), so it is allowed at the callee's pods on their container ports, and
   * HTTP rules cannot apply to it.
   */
  @Value.Default
  public boolean byPodIp() {
    return false;
  }

  /** Where it was declared, when loaded from YAML. */
  @Value.Auxiliary
  public abstract Optional<SourceLocation> source();

  /** Starts a declaration. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link Declaration}. */
  public static final class Builder extends ImmutableDeclaration.Builder {
    Builder() {}
  }

  @Override
  public String toString() {
    return direction().name().toLowerCase(java.util.Locale.ROOT)
        + " "
        + peer()
        + (ports().isEmpty() ? "" : " ports " + ports())
        + (httpRules().isEmpty() ? "" : " http " + httpRules())
        + (byPodIp() ? " by pod IP" : "");
  }
}
