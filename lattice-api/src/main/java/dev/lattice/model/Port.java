package dev.lattice.model;

import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * A named port of a service: the {@code port} its Kubernetes Service exposes, the {@code
 * targetPort} its pods listen on, the protocol, the mesh's mutual-TLS mode, and any outside sources
 * it is exposed to.
 */
@Value.Immutable
public abstract class Port {
  Port() {}

  /** The port's name, unique within the service; declarations name ports by it. */
  public abstract String name();

  /** The port the Kubernetes Service exposes. */
  public abstract int port();

  /** The port the pods listen on; defaults to {@link #port()}. */
  @Value.Default
  public int targetPort() {
    return port();
  }

  /** The protocol; defaults to TCP. */
  @Value.Default
  public Protocol protocol() {
    return Protocol.TCP;
  }

  /** The mutual-TLS mode in the mesh; defaults to STRICT. */
  @Value.Default
  public PeerAuth peerAuth() {
    return PeerAuth.STRICT;
  }

  /** Outside sources that may reach this port (empty: none). */
  public abstract List<Exposure> exposedTo();

  /** Where it was declared, when loaded from YAML. */
  @Value.Auxiliary
  public abstract Optional<SourceLocation> source();

  /** Starts a port. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link Port}. */
  public static final class Builder extends ImmutablePort.Builder {
    Builder() {}
  }

  /** {@code name port[->targetPort]/PROTOCOL}. */
  @Override
  public String toString() {
    return name()
        + " "
        + port()
        + (targetPort() != port() ? "->" + targetPort() : "")
        + "/"
        + protocol();
  }
}
