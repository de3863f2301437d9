package dev.lattice.examples.operator;

import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import java.util.concurrent.TimeUnit;

/** Runs a pass on every event of a {@code LatticeMeshMember}, deletions included. */
@ControllerConfiguration(
    name = "lattice-mesh-members",
    triggerReconcilerOnAllEvents = true,
    maxReconciliationInterval =
        @MaxReconciliationInterval(interval = 5, timeUnit = TimeUnit.MINUTES))
final class MeshMemberEvents extends SpecReconciler<LatticeMeshMemberResource> {
  MeshMemberEvents(ClusterReconciler cluster) {
    super(cluster);
  }
}
