package dev.lattice.model;

import java.util.Optional;
import org.immutables.value.Value;

/**
 * The peer a declaration names: a service by name, in a namespace that defaults to the declaring
 * service's, or {@code "*"}, any service in any namespace.
 */
@Value.Immutable
public abstract class PeerRef {
  /** The name that stands for any service. */
  public static final String ANY = "*";

  PeerRef() {}

  /** The namespace, when named; otherwise the declaring service's namespace applies. */
  @Value.Parameter
  public abstract Optional<String> namespace();

  /** The service name, or {@code "*"}. */
  @Value.Parameter
  public abstract String name();

  /** Whether this names any service. */
  public boolean isWildcard() {
    return ANY.equals(name());
  }

  /** The service {@code name} in the declarer's namespace. */
  public static PeerRef named(String name) {
    return ImmutablePeerRef.of(Optional.empty(), name);
  }

  /** The service {@code name} in {@code namespace}. */
  public static PeerRef of(String namespace, String name) {
    return ImmutablePeerRef.of(Optional.of(namespace), name);
  }

  /** Any service in any namespace. */
  public static PeerRef any() {
    return ImmutablePeerRef.of(Optional.empty(), ANY);
  }

  /** The peer's id, taking {@code declarerNamespace} when no namespace is named. */
  public ServiceId resolve(String declarerNamespace) {
    return ServiceId.of(namespace().orElse(declarerNamespace), name());
  }

  /** {@code ns/name}, {@code name} or {@code *}. */
  @Override
  public String toString() {
    return namespace().map(ns -> ns + "/" + name()).orElse(name());
  }
}
