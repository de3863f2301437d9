package dev.lattice.graph;

import dev.lattice.model.HttpRule;
import dev.lattice.model.Port;
import dev.lattice.model.ServiceId;
import dev.lattice.model.SourceLocation;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * An edge both sides declared: {@code caller} may call {@code callee} on {@link #ports()} (the
 * callee's ports both sides named), limited to {@link #httpRules()} when the callee granted HTTP
 * rules (empty: any request). Only agreements produce allow rules.
 */
@Value.Immutable
public abstract class Agreement implements Comparable<Agreement> {
  Agreement() {}

  /** The service that calls. */
  public abstract ServiceId caller();

  /** The service that is called. */
  public abstract ServiceId callee();

  /** The callee's ports the agreement covers, ordered by port number then name; never empty. */
  public abstract List<Port> ports();

  /** The HTTP requests the callee grants; empty means any request on those ports. */
  public abstract List<HttpRule> httpRules();

  /** Whether this is a service's pods calling each other ({@code allowPeerTraffic}). */
  @Value.Default
  public boolean isPeerTraffic() {
    return false;
  }

  /**
   * Whether the caller dials the callee's pod addresses, not its Service (either side's declaration
   * said so): such traffic reaches the callee's pods directly, never through a waypoint (SEMANTICS
   * R5), so it never carries HTTP rules.
   */
  @Value.Default
  public boolean byPodIp() {
    return false;
  }

  /** Where the caller's outbound declaration was written, when loaded from YAML. */
  @Value.Auxiliary
  public abstract Optional<SourceLocation> outboundSource();

  /** Where the callee's inbound declaration was written, when loaded from YAML. */
  @Value.Auxiliary
  public abstract Optional<SourceLocation> inboundSource();

  /** Whether the callee restricts HTTP requests, so a waypoint must see this traffic. */
  public boolean hasHttpRules() {
    return !httpRules().isEmpty();
  }

  static ImmutableAgreement.Builder builder() {
    return ImmutableAgreement.builder();
  }

  @Override
  public int compareTo(Agreement other) {
    int c = caller().compareTo(other.caller());
    return c != 0 ? c : callee().compareTo(other.callee());
  }

  /** {@code shop/web -> shop/api [http 80->8080/TCP]}. */
  @Override
  public String toString() {
    return caller()
        + " -> "
        + callee()
        + " "
        + ports()
        + (hasHttpRules() ? " " + httpRules() : "")
        + (byPodIp() ? " by pod IP" : "");
  }
}
