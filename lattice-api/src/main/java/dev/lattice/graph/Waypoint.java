package dev.lattice.graph;

import dev.lattice.model.ServiceId;
import java.util.List;
import org.immutables.value.Value;

/**
 * A waypoint proxy the topology needs: in a namespace, with a name (which is also its service
 * account, so its mesh identity), fronting the services whose inbound traffic carries HTTP rules
 * and, for the namespace waypoint, routing the namespace's exact-FQDN egress.
 */
@Value.Immutable
public abstract class Waypoint implements Comparable<Waypoint> {
  Waypoint() {}

  /** The namespace. */
  public abstract String namespace();

  /** The Gateway's name, which is also the waypoint pods' service account. */
  public abstract String name();

  /** The services behind it, sorted. */
  public abstract List<ServiceId> services();

  /** Whether the namespace's exact-FQDN egress (its ServiceEntries) is routed through it. */
  public abstract boolean routesEgress();

  /** The waypoint pods' service account (its Gateway's name). */
  public String serviceAccount() {
    return name();
  }

  @Override
  public int compareTo(Waypoint other) {
    int c = namespace().compareTo(other.namespace());
    return c != 0 ? c : name().compareTo(other.name());
  }

  static ImmutableWaypoint.Builder builder() {
    return ImmutableWaypoint.builder();
  }

  @Override
  public String toString() {
    return namespace() + "/" + name();
  }
}
