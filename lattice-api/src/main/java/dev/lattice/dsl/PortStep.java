package dev.lattice.dsl;

import dev.lattice.internal.Names;
import dev.lattice.model.Exposure;
import dev.lattice.model.PeerAuth;
import dev.lattice.model.Protocol;
import java.util.Objects;

/**
 * A service builder right after {@code port(...)}: the steps here refine that port, and every
 * {@link ServiceBuilder} step continues the service.
 *
 * <pre>{@code
 * service("dns").port("dns", 53).udp()
 * service("jellyfin").port("http", 8096).permissive().exposedTo(world())
 * }</pre>
 */
@CheckReturnValue
public final class PortStep extends ServiceBuilder {
  private final ServiceDraft.PortDraft port;

  PortStep(ServiceDraft draft, ServiceDraft.PortDraft port) {
    super(draft);
    this.port = port;
  }

  /** The port the pods listen on, when it differs from the Service port. */
  public PortStep targetPort(int targetPort) {
    require(Names.port("targetPort of " + port.name + " of " + draft.describe(), targetPort));
    port.targetPort = targetPort;
    return this;
  }

  /** The protocol (TCP unless set). */
  public PortStep protocol(Protocol protocol) {
    port.protocol = Objects.requireNonNull(protocol, "protocol");
    return this;
  }

  /** Shorthand for {@code protocol(Protocol.UDP)}. */
  public PortStep udp() {
    return protocol(Protocol.UDP);
  }

  /** Shorthand for {@code protocol(Protocol.SCTP)}. */
  public PortStep sctp() {
    return protocol(Protocol.SCTP);
  }

  /** Accepts plaintext (identity-less) connections besides mTLS; needed for non-mesh callers. */
  public PortStep permissive() {
    return peerAuth(PeerAuth.PERMISSIVE);
  }

  /** The mesh's mutual-TLS mode for this port (STRICT unless set). */
  public PortStep peerAuth(PeerAuth mode) {
    port.peerAuth = Objects.requireNonNull(mode, "mode");
    return this;
  }

  /**
   * Opens this port to sources outside the graph: {@code world()}, {@code clients("10.0.0.0/8")},
   * {@code kubeApiserver()}. A TCP port of an ambient service must also be {@link #permissive()}.
   */
  public PortStep exposedTo(Exposure... sources) {
    for (Exposure x : sources) {
      port.exposedTo.add(Objects.requireNonNull(x, "exposure"));
    }
    return this;
  }
}
