package dev.lattice.examples.operator;

import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;

/** Runs a pass on every event of a {@code LatticeMeshMember}, deletions included. */
@ControllerConfiguration(
    name = "lattice-mesh-members",
    triggerReconcilerOnAllEvents = true,
    maxReconciliationInterval =
        @MaxReconciliationInterval(interval = Constants.NO_MAX_RECONCILIATION_INTERVAL))
final class MeshMemberEvents extends SpecReconciler<LatticeMeshMemberResource> {
  MeshMemberEvents(ClusterReconciler cluster) {
    super(cluster);
  }
}
