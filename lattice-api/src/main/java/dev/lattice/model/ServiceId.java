package dev.lattice.model;

import java.util.Objects;

/** The identity of a service in the graph: its namespace and name. Printed as {@code ns/name}. */
public final class ServiceId implements Comparable<ServiceId> {
  private final String namespace;
  private final String name;

  /**
   * Made once: every map of resolution and rendering is keyed by service id, and a full resolution
   * at 50,000 services hashes ids millions of times.
   */
  private final int hash;

  private ServiceId(String namespace, String name) {
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.name = Objects.requireNonNull(name, "name");
    // not namespace * 31 + name: for numbered names ("ns-1/svc-120", "ns-2/svc-110") that sum
    // collides in whole runs, and the resolver's hash maps degraded into trees (a profile at 50,000
    // services showed HashMap$TreeNode lookups among the top frames). An odd multiplier with
    // scattered bits keeps neighbouring namespaces apart.
    this.hash = namespace.hashCode() * 0x9E3779B1 + name.hashCode();
  }

  /** The service {@code name} in {@code namespace}. */
  public static ServiceId of(String namespace, String name) {
    return new ServiceId(namespace, name);
  }

  /**
   * Parses {@code ns/name}, or a bare {@code name} in {@code defaultNamespace}.
   *
   * @throws IllegalArgumentException when the text has more than one slash or an empty part
   */
  public static ServiceId parse(String text, String defaultNamespace) {
    Objects.requireNonNull(text, "text");
    int slash = text.indexOf('/');
    if (slash < 0) {
      return of(defaultNamespace, text);
    }
    if (slash == 0 || slash == text.length() - 1 || text.indexOf('/', slash + 1) >= 0) {
      throw new IllegalArgumentException(
          "expected \"namespace/name\" or \"name\", got \"" + text + "\"");
    }
    return of(text.substring(0, slash), text.substring(slash + 1));
  }

  /** The namespace. */
  public String namespace() {
    return namespace;
  }

  /** The name. */
  public String name() {
    return name;
  }

  @Override
  public int compareTo(ServiceId other) {
    // by namespace, then name; written out, not a Comparator chain: resolution sorts and bisects
    // by service id millions of times at 50,000 services. The ids of one namespace often share
    // its string, whose comparison with itself String.compareTo does not skip
    if (this == other) {
      return 0;
    }
    int c = namespace == other.namespace ? 0 : namespace.compareTo(other.namespace);
    return c != 0 ? c : name.compareTo(other.name);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    // the hashes first: two different ids of one namespace differ there, not in the namespace
    return o instanceof ServiceId other
        && other.hash == hash
        && other.name.equals(name)
        && other.namespace.equals(namespace);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** {@code namespace/name}. */
  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
