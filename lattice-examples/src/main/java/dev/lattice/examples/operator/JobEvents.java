package dev.lattice.examples.operator;

import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;

/** Runs a pass on every event of a {@code LatticeJob}, deletions included. */
@ControllerConfiguration(
    name = "lattice-jobs",
    triggerReconcilerOnAllEvents = true,
    maxReconciliationInterval =
        @MaxReconciliationInterval(interval = Constants.NO_MAX_RECONCILIATION_INTERVAL))
final class JobEvents extends SpecReconciler<LatticeJobResource> {
  JobEvents(ClusterReconciler cluster) {
    super(cluster);
  }
}
