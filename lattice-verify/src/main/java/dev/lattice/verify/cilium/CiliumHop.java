package dev.lattice.verify.cilium;

import dev.lattice.model.Protocol;
import dev.lattice.verify.world.Peer;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One L3/L4 hop as Cilium sees it: a packet from {@code source} to {@code destination} on a port
 * (after service translation: the pod's target port, C11) with a protocol, plus the DNS names whose
 * answers the DNS proxy saw resolve to the destination (for {@code toFQDNs}, C13).
 *
 * <pre>{@code
 * CiliumHop hop = CiliumHop.of(web, api, 15008, Protocol.TCP);
 * }</pre>
 */
public final class CiliumHop {
  private final Peer source;
  private final Peer destination;
  private final int port;
  private final Protocol protocol;
  private final Set<String> learnedNames;
  private final String method;
  private final String path;
  private final String host;

  private CiliumHop(
      Peer source,
      Peer destination,
      int port,
      Protocol protocol,
      Set<String> learnedNames,
      String method,
      String path,
      String host) {
    this.source = Objects.requireNonNull(source, "source");
    this.destination = Objects.requireNonNull(destination, "destination");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
    this.port = port;
    this.protocol = Objects.requireNonNull(protocol, "protocol");
    this.learnedNames = Set.copyOf(learnedNames);
    this.method = method;
    this.path = path;
    this.host = host;
  }

  /** A hop from {@code source} to {@code destination} on {@code port}/{@code protocol}. */
  public static CiliumHop of(Peer source, Peer destination, int port, Protocol protocol) {
    return new CiliumHop(source, destination, port, protocol, Set.of(), null, null, null);
  }

  /** This hop, with DNS names the proxy saw resolve to the destination's address. */
  public CiliumHop withLearnedNames(Set<String> names) {
    Set<String> all = new TreeSet<>(learnedNames);
    all.addAll(names);
    return new CiliumHop(source, destination, port, protocol, all, method, path, host);
  }

  /** This hop, carrying an HTTP request (for Cilium L7 rules, C14). */
  public CiliumHop withRequest(String method, String path, String host) {
    return new CiliumHop(source, destination, port, protocol, learnedNames, method, path, host);
  }

  /** The sender. */
  public Peer source() {
    return source;
  }

  /** The receiver. */
  public Peer destination() {
    return destination;
  }

  /** The destination port. */
  public int port() {
    return port;
  }

  /** The protocol. */
  public Protocol protocol() {
    return protocol;
  }

  /** Names the DNS proxy saw resolve to the destination. */
  public Set<String> learnedNames() {
    return learnedNames;
  }

  /** The HTTP method, or null. */
  public String method() {
    return method;
  }

  /** The HTTP path, or null. */
  public String path() {
    return path;
  }

  /** The HTTP host, or null. */
  public String host() {
    return host;
  }

  /**
   * Whether this is HBONE: TCP 15008 from a captured pod or waypoint to an HBONE-capable pod (R2).
   */
  public boolean isHbone() {
    return protocol == Protocol.TCP
        && port == 15008
        && (source.isCaptured() || source.kind() == Peer.Kind.WAYPOINT)
        && destination.isHboneCapable();
  }

  @Override
  public String toString() {
    return source.name() + " -> " + destination.name() + " " + protocol + " " + port;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof CiliumHop)) {
      return false;
    }
    CiliumHop h = (CiliumHop) o;
    return h.source.name().equals(source.name())
        && h.source.ip().equals(source.ip())
        && h.destination.name().equals(destination.name())
        && h.destination.ip().equals(destination.ip())
        && h.port == port
        && h.protocol == protocol
        && h.learnedNames.equals(learnedNames)
        && Objects.equals(h.method, method)
        && Objects.equals(h.path, path)
        && Objects.equals(h.host, host);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        source.name(),
        destination.name(),
        destination.ip(),
        port,
        protocol,
        learnedNames,
        method,
        path);
  }
}
