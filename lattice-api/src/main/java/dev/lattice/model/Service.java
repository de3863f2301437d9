package dev.lattice.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * A service as declared: where it lives, how its pods are selected and identified, its ports,
 * whether it is in the mesh, and its declarations, egress and exposures.
 *
 * <p>Build one with the DSL ({@code Lattice.service("api")...}) or load it from YAML; a value holds
 * what was declared, and {@code ServiceGraph.resolve()} reports what is wrong with it.
 */
@Value.Immutable
public abstract class Service {
  /** The label the default selector uses. */
  public static final String NAME_LABEL = "app.kubernetes.io/name";

  /** The port name the Lattice platform scrapes by default. */
  public static final String METRICS_PORT = "metrics";

  Service() {}

  /** The namespace. */
  public abstract String namespace();

  /** The name. */
  public abstract String name();

  /**
   * The pods' labels that select this service; defaults to {@code app.kubernetes.io/name: <name>}.
   */
  @Value.Default
  @SuppressWarnings("immutables:untype") // set as a whole; the default stands until then
  public Map<String, String> selector() {
    return Map.of(NAME_LABEL, name());
  }

  /** The pods' Kubernetes service account, their mesh identity; defaults to the name. */
  @Value.Default
  public String serviceAccount() {
    return name();
  }

  /** The ports, in declaration order. */
  public abstract List<Port> ports();

  /** Whether the pods are in the ambient mesh; defaults to {@link MeshMode#AMBIENT}. */
  @Value.Default
  public MeshMode mesh() {
    return MeshMode.AMBIENT;
  }

  /**
   * Whether the pods are an Istio gateway proxy (an ingress gateway's Envoy, deployed by Istio for
   * a {@code Gateway} of class {@code istio}); defaults to false. Said explicitly, never guessed
   * from names or labels: a gateway needs istiod to run, and it calls a Service behind a waypoint
   * through that waypoint only when the Service carries {@code istio.io/ingress-use-waypoint}
   * (SEMANTICS R5).
   */
  @Value.Default
  public boolean isGateway() {
    return false;
  }

  /**
   * The name of the port the Lattice platform's metrics scraper reads, when it is not the port
   * named {@code metrics} (the platform's {@code observability.metrics.port}); see {@link
   * Settings#metricsScraper()}.
   */
  public abstract Optional<String> metricsPort();

  /**
   * The port the platform's metrics scraper reads: {@link #metricsPort()} when set, else the port
   * named {@code metrics}, if there is one.
   */
  public Optional<Port> scrapedPort() {
    return port(metricsPort().orElse(METRICS_PORT));
  }

  /** Whether the service's own pods may call each other on all its ports; defaults to false. */
  @Value.Default
  public boolean allowPeerTraffic() {
    return false;
  }

  /**
   * The headless Service whose per-pod records name the pods ({@code
   * <pod>.<podSubdomain>.<namespace>.svc.<cluster domain>}), by which pods that {@link
   * #allowPeerTraffic() call each other} find one another; defaults to the name (a StatefulSet
   * governed by a Service of its own name). A training {@code LatticeJob}'s pods are named under
   * the job: the platform's headless Service is the job, and its {@code MASTER_ADDR} is {@code
   * <job>-master-0.<job>}.
   */
  @Value.Default
  public String podSubdomain() {
    return name();
  }

  /** What it says about its peers. */
  public abstract List<Declaration> declarations();

  /** Traffic it sends out of the graph. */
  public abstract List<Egress> egress();

  /** Where it was declared, when loaded from YAML. */
  @Value.Auxiliary
  public abstract Optional<SourceLocation> source();

  /** The id {@code namespace/name}. */
  @Value.Derived
  @Value.Auxiliary
  public ServiceId id() {
    return ServiceId.of(namespace(), name());
  }

  /** Whether the pods are in the ambient mesh. */
  public boolean isAmbient() {
    return mesh() == MeshMode.AMBIENT;
  }

  /** The port named {@code name}, if there is one. */
  public Optional<Port> port(String name) {
    for (Port p : ports()) {
      if (p.name().equals(name)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** Starts a service. Most callers want the DSL: {@code Lattice.service("api")}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link Service}. */
  public static final class Builder extends ImmutableService.Builder {
    Builder() {}
  }

  /** {@code namespace/name}. */
  @Override
  public String toString() {
    return namespace() + "/" + name();
  }
}
