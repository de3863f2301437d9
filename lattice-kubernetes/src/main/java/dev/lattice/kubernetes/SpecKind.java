package dev.lattice.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.net.HttpURLConnection;
import java.util.Objects;
import java.util.Optional;

/**
 * A kind of Lattice custom resource read as a spec, with the group, version and plural the Lattice
 * platform's CRDs define ({@code lattice.dev/v1alpha1}, {@code crates/lattice-crd/src/crd/} there:
 * {@code service.rs}, {@code mesh_member.rs}, {@code job.rs}, {@code model_serving.rs}), so that
 * specs written for the platform are read where the platform installed them.
 *
 * <pre>{@code
 * if (SpecKind.LATTICE_MODEL.servedBy(client) == SpecKind.Served.ABSENT) {
 *   System.err.println("install " + SpecKind.LATTICE_MODEL.crdName());
 * }
 * }</pre>
 */
public enum SpecKind {
  /** {@code LatticeService}: a service the platform deploys. */
  LATTICE_SERVICE("LatticeService", "latticeservices"),
  /** {@code LatticeMeshMember}: a workload the platform does not deploy (a gateway, a scraper). */
  LATTICE_MESH_MEMBER("LatticeMeshMember", "latticemeshmembers"),
  /** {@code LatticeJob}: a batch job on Volcano, one member per task. */
  LATTICE_JOB("LatticeJob", "latticejobs"),
  /** {@code LatticeModel}: model serving on Kthena, one member per role. */
  LATTICE_MODEL("LatticeModel", "latticemodels");

  /** The API group of every Lattice kind. */
  public static final String GROUP = "lattice.dev";

  /** The version Lattice reads. */
  public static final String VERSION = "v1alpha1";

  private final String kind;
  private final String plural;

  SpecKind(String kind, String plural) {
    this.kind = kind;
    this.plural = plural;
  }

  /** Whether a cluster serves a kind, as a list call of it answers. */
  public enum Served {
    /** The kind is served. */
    SERVED,
    /** The kind is not served (404): its CRD is not installed, or serves no {@code v1alpha1}. */
    ABSENT,
    /** The client may not list the kind (403): RBAC grants it no {@code list}. */
    FORBIDDEN
  }

  /** The kind's name, {@code LatticeJob}. */
  public String kind() {
    return kind;
  }

  /** The kind's plural, the resource name in URLs and RBAC rules: {@code latticejobs}. */
  public String plural() {
    return plural;
  }

  /** The name of the kind's CRD: {@code latticejobs.lattice.dev}. */
  public String crdName() {
    return plural + "." + GROUP;
  }

  /** {@code lattice.dev/v1alpha1}. */
  public String apiVersion() {
    return GROUP + "/" + VERSION;
  }

  /** The kind named {@code kind} ({@code LatticeJob}), if it is one. */
  public static Optional<SpecKind> of(String kind) {
    for (SpecKind k : values()) {
      if (k.kind.equals(kind)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  /** The client's description of the kind. */
  public ResourceDefinitionContext context() {
    return new ResourceDefinitionContext.Builder()
        .withGroup(GROUP)
        .withVersion(VERSION)
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(true)
        .build();
  }

  /** Operations on objects of this kind. */
  public MixedOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      in(KubernetesClient client) {
    return Objects.requireNonNull(client, "client").genericKubernetesResources(context());
  }

  /**
   * Whether {@code client}'s cluster serves the kind, by listing at most one object of it in every
   * namespace.
   *
   * @throws KubernetesClientException for any other failure than 404 and 403 (the API server is
   *     unreachable, say)
   */
  public Served servedBy(KubernetesClient client) {
    try {
      in(client).inAnyNamespace().list(new ListOptionsBuilder().withLimit(1L).build());
      return Served.SERVED;
    } catch (KubernetesClientException e) {
      return switch (e.getCode()) {
        case HttpURLConnection.HTTP_NOT_FOUND -> Served.ABSENT;
        case HttpURLConnection.HTTP_FORBIDDEN -> Served.FORBIDDEN;
        default -> throw e;
      };
    }
  }

  @Override
  public String toString() {
    return kind;
  }
}
