package dev.lattice.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.diagnostics.DiagnosticCode;
import dev.lattice.graph.ServiceGraph;
import dev.lattice.model.Service;
import dev.lattice.output.ResourceKey;
import dev.lattice.spec.SpecResult;
import dev.lattice.spec.Specs;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The {@code LatticeService} and {@code LatticeMeshMember} objects of a cluster, read as specs with
 * the same readers as spec files: each object's diagnostics name it and the resourceVersion it was
 * read at ({@code LatticeService shop/api (resourceVersion 4711): shop/api.spec.workload...}).
 *
 * <pre>{@code
 * ClusterSpecs specs = ClusterSpecs.read(client);
 * specs.diagnostics().forEach(System.err::println);
 * Topology topology = specs.graph().orElseThrow().resolve(settings);
 * }</pre>
 *
 * <p>All or nothing, as for files: {@link #graph()} is empty when any object has an error, so a
 * typo in one object never renders a graph without it.
 */
public final class ClusterSpecs {
  private final List<SpecObject> objects;
  private final List<Diagnostic> diagnostics;
  private final ServiceGraph graph;

  /**
   * One object read as a spec: its key, the resourceVersion and generation it was read at, the
   * origin its diagnostics and locations name, and what reading gave.
   *
   * @param key kind ({@code LatticeService} or {@code LatticeMeshMember}), namespace and name
   * @param resourceVersion the object's resourceVersion when read
   * @param generation the object's metadata.generation (bumped by spec changes only), 0 if unset
   * @param origin {@code LatticeService shop/api (resourceVersion 4711)}: the file name of its
   *     locations
   * @param result the diagnostics, and the one-service graph unless one is an error
   */
  public record SpecObject(
      ResourceKey key, String resourceVersion, long generation, String origin, SpecResult result) {
    /** The service it declares, when it read without errors. */
    public Optional<Service> service() {
      return result.graph().flatMap(g -> g.services().stream().findFirst());
    }
  }

  private ClusterSpecs(List<SpecObject> objects) {
    this.objects = List.copyOf(objects);
    TreeSet<Diagnostic> all = new TreeSet<>();
    boolean errors = false;
    List<ServiceGraph> graphs = new ArrayList<>();
    for (SpecObject o : objects) {
      all.addAll(o.result().diagnostics());
      errors |= o.result().hasErrors();
      o.result().graph().ifPresent(graphs::add);
    }
    if (objects.isEmpty()) {
      errors = true;
      all.add(
          Diagnostic.of(
              DiagnosticCode.NO_SPECS,
              "(cluster)",
              Optional.empty(),
              "the cluster holds no LatticeService or LatticeMeshMember; create one (apiVersion:"
                  + " lattice.dev/v1alpha1)"));
    }
    this.diagnostics = List.copyOf(all);
    ServiceGraph merged = null;
    if (!errors) {
      merged = ServiceGraph.of(List.of());
      for (ServiceGraph g : graphs) {
        merged = merged.merge(g);
      }
    }
    this.graph = merged;
  }

  /** Reads every {@code LatticeService} and {@code LatticeMeshMember} in every namespace. */
  public static ClusterSpecs read(KubernetesClient client) {
    Objects.requireNonNull(client, "client");
    List<SpecObject> objects = new ArrayList<>();
    for (Kind k : List.of(Kind.LATTICE_SERVICE, Kind.LATTICE_MESH_MEMBER)) {
      for (GenericKubernetesResource o : list(client, k)) {
        objects.add(read(o));
      }
    }
    return of(objects);
  }

  /** The specs of objects read already (from an informer's cache, say). */
  public static ClusterSpecs of(List<SpecObject> objects) {
    List<SpecObject> sorted = new ArrayList<>(objects);
    sorted.sort(Comparator.comparing(SpecObject::key));
    return new ClusterSpecs(sorted);
  }

  /**
   * Reads one object as a spec. Its {@code status} and metadata other than name and namespace are
   * not read (the readers ignore fields outside the network parts anyway).
   */
  public static SpecObject read(GenericKubernetesResource object) {
    Objects.requireNonNull(object, "object");
    ObjectNode tree = KubernetesObjects.tree(object);
    JsonNode metadata = tree.path("metadata");
    String namespace = metadata.path("namespace").asText("");
    String name = metadata.path("name").asText("");
    String kind = tree.path("kind").asText("");
    String resourceVersion = metadata.path("resourceVersion").asText("");
    String group = tree.path("apiVersion").asText("");
    group = group.contains("/") ? group.substring(0, group.indexOf('/')) : "";
    String origin =
        kind
            + " "
            + (namespace.isEmpty() ? "" : namespace + "/")
            + name
            + " (resourceVersion "
            + (resourceVersion.isEmpty() ? "unknown" : resourceVersion)
            + ")";
    return new SpecObject(
        ResourceKey.of(group, kind, namespace, name),
        resourceVersion,
        metadata.path("generation").asLong(0),
        origin,
        Specs.read(origin, tree));
  }

  /** Every object read, sorted by kind, namespace and name. */
  public List<SpecObject> objects() {
    return objects;
  }

  /** Every diagnostic of every object, sorted. */
  public List<Diagnostic> diagnostics() {
    return diagnostics;
  }

  /** Whether any object has an error (or there is none); then there is no graph. */
  public boolean hasErrors() {
    return graph == null;
  }

  /** The graph of all objects, when none has an error; never a partial graph. */
  public Optional<ServiceGraph> graph() {
    return Optional.ofNullable(graph);
  }

  private static List<GenericKubernetesResource> list(KubernetesClient client, Kind kind) {
    try {
      return kind.in(client).inAnyNamespace().list().getItems();
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        // the CRD is not installed: the cluster holds none of the kind
        return List.of();
      }
      throw e;
    }
  }

  @Override
  public String toString() {
    long errors = diagnostics.stream().filter(Diagnostic::isError).count();
    return objects.size()
        + " objects, "
        + diagnostics.size()
        + " diagnostics ("
        + errors
        + " errors)";
  }
}
