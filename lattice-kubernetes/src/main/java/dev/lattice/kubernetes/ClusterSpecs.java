package dev.lattice.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.diagnostics.DiagnosticCode;
import dev.lattice.graph.ServiceGraph;
import dev.lattice.kubernetes.SpecKind.Served;
import dev.lattice.model.Service;
import dev.lattice.output.ResourceKey;
import dev.lattice.spec.SpecResult;
import dev.lattice.spec.Specs;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The Lattice objects of a cluster — {@code LatticeService}, {@code LatticeMeshMember}, {@code
 * LatticeJob} and {@code LatticeModel} ({@link SpecKind}) — read as specs with the same readers as
 * spec files: each object's diagnostics name it and the resourceVersion it was read at ({@code
 * LatticeService shop/api (resourceVersion 4711): shop/api.spec.workload...}). A job or a model is
 * read as the members the platform derives from it ({@code ml/etl-load}, one per task or role).
 *
 * <pre>{@code
 * ClusterSpecs specs = ClusterSpecs.read(client);
 * specs.diagnostics().forEach(System.err::println);
 * Topology topology = specs.graph().orElseThrow().resolve(settings);
 * }</pre>
 *
 * <p>A kind the cluster does not serve (its CRD is not installed) is read as having no objects:
 * {@link #unserved()} names it. A kind the client may not list is an error (the graph would miss
 * its services): never a partial graph.
 *
 * <p>All or nothing, as for files: {@link #graph()} is empty when any object has an error, so a
 * typo in one object never renders a graph without it.
 */
public final class ClusterSpecs {
  private final List<SpecObject> objects;
  private final Map<SpecKind, Served> unserved;
  private final List<Diagnostic> diagnostics;
  private final ServiceGraph graph;

  /**
   * One object read as a spec: its key, the resourceVersion and generation it was read at, the
   * origin its diagnostics and locations name, and what reading gave.
   *
   * @param key kind ({@code LatticeService}, {@code LatticeMeshMember}, {@code LatticeJob} or
   *     {@code LatticeModel}), namespace and name
   * @param resourceVersion the object's resourceVersion when read
   * @param generation the object's metadata.generation (bumped by spec changes only), 0 if unset
   * @param origin {@code LatticeService shop/api (resourceVersion 4711)}: the file name of its
   *     locations
   * @param result the diagnostics, and the graph of the services it declares unless one is an error
   */
  public record SpecObject(
      ResourceKey key, String resourceVersion, long generation, String origin, SpecResult result) {
    /**
     * The services it declares, when it read without errors: one for a {@code LatticeService} or a
     * {@code LatticeMeshMember}, one per task of a {@code LatticeJob} and per role (and worker) of
     * a {@code LatticeModel}.
     */
    public List<Service> services() {
      return result.graph().map(ServiceGraph::services).map(List::copyOf).orElse(List.of());
    }
  }

  /**
   * The Lattice objects of a cluster as listed, before reading.
   *
   * @param objects every object of every kind served, sorted by kind, namespace and name
   * @param unserved the kinds not listed, and why ({@link Served#ABSENT} or {@link
   *     Served#FORBIDDEN})
   */
  public record Listing(List<GenericKubernetesResource> objects, Map<SpecKind, Served> unserved) {
    /** A listing; copies its arguments. */
    public Listing {
      objects = List.copyOf(objects);
      unserved = copy(unserved);
    }
  }

  private static Map<SpecKind, Served> copy(Map<SpecKind, Served> m) {
    Map<SpecKind, Served> out = new EnumMap<>(SpecKind.class);
    out.putAll(m);
    return Collections.unmodifiableMap(out);
  }

  private ClusterSpecs(List<SpecObject> objects, Map<SpecKind, Served> unserved) {
    this.objects = List.copyOf(objects);
    this.unserved = copy(unserved);
    TreeSet<Diagnostic> all = new TreeSet<>();
    boolean errors = false;
    List<ServiceGraph> graphs = new ArrayList<>();
    for (SpecObject o : objects) {
      all.addAll(o.result().diagnostics());
      errors |= o.result().hasErrors();
      o.result().graph().ifPresent(graphs::add);
    }
    for (Map.Entry<SpecKind, Served> e : this.unserved.entrySet()) {
      if (e.getValue() == Served.FORBIDDEN) {
        errors = true;
        SpecKind k = e.getKey();
        all.add(
            Diagnostic.of(
                DiagnosticCode.IO_ERROR,
                CLUSTER,
                Optional.empty(),
                "may not list "
                    + k.kind()
                    + " objects (403 Forbidden), so the services they declare are unknown: grant"
                    + " the client's account get, list and watch on "
                    + k.plural()
                    + " in API group "
                    + SpecKind.GROUP));
      }
    }
    if (objects.isEmpty() && !errors) {
      errors = true;
      List<String> absent = this.unserved.keySet().stream().map(SpecKind::kind).sorted().toList();
      all.add(
          Diagnostic.of(
              DiagnosticCode.NO_SPECS,
              CLUSTER,
              Optional.empty(),
              "the cluster holds no LatticeService, LatticeMeshMember, LatticeJob or LatticeModel"
                  + (absent.isEmpty()
                      ? ""
                      : " (it serves no " + String.join(", ", absent) + ": no CRD installed)")
                  + "; create one (apiVersion: "
                  + SpecKind.GROUP
                  + "/"
                  + SpecKind.VERSION
                  + ")"));
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

  /** The path of diagnostics about the cluster rather than one object. */
  private static final String CLUSTER = "(cluster)";

  /**
   * Reads every object of every {@link SpecKind} in every namespace.
   *
   * @throws KubernetesClientException when listing fails otherwise than with 404 (the kind is not
   *     served: read as none) or 403 (an error diagnostic)
   */
  public static ClusterSpecs read(KubernetesClient client) {
    Listing listing = list(client);
    List<SpecObject> objects = new ArrayList<>();
    for (GenericKubernetesResource o : listing.objects()) {
      objects.add(read(o));
    }
    return of(objects, listing.unserved());
  }

  /**
   * Lists every object of every {@link SpecKind} in every namespace, and the kinds the cluster does
   * not serve or the client may not list.
   *
   * @throws KubernetesClientException when listing fails otherwise than with 404 or 403
   */
  public static Listing list(KubernetesClient client) {
    Objects.requireNonNull(client, "client");
    List<GenericKubernetesResource> objects = new ArrayList<>();
    Map<SpecKind, Served> unserved = new EnumMap<>(SpecKind.class);
    for (SpecKind k : SpecKind.values()) {
      try {
        List<GenericKubernetesResource> items = k.in(client).inAnyNamespace().list().getItems();
        List<GenericKubernetesResource> sorted = new ArrayList<>(items);
        sorted.sort(
            Comparator.comparing(
                    (GenericKubernetesResource o) ->
                        Optional.ofNullable(o.getMetadata().getNamespace()).orElse(""))
                .thenComparing(o -> o.getMetadata().getName()));
        objects.addAll(sorted);
      } catch (KubernetesClientException e) {
        if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
          // the CRD is not installed: the cluster holds none of the kind
          unserved.put(k, Served.ABSENT);
        } else if (e.getCode() == HttpURLConnection.HTTP_FORBIDDEN) {
          unserved.put(k, Served.FORBIDDEN);
        } else {
          throw e;
        }
      }
    }
    return new Listing(objects, unserved);
  }

  /** The specs of objects read already (from an informer's cache, say). */
  public static ClusterSpecs of(List<SpecObject> objects) {
    return of(objects, Map.of());
  }

  /**
   * The specs of objects read already, from a cluster that does not serve the kinds {@code
   * unserved} or whose client may not list them ({@link Listing#unserved()}).
   */
  public static ClusterSpecs of(List<SpecObject> objects, Map<SpecKind, Served> unserved) {
    Objects.requireNonNull(unserved, "unserved");
    List<SpecObject> sorted = new ArrayList<>(objects);
    sorted.sort(Comparator.comparing(SpecObject::key));
    return new ClusterSpecs(sorted, unserved);
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

  /**
   * The kinds that were not read: {@link Served#ABSENT} (read as none) or {@link Served#FORBIDDEN}
   * (an error).
   */
  public Map<SpecKind, Served> unserved() {
    return unserved;
  }

  /** Every diagnostic of every object, and of the cluster's listing, sorted. */
  public List<Diagnostic> diagnostics() {
    return diagnostics;
  }

  /**
   * Whether any object has an error, a kind could not be listed, or there is no object; then there
   * is no graph.
   */
  public boolean hasErrors() {
    return graph == null;
  }

  /** The graph of all objects, when none has an error; never a partial graph. */
  public Optional<ServiceGraph> graph() {
    return Optional.ofNullable(graph);
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
