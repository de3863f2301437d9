package dev.lattice.examples.operator;

import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;

/** Runs a pass on every event of a {@code LatticeModel}, deletions included. */
@ControllerConfiguration(
    name = "lattice-models",
    triggerReconcilerOnAllEvents = true,
    maxReconciliationInterval =
        @MaxReconciliationInterval(interval = Constants.NO_MAX_RECONCILIATION_INTERVAL))
final class ModelEvents extends SpecReconciler<LatticeModelResource> {
  ModelEvents(ClusterReconciler cluster) {
    super(cluster);
  }
}
