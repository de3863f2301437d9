package dev.lattice.verify.diff;

import dev.lattice.model.ServiceId;
import dev.lattice.model.SourceLocation;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * One declaration that bears on a connection: which service said it, what it says ({@code outbound
 * storefront/api ports [http]}, {@code exposes http to world}, {@code egress fqdn api.stripe.com}),
 * and where, when the spec was loaded from YAML.
 */
public final class Declared implements Comparable<Declared> {
  private static final Comparator<Declared> ORDER =
      Comparator.comparing(Declared::service)
          .thenComparing(d -> d.location == null ? "" : d.location.toString())
          .thenComparing(Declared::statement);

  private final ServiceId service;
  private final String statement;
  private final SourceLocation location;

  Declared(ServiceId service, String statement, SourceLocation location) {
    this.service = Objects.requireNonNull(service);
    this.statement = Objects.requireNonNull(statement);
    this.location = location;
  }

  /** The service that declares it. */
  public ServiceId service() {
    return service;
  }

  /** What it declares, in words. */
  public String statement() {
    return statement;
  }

  /** Where it is written, when the spec came from YAML. */
  public Optional<SourceLocation> location() {
    return Optional.ofNullable(location);
  }

  @Override
  public int compareTo(Declared o) {
    return ORDER.compare(this, o);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Declared
        && ((Declared) o).service.equals(service)
        && ((Declared) o).statement.equals(statement)
        && Objects.equals(((Declared) o).location, location);
  }

  @Override
  public int hashCode() {
    return Objects.hash(service, statement, location);
  }

  /** {@code storefront/web: outbound storefront/api (specs/web.yaml:12:7)}. */
  @Override
  public String toString() {
    return service + ": " + statement + (location == null ? "" : " (" + location + ")");
  }
}
