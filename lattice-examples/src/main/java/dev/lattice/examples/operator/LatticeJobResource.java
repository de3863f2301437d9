package dev.lattice.examples.operator;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A {@code LatticeJob} (the Lattice platform's batch job on Volcano, read as one member per task)
 * as the operator watches it; see {@link LatticeServiceResource}.
 */
@Group("lattice.dev")
@Version("v1alpha1")
@Kind("LatticeJob")
@Plural("latticejobs")
public final class LatticeJobResource extends CustomResource<JsonNode, JsonNode>
    implements Namespaced {
  private static final long serialVersionUID = 1L;
}
