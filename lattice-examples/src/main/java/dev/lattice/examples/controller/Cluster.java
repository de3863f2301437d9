package dev.lattice.examples.controller;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.output.Labels;
import dev.lattice.output.Manifest;
import dev.lattice.output.Resource;
import dev.lattice.output.ResourceKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A stand-in for the Kubernetes API server: objects by {@link ResourceKey}, created, replaced and
 * deleted whole. It stores copies, so what is applied cannot change behind its back, and it holds
 * objects Lattice does not manage too (a Deployment, say), which a controller must never prune.
 */
public final class Cluster {
  private final SortedMap<ResourceKey, ObjectNode> objects = new TreeMap<>();

  /** Creates or replaces the object. */
  public synchronized void apply(Resource resource) {
    objects.put(resource.key(), resource.document().deepCopy());
  }

  /** Deletes the object, if present. */
  public synchronized void delete(ResourceKey key) {
    objects.remove(key);
  }

  /** The object with {@code key}, as a copy. */
  public synchronized Optional<ObjectNode> get(ResourceKey key) {
    return Optional.ofNullable(objects.get(key)).map(ObjectNode::deepCopy);
  }

  /** Changes an object in place, as someone with kubectl might (drift a controller repairs). */
  public synchronized void edit(ResourceKey key, Consumer<ObjectNode> change) {
    ObjectNode o = objects.get(key);
    if (o == null) {
      throw new IllegalArgumentException("the cluster has no " + key);
    }
    change.accept(o);
  }

  /** Every object, sorted by key, as copies. */
  public synchronized Map<ResourceKey, ObjectNode> objects() {
    SortedMap<ResourceKey, ObjectNode> out = new TreeMap<>();
    objects.forEach((k, v) -> out.put(k, v.deepCopy()));
    return out;
  }

  /** Every object as a manifest (what a controller lists before diffing). */
  public synchronized Manifest contents() {
    List<Resource> all = new ArrayList<>();
    objects.values().forEach(o -> all.add(Resource.of(o.deepCopy())));
    return Manifest.of(all);
  }

  /** The objects labelled {@code app.kubernetes.io/managed-by: lattice}, sorted by key. */
  public synchronized Map<ResourceKey, ObjectNode> managed() {
    SortedMap<ResourceKey, ObjectNode> out = new TreeMap<>();
    objects.forEach(
        (k, v) -> {
          if (Labels.MANAGED_BY_VALUE.equals(
              v.path("metadata").path("labels").path(Labels.MANAGED_BY).asText(null))) {
            out.put(k, v.deepCopy());
          }
        });
    return out;
  }
}
