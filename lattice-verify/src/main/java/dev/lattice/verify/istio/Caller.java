package dev.lattice.verify.istio;

import dev.lattice.verify.world.Peer;
import java.util.Objects;
import java.util.Optional;

/**
 * Who a connection comes from, as the enforcing proxy sees it: the peer's address and, for mTLS
 * (HBONE) connections, its mesh identity; plaintext connections have none (SEMANTICS I5).
 */
public final class Caller {
  private final Peer peer;
  private final String principal;

  private Caller(Peer peer, String principal) {
    this.peer = Objects.requireNonNull(peer, "peer");
    this.principal = principal;
  }

  /**
   * {@code peer} with its mesh identity when it has one (captured pods, waypoints), else plaintext.
   */
  public static Caller of(Peer peer) {
    return new Caller(peer, peer.principal().orElse(null));
  }

  /** {@code peer} over plaintext: no identity. */
  public static Caller plaintext(Peer peer) {
    return new Caller(peer, null);
  }

  /** The peer. */
  public Peer peer() {
    return peer;
  }

  /** Its identity {@code <td>/ns/<ns>/sa/<sa>}, when the connection is mTLS. */
  public Optional<String> principal() {
    return Optional.ofNullable(principal);
  }

  /** Whether it has a mesh identity. */
  public boolean hasIdentity() {
    return principal != null;
  }

  /** {@code spiffe://<principal>}, or null. */
  String spiffeId() {
    return principal == null ? null : "spiffe://" + principal;
  }

  /** The namespace in its identity, or null. */
  String identityNamespace() {
    return part("/ns/");
  }

  /** The service account in its identity, or null. */
  String identityServiceAccount() {
    return part("/sa/");
  }

  private String part(String marker) {
    if (principal == null) {
      return null;
    }
    int i = principal.indexOf(marker);
    if (i < 0) {
      return null;
    }
    int start = i + marker.length();
    int end = principal.indexOf('/', start);
    return end < 0 ? principal.substring(start) : principal.substring(start, end);
  }

  @Override
  public String toString() {
    return principal == null
        ? peer.name() + " (plaintext, no identity)"
        : peer.name() + " (" + principal + ")";
  }
}
