package dev.lattice.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One rendered Kubernetes document, as the API server would receive it. The document is a Jackson
 * tree; treat it as read-only (renderers hand out fresh trees, and manifests share them).
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
   * metadata.namespace}.
   *
   * @throws IllegalArgumentException when one of apiVersion, kind or metadata.name is missing
   */
  public static Resource of(ObjectNode document) {
    Objects.requireNonNull(document, "document");
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

  /** The whole document. Do not modify it. */
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
    return o instanceof Resource
        && ((Resource) o).key.equals(key)
        && ((Resource) o).document.equals(document);
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
