package dev.lattice.model;

import java.util.Optional;
import org.immutables.value.Value;

/**
 * A source outside the graph that may reach a port: internet clients ({@code world}), an address
 * range ({@code cidr}) or the Kubernetes API server calling a webhook ({@code kube-apiserver}).
 * These clients have no mesh identity.
 */
@Value.Immutable
public abstract class Exposure {
  /** The kinds of outside source. */
  public enum Kind {
    /** Clients on the internet, e.g. of a LoadBalancer or NodePort Service. */
    WORLD,
    /** Clients in an address range (IPv4 or IPv6 CIDR) whose source address survives. */
    CIDR,
    /** The Kubernetes API server, e.g. calling an admission webhook. */
    KUBE_APISERVER
  }

  Exposure() {}

  /** The kind of source. */
  public abstract Kind kind();

  /** The address range, present exactly when the kind is {@link Kind#CIDR}. */
  public abstract Optional<String> cidr();

  /** Where it was declared, when loaded from YAML. */
  @Value.Auxiliary
  public abstract Optional<SourceLocation> source();

  /** Internet clients. */
  public static Exposure world() {
    return ImmutableExposure.builder().kind(Kind.WORLD).build();
  }

  /** The Kubernetes API server (admission webhooks). */
  public static Exposure kubeApiserver() {
    return ImmutableExposure.builder().kind(Kind.KUBE_APISERVER).build();
  }

  /** Clients in the range {@code cidr}, e.g. {@code 10.20.0.0/16} or {@code 2001:db8::/32}. */
  public static Exposure cidr(String cidr) {
    return ImmutableExposure.builder().kind(Kind.CIDR).cidr(cidr).build();
  }

  /** This exposure, remembered as declared at {@code location}. */
  public Exposure at(SourceLocation location) {
    return ImmutableExposure.builder().kind(kind()).cidr(cidr()).source(location).build();
  }

  /** {@code world}, {@code kube-apiserver} or the CIDR itself: the form specs use. */
  @Override
  public String toString() {
    switch (kind()) {
      case WORLD:
        return "world";
      case KUBE_APISERVER:
        return "kube-apiserver";
      default:
        return cidr().orElse("?");
    }
  }
}
