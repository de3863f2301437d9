package dev.lattice.output;

import java.util.Comparator;
import java.util.Objects;

/**
 * A label Lattice needs on an object it does not own, e.g. {@code istio.io/use-waypoint} on a
 * Service whose traffic must pass a waypoint. Tools print these; until applied, traffic that needs
 * the label fails closed.
 */
public final class RequiredLabel implements Comparable<RequiredLabel> {
  private static final Comparator<RequiredLabel> ORDER =
      Comparator.comparing(RequiredLabel::kind)
          .thenComparing(RequiredLabel::namespace)
          .thenComparing(RequiredLabel::name)
          .thenComparing(RequiredLabel::key);

  private final String kind;
  private final String namespace;
  private final String name;
  private final String key;
  private final String value;
  private final String reason;

  private RequiredLabel(
      String kind, String namespace, String name, String key, String value, String reason) {
    this.kind = Objects.requireNonNull(kind);
    this.namespace = Objects.requireNonNull(namespace);
    this.name = Objects.requireNonNull(name);
    this.key = Objects.requireNonNull(key);
    this.value = Objects.requireNonNull(value);
    this.reason = Objects.requireNonNull(reason);
  }

  /** {@code kind namespace/name} needs {@code key=value}, because {@code reason}. */
  public static RequiredLabel of(
      String kind, String namespace, String name, String key, String value, String reason) {
    return new RequiredLabel(kind, namespace, name, key, value, reason);
  }

  /** The kind of the object, e.g. {@code Service}. */
  public String kind() {
    return kind;
  }

  /** Its namespace. */
  public String namespace() {
    return namespace;
  }

  /** Its name. */
  public String name() {
    return name;
  }

  /** The label key. */
  public String key() {
    return key;
  }

  /** The label value. */
  public String value() {
    return value;
  }

  /** Why it is needed. */
  public String reason() {
    return reason;
  }

  /** The kubectl command that applies it. */
  public String kubectl() {
    return "kubectl label "
        + kind.toLowerCase(java.util.Locale.ROOT)
        + " -n "
        + namespace
        + " "
        + name
        + " "
        + key
        + "="
        + value;
  }

  @Override
  public int compareTo(RequiredLabel o) {
    return ORDER.compare(this, o);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RequiredLabel)) {
      return false;
    }
    RequiredLabel r = (RequiredLabel) o;
    return kind.equals(r.kind)
        && namespace.equals(r.namespace)
        && name.equals(r.name)
        && key.equals(r.key)
        && value.equals(r.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, namespace, name, key, value);
  }

  /** {@code Service shop/api needs istio.io/use-waypoint=waypoint: reason}. */
  @Override
  public String toString() {
    return kind
        + " "
        + namespace
        + "/"
        + name
        + " needs label "
        + key
        + "="
        + value
        + ": "
        + reason;
  }
}
