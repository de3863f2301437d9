package dev.lattice.model;

import java.util.Comparator;
import java.util.Objects;

/** The identity of a service in the graph: its namespace and name. Printed as {@code ns/name}. */
public final class ServiceId implements Comparable<ServiceId> {
  private static final Comparator<ServiceId> ORDER =
      Comparator.comparing(ServiceId::namespace).thenComparing(ServiceId::name);

  private final String namespace;
  private final String name;

  private ServiceId(String namespace, String name) {
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.name = Objects.requireNonNull(name, "name");
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
    return ORDER.compare(this, other);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ServiceId
        && ((ServiceId) o).namespace.equals(namespace)
        && ((ServiceId) o).name.equals(name);
  }

  @Override
  public int hashCode() {
    // not namespace * 31 + name: for numbered names ("ns-1/svc-120", "ns-2/svc-110") that sum
    // collides in whole runs, and the resolver's hash maps degraded into trees (a profile at 50,000
    // services showed HashMap$TreeNode lookups among the top frames). An odd multiplier with
    // scattered bits keeps neighbouring namespaces apart.
    return namespace.hashCode() * 0x9E3779B1 + name.hashCode();
  }

  /** {@code namespace/name}. */
  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
