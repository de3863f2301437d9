package dev.lattice.examples.operator;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A {@code LatticeService} as the operator watches it. The spec stays a JSON tree: Lattice's spec
 * readers check it (and name every problem on the object's status), not a Java binding that would
 * drop a misspelt field silently.
 */
@Group("lattice.dev")
@Version("v1alpha1")
@Kind("LatticeService")
@Plural("latticeservices")
public final class LatticeServiceResource extends CustomResource<JsonNode, JsonNode>
    implements Namespaced {
  private static final long serialVersionUID = 1L;
}
