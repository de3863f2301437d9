package dev.lattice.examples.operator;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A {@code LatticeModel} (the Lattice platform's model served on Kthena, read as one member per
 * role) as the operator watches it; see {@link LatticeServiceResource}.
 */
@Group("lattice.dev")
@Version("v1alpha1")
@Kind("LatticeModel")
@Plural("latticemodels")
public final class LatticeModelResource extends CustomResource<JsonNode, JsonNode>
    implements Namespaced {
  private static final long serialVersionUID = 1L;
}
