package dev.lattice.graph;

import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.diagnostics.DiagnosticCode;
import dev.lattice.dsl.ServiceBuilder;
import dev.lattice.internal.Names;
import dev.lattice.model.Service;
import dev.lattice.model.Settings;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The declared services, as written in Java or loaded from YAML, before anything is checked. {@link
 * #resolve()} checks the graph as a whole and finds its agreements.
 *
 * <pre>{@code
 * import static dev.lattice.dsl.Lattice.service;
 *
 * ServiceGraph shop = ServiceGraph.builder().namespace("shop")
 *     .add(service("web").port("http", 8080).dependsOn("api").outbound())
 *     .add(service("api").port("http", 80, 8080).dependsOn("web").inbound())
 *     .build();
 * Topology topology = shop.resolve().orThrow();
 * }</pre>
 */
public final class ServiceGraph {
  private final List<Service> services;
  private final List<Diagnostic> diagnostics;

  private ServiceGraph(List<Service> services, List<Diagnostic> diagnostics) {
    this.services = List.copyOf(services);
    this.diagnostics = List.copyOf(diagnostics);
  }

  /** A graph of {@code services}. */
  public static ServiceGraph of(Collection<Service> services) {
    return new ServiceGraph(new ArrayList<>(services), List.of());
  }

  /**
   * A graph of {@code services} that carries the diagnostics found while loading it (skipped
   * documents, notes); {@link #resolve()} reports them with its own.
   */
  public static ServiceGraph of(Collection<Service> services, Collection<Diagnostic> diagnostics) {
    return new ServiceGraph(new ArrayList<>(services), new ArrayList<>(diagnostics));
  }

  /** Starts a graph. */
  public static Builder builder() {
    return new Builder();
  }

  /** The services, as declared (duplicates included; resolution reports them). */
  public List<Service> services() {
    return services;
  }

  /** Diagnostics found while loading the graph (none for a graph built in Java). */
  public List<Diagnostic> diagnostics() {
    return diagnostics;
  }

  /** This graph and {@code other} together. */
  public ServiceGraph merge(ServiceGraph other) {
    List<Service> s = new ArrayList<>(services);
    s.addAll(other.services);
    List<Diagnostic> d = new ArrayList<>(diagnostics);
    d.addAll(other.diagnostics);
    return new ServiceGraph(s, d);
  }

  /** Resolves with {@link Settings#defaults()}. */
  public Topology resolve() {
    return resolve(Settings.defaults());
  }

  /**
   * Checks the graph as a whole and finds its agreements. Never throws for a problem in the graph:
   * every problem is a diagnostic of the topology. Time is linear in services plus declarations,
   * wildcards included.
   */
  public Topology resolve(Settings settings) {
    Objects.requireNonNull(settings, "settings");
    List<String> problems = settings.problems();
    if (problems.isEmpty()) {
      return Resolver.resolve(this, settings);
    }
    List<Diagnostic> withSettings = new ArrayList<>(diagnostics);
    for (String p : problems) {
      withSettings.add(
          Diagnostic.of(
              DiagnosticCode.INVALID_SETTINGS, "settings", java.util.Optional.empty(), p));
    }
    return Resolver.resolve(new ServiceGraph(services, withSettings), settings);
  }

  /** Every diagnostic of loading and resolving with default settings: the door for tools. */
  public List<Diagnostic> validate() {
    return resolve().diagnostics();
  }

  /** Builds a {@link ServiceGraph}. */
  public static final class Builder {
    private final List<Service> services = new ArrayList<>();
    private String namespace = "default";

    private Builder() {}

    /**
     * The namespace for services added after this call that name none themselves; {@code default}
     * until set.
     */
    public Builder namespace(String namespace) {
      String problem = Names.dnsLabel("namespace", namespace);
      if (problem != null) {
        throw new IllegalArgumentException(problem);
      }
      this.namespace = namespace;
      return this;
    }

    /**
     * Adds the service being built by {@code service}, in the current namespace unless it names
     * one.
     */
    public Builder add(ServiceBuilder service) {
      services.add(service.build(namespace));
      return this;
    }

    /** Adds {@code service} as it is. */
    public Builder add(Service service) {
      services.add(Objects.requireNonNull(service, "service"));
      return this;
    }

    /** Adds every service of {@code graph}. */
    public Builder addAll(ServiceGraph graph) {
      services.addAll(graph.services());
      return this;
    }

    /** The graph. */
    public ServiceGraph build() {
      return new ServiceGraph(services, List.of());
    }
  }
}
