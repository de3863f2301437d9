package dev.lattice.output;

import java.util.Objects;

/**
 * What identifies a resource in a cluster: its API group, kind, namespace ({@code ""} for
 * cluster-scoped kinds) and name. Sorted by kind, namespace, name, then group.
 */
public final class ResourceKey implements Comparable<ResourceKey> {
  private final String group;
  private final String kind;
  private final String namespace;
  private final String name;

  private ResourceKey(String group, String kind, String namespace, String name) {
    this.group = Objects.requireNonNull(group, "group");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.name = Objects.requireNonNull(name, "name");
  }

  /** The key of a resource; {@code namespace} is {@code ""} for cluster-scoped kinds. */
  public static ResourceKey of(String group, String kind, String namespace, String name) {
    return new ResourceKey(group, kind, namespace, name);
  }

  /** The API group ({@code ""} for the core group), without version. */
  public String group() {
    return group;
  }

  /** The kind. */
  public String kind() {
    return kind;
  }

  /** The namespace, or {@code ""} for a cluster-scoped resource. */
  public String namespace() {
    return namespace;
  }

  /** The name. */
  public String name() {
    return name;
  }

  @Override
  public int compareTo(ResourceKey o) {
    // written out, not a Comparator chain: a manifest of 110,000 resources is sorted and merged by
    // key, and a kind (and often a namespace) is one string shared by many keys, which
    // String.compareTo does not skip
    if (this == o) {
      return 0;
    }
    int c = compare(kind, o.kind);
    if (c == 0) {
      c = compare(namespace, o.namespace);
      if (c == 0) {
        c = compare(name, o.name);
        if (c == 0) {
          c = compare(group, o.group);
        }
      }
    }
    return c;
  }

  private static int compare(String a, String b) {
    return a == b ? 0 : a.compareTo(b);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ResourceKey)) {
      return false;
    }
    ResourceKey k = (ResourceKey) o;
    return group.equals(k.group)
        && kind.equals(k.kind)
        && namespace.equals(k.namespace)
        && name.equals(k.name);
  }

  @Override
  public int hashCode() {
    return Objects.hash(group, kind, namespace, name);
  }

  /** {@code Kind namespace/name} or {@code Kind name}. */
  @Override
  public String toString() {
    return kind + " " + (namespace.isEmpty() ? "" : namespace + "/") + name;
  }
}
