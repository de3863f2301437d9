package dev.lattice.graph;

import dev.lattice.model.Service;
import dev.lattice.model.ServiceId;
import dev.lattice.model.Settings;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A resolved graph: the services, the agreements both sides declared, per-service views, the
 * waypoints needed, and every diagnostic. Renderers take a topology without errors ({@link
 * #orThrow()}); tools read the diagnostics.
 *
 * <pre>{@code
 * Topology t = graph.resolve();
 * t.diagnostics().forEach(System.err::println);
 * if (!t.hasErrors()) { ... render ... }
 * }</pre>
 */
public final class Topology {
  private final Settings settings;
  private final List<Service> services;
  private final List<Agreement> agreements;
  private final Map<ServiceId, ServiceView> views;
  private final List<Waypoint> waypoints;
  private final List<Edge> edges;
  private final List<Diagnostic> diagnostics;
  private final boolean hasErrors;

  Topology(
      Settings settings,
      List<Service> services,
      List<Agreement> agreements,
      Map<ServiceId, ServiceView> views,
      List<Waypoint> waypoints,
      List<Edge> edges,
      List<Diagnostic> diagnostics) {
    this.settings = settings;
    this.services = List.copyOf(services);
    this.agreements = List.copyOf(agreements);
    this.views = Collections.unmodifiableMap(views);
    this.waypoints = List.copyOf(waypoints);
    this.edges = List.copyOf(edges);
    this.diagnostics = List.copyOf(diagnostics);
    this.hasErrors = diagnostics.stream().anyMatch(Diagnostic::isError);
  }

  /** The settings it was resolved with. */
  public Settings settings() {
    return settings;
  }

  /** Every service, once, sorted by id. */
  public List<Service> services() {
    return services;
  }

  /** The service with {@code id}, if it is in the graph. */
  public Optional<Service> service(ServiceId id) {
    ServiceView v = views.get(id);
    return v == null ? Optional.empty() : Optional.of(v.service());
  }

  /** Every agreement, sorted by caller then callee. */
  public List<Agreement> agreements() {
    return agreements;
  }

  /** The view of one service. */
  public Optional<ServiceView> view(ServiceId id) {
    return Optional.ofNullable(views.get(id));
  }

  /** The views of every service, in the order of {@link #services()}. */
  public List<ServiceView> views() {
    return services.stream().map(s -> views.get(s.id())).toList();
  }

  /** The waypoints the topology needs, sorted by namespace and name. */
  public List<Waypoint> waypoints() {
    return waypoints;
  }

  /** Every declared edge and what became of it, sorted; for drawing and explaining. */
  public List<Edge> edges() {
    return edges;
  }

  /** Every diagnostic, sorted by location, path and code. */
  public List<Diagnostic> diagnostics() {
    return diagnostics;
  }

  /** Whether any diagnostic is an error; renderers refuse such a topology. */
  public boolean hasErrors() {
    return hasErrors;
  }

  /**
   * This topology, if it has no errors.
   *
   * @throws LatticeException carrying every diagnostic, when some are errors
   */
  public Topology orThrow() {
    if (hasErrors) {
      throw new LatticeException(diagnostics);
    }
    return this;
  }
}
