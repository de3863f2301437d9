package dev.lattice.verify.cilium;

import java.util.List;
import java.util.Optional;

/**
 * A pod's resolver resolving one name through kube-dns, query by query along its search list, under
 * Cilium's DNS policy (SEMANTICS C13, C14): whether it got an address, whether Cilium's DNS proxy
 * saw the answer (so {@code toFQDNs} learned it), and what happened to each query.
 */
public final class DnsResolution {
  private final String name;
  private final String answeredName;
  private final String address;
  private final boolean observed;
  private final List<String> steps;
  private final String failure;

  DnsResolution(
      String name,
      String answeredName,
      String address,
      boolean observed,
      List<String> steps,
      String failure) {
    this.name = name;
    this.answeredName = answeredName;
    this.address = address;
    this.observed = observed;
    this.steps = List.copyOf(steps);
    this.failure = failure;
  }

  /** The name the application asked for. */
  public String name() {
    return name;
  }

  /** Whether the resolver got an address. */
  public boolean resolved() {
    return address != null;
  }

  /** The query that was answered (a search-list expansion or the name itself). */
  public Optional<String> answeredName() {
    return Optional.ofNullable(answeredName);
  }

  /** The address, when resolved. */
  public Optional<String> address() {
    return Optional.ofNullable(address);
  }

  /**
   * Whether Cilium's DNS proxy saw the answer, so {@code toFQDNs} selectors learned the address.
   */
  public boolean observedByProxy() {
    return observed;
  }

  /** What happened to each query, in order. */
  public List<String> steps() {
    return steps;
  }

  /** Why it failed, when it did. */
  public Optional<String> failure() {
    return Optional.ofNullable(failure);
  }

  /** A one-line summary. */
  public String summary() {
    if (resolved()) {
      return "lookup of "
          + name
          + " answered for "
          + answeredName
          + " = "
          + address
          + (observed ? " (seen by Cilium's DNS proxy)" : " (not proxied)");
    }
    return "lookup of " + name + " failed: " + failure;
  }

  @Override
  public String toString() {
    return summary();
  }
}
