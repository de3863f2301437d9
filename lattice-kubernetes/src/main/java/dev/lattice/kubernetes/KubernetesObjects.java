package dev.lattice.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.output.Manifest;
import dev.lattice.output.Resource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Rendered resources as fabric8 objects, for callers that apply them with their own client code.
 *
 * <pre>{@code
 * for (GenericKubernetesResource o : KubernetesObjects.of(cilium.render(topology))) {
 *   client.resource(o).fieldManager("lattice").serverSideApply();
 * }
 * }</pre>
 */
public final class KubernetesObjects {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private KubernetesObjects() {}

  /** Every resource of {@code manifest}, in its order (kind, namespace, name). */
  public static List<GenericKubernetesResource> of(Manifest manifest) {
    Objects.requireNonNull(manifest, "manifest");
    List<GenericKubernetesResource> out = new ArrayList<>(manifest.resources().size());
    for (Resource r : manifest.resources()) {
      out.add(of(r));
    }
    return out;
  }

  /** {@code resource} as a fabric8 object; a copy, so changing it leaves the manifest alone. */
  public static GenericKubernetesResource of(Resource resource) {
    Objects.requireNonNull(resource, "resource");
    return SERIALIZATION.convertValue(resource.document(), GenericKubernetesResource.class);
  }

  /** A fabric8 object as a Jackson tree (what the spec readers and comparisons take). */
  static ObjectNode tree(GenericKubernetesResource object) {
    JsonNode tree = SERIALIZATION.convertValue(object, JsonNode.class);
    return (ObjectNode) tree;
  }
}
