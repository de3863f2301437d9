package dev.lattice.verify;

import dev.lattice.model.IpPrefix;
import dev.lattice.model.ServiceId;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a queried connection comes from: a declared service (its pod), or a source outside the
 * graph: an internet client, an address, the kube-apiserver, the local node, a remote node, or the
 * kubelet's probes.
 */
public final class Source {
  /** The kinds of source. */
  public enum Kind {
    /** A pod of a declared service. */
    SERVICE,
    /** An internet client (world identity). */
    WORLD,
    /** A given address (a pod or node address, or else outside the cluster). */
    ADDRESS,
    /** The kube-apiserver (e.g. calling an admission webhook). */
    KUBE_APISERVER,
    /** The destination's node (kubelet, host-network pods). */
    HOST,
    /** Another node (e.g. a load balancer's SNAT address). */
    REMOTE_NODE,
    /** The kubelet's probes: from 169.254.7.127 into ambient pods, from the node otherwise. */
    PROBE
  }

  private final Kind kind;
  private final ServiceId service;
  private final String address;

  private Source(Kind kind, ServiceId service, String address) {
    this.kind = kind;
    this.service = service;
    this.address = address;
  }

  /** The service {@code "ns/name"} (or {@code "name"} in {@code default}). */
  public static Source service(String id) {
    return new Source(Kind.SERVICE, ServiceId.parse(Objects.requireNonNull(id), "default"), null);
  }

  /** The service {@code id}. */
  public static Source service(ServiceId id) {
    return new Source(Kind.SERVICE, Objects.requireNonNull(id), null);
  }

  /** An internet client. */
  public static Source world() {
    return new Source(Kind.WORLD, null, null);
  }

  /** The address {@code ip}, e.g. a client in an exposed CIDR. */
  public static Source address(String ip) {
    if (!IpPrefix.isAddress(ip)) {
      throw new IllegalArgumentException("\"" + ip + "\" is not an IP address");
    }
    return new Source(Kind.ADDRESS, null, ip);
  }

  /** The kube-apiserver. */
  public static Source kubeApiserver() {
    return new Source(Kind.KUBE_APISERVER, null, null);
  }

  /** The destination's own node. */
  public static Source host() {
    return new Source(Kind.HOST, null, null);
  }

  /** Another node of the cluster. */
  public static Source remoteNode() {
    return new Source(Kind.REMOTE_NODE, null, null);
  }

  /** The kubelet's probes. */
  public static Source probe() {
    return new Source(Kind.PROBE, null, null);
  }

  /** The kind. */
  public Kind kind() {
    return kind;
  }

  /** The service, for {@link Kind#SERVICE}. */
  public Optional<ServiceId> serviceId() {
    return Optional.ofNullable(service);
  }

  /** The address, for {@link Kind#ADDRESS}. */
  public Optional<String> address() {
    return Optional.ofNullable(address);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Source
        && ((Source) o).kind == kind
        && Objects.equals(((Source) o).service, service)
        && Objects.equals(((Source) o).address, address);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, service, address);
  }

  /** {@code shop/web}, {@code world}, {@code 10.20.0.5}, {@code kube-apiserver}, ... */
  @Override
  public String toString() {
    switch (kind) {
      case SERVICE:
        return service.toString();
      case ADDRESS:
        return address;
      case KUBE_APISERVER:
        return "kube-apiserver";
      case REMOTE_NODE:
        return "remote-node";
      default:
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
