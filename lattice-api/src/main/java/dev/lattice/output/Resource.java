package dev.lattice.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.internal.CompactNodeFactory;
import java.util.Objects;

/**
 * One rendered Kubernetes document, as the API server would receive it. Immutable: its document is
 * a read-only Jackson tree (every mutator throws {@link UnsupportedOperationException}; {@code
 * document().deepCopy()} gives a tree to change), so manifests, diffs and the previous render a
 * controller keeps can share it safely.
 */
public final class Resource implements Comparable<Resource> {
  private final ResourceKey key;
  private final String apiVersion;
  private final ObjectNode document;

  private Resource(ResourceKey key, String apiVersion, ObjectNode document) {
    this.key = key;
    this.apiVersion = apiVersion;
    this.document = document;
  }

  /**
   * Wraps a document; reads its {@code apiVersion}, {@code kind}, {@code metadata.name} and {@code
   * metadata.namespace}. A tree built with {@link CompactNodeFactory} (as the renderers build
   * theirs) is frozen in place, at the cost of one walk and no copy: the caller hands it over and
   * can no longer change it either. Any other tree is copied, so the caller's stays its own.
   *
   * @throws IllegalArgumentException when one of apiVersion, kind or metadata.name is missing
   */
  public static Resource of(ObjectNode document) {
    Objects.requireNonNull(document, "document");
    document = (ObjectNode) CompactNodeFactory.freeze(document);
    String apiVersion = text(document.get("apiVersion"), "apiVersion");
    String kind = text(document.get("kind"), "kind");
    JsonNode metadata = document.path("metadata");
    String name = text(metadata.get("name"), "metadata.name");
    String namespace = metadata.path("namespace").asText("");
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    return new Resource(ResourceKey.of(group, kind, namespace, name), apiVersion, document);
  }

  private static String text(JsonNode node, String field) {
    if (node == null || !node.isTextual() || node.asText().isEmpty()) {
      throw new IllegalArgumentException("a Kubernetes document needs " + field);
    }
    return node.asText();
  }

  /** The key: group, kind, namespace, name. */
  public ResourceKey key() {
    return key;
  }

  /** {@code group/version}, e.g. {@code cilium.io/v2}. */
  public String apiVersion() {
    return apiVersion;
  }

  /** The kind. */
  public String kind() {
    return key.kind();
  }

  /** The namespace, or {@code ""} when cluster-scoped. */
  public String namespace() {
    return key.namespace();
  }

  /** The name. */
  public String name() {
    return key.name();
  }

  /**
   * The whole document, read-only: a view of the resource's own tree, not a copy, so reading it
   * costs nothing; every mutator throws {@link UnsupportedOperationException}. Take {@code
   * deepCopy()} for a tree to change.
   */
  public ObjectNode document() {
    return document;
  }

  /** This document as YAML (one document, starting with {@code ---}). */
  public String toYaml() {
    StringBuilder sb = new StringBuilder();
    Writers.yamlDocument(document, sb);
    return sb.toString();
  }

  @Override
  public int compareTo(Resource o) {
    return key.compareTo(o.key);
  }

  @Override
  public boolean equals(Object o) {
    // identity first: an incremental render hands back the very parts it kept
    return o == this
        || (o instanceof Resource
            && ((Resource) o).key.equals(key)
            && ((Resource) o).document.equals(document));
  }

  @Override
  public int hashCode() {
    return key.hashCode();
  }

  @Override
  public String toString() {
    return key.toString();
  }
}
