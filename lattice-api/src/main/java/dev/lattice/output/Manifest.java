package dev.lattice.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A rendered set of resources, sorted by kind, namespace and name, with the labels Lattice needs
 * on objects it does not own. Written as YAML or JSON, it is byte-identical for the same input.
 *
 * <pre>{@code
 * Manifest m = cilium.plus(istio);
 * System.out.print(m.toYaml());
 * m.requiredLabels().forEach(l -> System.err.println(l.kubectl()));
 * }</pre>
 */
public final class Manifest {
  private final List<Resource> resources;
  private final List<RequiredLabel> requiredLabels;
  private volatile Map<ResourceKey, Resource> index;

  private Manifest(List<Resource> resources, List<RequiredLabel> requiredLabels) {
    this.resources = resources;
    this.requiredLabels = requiredLabels;
  }

  /**
   * A manifest of {@code resources} (sorted here) and {@code requiredLabels}.
   *
   * @throws IllegalArgumentException when two resources share a key
   */
  public static Manifest of(
      Collection<Resource> resources, Collection<RequiredLabel> requiredLabels) {
    List<Resource> sorted = new ArrayList<>(resources);
    sorted.sort(null);
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).key().equals(sorted.get(i - 1).key())) {
        throw new IllegalArgumentException("two resources are both " + sorted.get(i).key());
      }
    }
    return new Manifest(List.copyOf(sorted), List.copyOf(new TreeSet<>(requiredLabels)));
  }

  /** A manifest of {@code resources} that needs no labels. */
  public static Manifest of(Collection<Resource> resources) {
    return of(resources, List.of());
  }

  /** The resources, sorted by kind, namespace, name (then API group). */
  public List<Resource> resources() {
    return resources;
  }

  /** Labels needed on objects Lattice does not own, sorted. */
  public List<RequiredLabel> requiredLabels() {
    return requiredLabels;
  }

  /** The resource with {@code key}, if present. */
  public Optional<Resource> get(ResourceKey key) {
    Map<ResourceKey, Resource> i = index;
    if (i == null) {
      i = new HashMap<>();
      for (Resource r : resources) {
        i.put(r.key(), r);
      }
      index = i;
    }
    return Optional.ofNullable(i.get(key));
  }

  /**
   * This manifest and {@code other} together (e.g. the Cilium and the Istio layer).
   *
   * @throws IllegalArgumentException when both hold a resource with the same key
   */
  public Manifest plus(Manifest other) {
    List<Resource> r = new ArrayList<>(resources);
    r.addAll(other.resources);
    List<RequiredLabel> l = new ArrayList<>(requiredLabels);
    l.addAll(other.requiredLabels);
    return of(r, l);
  }

  /** The upserts and deletes that turn {@code previous} into this manifest. */
  public ManifestDiff diffFrom(Manifest previous) {
    return ManifestDiff.between(previous, this);
  }

  /** A multi-document YAML stream: each resource starts with {@code ---}. */
  public String toYaml() {
    StringBuilder sb = new StringBuilder(resources.size() * 1024);
    writeYaml(sb);
    return sb.toString();
  }

  /** Writes the YAML stream of {@link #toYaml()} to {@code out}. */
  public void writeYaml(Appendable out) {
    Writers.yamlStream(resources, out);
  }

  /** Writes the YAML stream to {@code out}, without flushing or closing it. */
  public void writeYaml(Writer out) {
    writeYaml((Appendable) out);
  }

  /** A Kubernetes {@code List} of the resources as JSON, keys sorted, ending with a newline. */
  public String toJson() {
    StringBuilder sb = new StringBuilder(resources.size() * 1024);
    writeJson(sb);
    return sb.toString();
  }

  /** Writes the JSON of {@link #toJson()} to {@code out}. */
  public void writeJson(Appendable out) {
    try {
      out.append("{\n  \"apiVersion\": \"v1\",\n  \"items\": [");
      boolean first = true;
      for (Resource r : resources) {
        out.append(first ? "\n    " : ",\n    ");
        first = false;
        Writers.json(r.document(), 2, out);
      }
      out.append(first ? "],\n" : "\n  ],\n");
      out.append("  \"kind\": \"List\"\n}\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One resource's document as canonical JSON (keys sorted, two-space indentation). */
  public static String toJson(JsonNode document) {
    StringBuilder sb = new StringBuilder();
    Writers.json(document, 0, sb);
    return sb.append('\n').toString();
  }

  @Override
  public String toString() {
    return "Manifest(" + resources.size() + " resources)";
  }
}
