package dev.lattice.examples.operator;

import dev.lattice.kubernetes.SpecKind;
import dev.lattice.kubernetes.SpecKind.Served;
import dev.lattice.model.Settings;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lattice operator: a {@link ClusterReconciler} fed by the Java Operator SDK's watches of the
 * four Lattice kinds, and a check every {@code checkEvery} that keeps those watches in line with
 * the CRDs the cluster serves and runs the passes no event asks for (the first, a retry after a
 * failed write, the periodic full sync).
 *
 * <pre>{@code
 * try (LatticeOperator operator =
 *     LatticeOperator.start(client, Settings.defaults(), Duration.ofMinutes(5), Duration.ofSeconds(30))) {
 *   ...
 * }
 * }</pre>
 *
 * <p><b>A kind whose CRD is absent.</b> The SDK (5.3.2) starts a controller's informer with a list
 * call and, by default ({@code stopOnInformerErrorDuringStartup}), refuses to start the whole
 * operator when that fails: a cluster without, say, the {@code LatticeModel} CRD would run no
 * operator at all. With that switched off it starts, but waits {@code cacheSyncTimeout} (two
 * minutes) for the failing informer and then retries it in the background forever, logging a stack
 * trace each time (the SDK's {@code InformerWrapper.start}, fabric8's {@code
 * Reflector.onException}; {@code OperatorTest} pins the refusal). So this class runs one SDK {@link
 * Operator} per kind, started only while the cluster serves the kind: an absent kind is one log
 * line, its objects are read as none, and the check that finds its CRD installed starts watching it
 * (and one that finds it gone stops). A kind the operator may not list (RBAC) is not watched
 * either, and makes every pass refuse to apply anything new until it may.
 *
 * <p>It assumes it is the only writer: run it on several replicas through {@link
 * LeaderElectedOperator}, which starts it only on the holder of a Lease.
 */
public final class LatticeOperator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LatticeOperator.class);

  private final KubernetesClient client;
  private final ClusterReconciler cluster;
  private final Duration checkEvery;
  private final ScheduledExecutorService checks;
  private final Map<SpecKind, Operator> watching = new EnumMap<>(SpecKind.class);
  private final Map<SpecKind, Served> served = new EnumMap<>(SpecKind.class);
  private boolean closed;

  private LatticeOperator(KubernetesClient client, ClusterReconciler cluster, Duration checkEvery) {
    this.client = client;
    this.cluster = cluster;
    this.checkEvery = checkEvery;
    this.checks =
        Executors.newSingleThreadScheduledExecutor(
            // not a daemon: it keeps the JVM running while no kind is watched yet
            r -> new Thread(r, "lattice-operator-checks"));
  }

  /**
   * Starts the operator on {@code client}: watches the kinds the cluster serves, runs the first
   * pass, and returns; it runs until {@link #close()}. The policies are applied whole (repairing
   * drift) at least every {@code resyncEvery}; every {@code checkEvery} it asks which kinds the
   * cluster serves, and retries a pass whose writes failed.
   */
  public static LatticeOperator start(
      KubernetesClient client, Settings settings, Duration resyncEvery, Duration checkEvery) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(checkEvery, "checkEvery");
    if (checkEvery.isNegative() || checkEvery.isZero()) {
      throw new IllegalArgumentException("checkEvery must be positive, got " + checkEvery);
    }
    LatticeOperator operator =
        new LatticeOperator(
            client, ClusterReconciler.create(client, settings, resyncEvery), checkEvery);
    // a first check that fails (the API server is unreachable, say) is retried like any other
    operator.checkLogged();
    long every = checkEvery.toMillis();
    operator.checks.scheduleWithFixedDelay(
        operator::checkLogged, every, every, TimeUnit.MILLISECONDS);
    return operator;
  }

  /** The kinds watched now: those the cluster serves and the operator may list. */
  public synchronized Set<SpecKind> watched() {
    return watching.isEmpty() ? EnumSet.noneOf(SpecKind.class) : EnumSet.copyOf(watching.keySet());
  }

  /** Stops the checks and every watch; the client stays open. */
  @Override
  public void close() {
    checks.shutdown();
    synchronized (this) {
      closed = true;
      watching.values().forEach(Operator::stop);
      watching.clear();
    }
  }

  /** A check that never ends the schedule: a scheduled task that throws is not run again. */
  private void checkLogged() {
    try {
      check();
    } catch (RuntimeException e) {
      LOG.warn("check failed, retrying in {}: {}", text(checkEvery), e.toString());
    }
  }

  private synchronized void check() {
    if (closed) {
      return;
    }
    for (SpecKind k : SpecKind.values()) {
      Served now;
      try {
        now = k.servedBy(client);
      } catch (KubernetesClientException e) {
        LOG.warn("could not ask whether the cluster serves {}: {}", k, e.getMessage());
        continue;
      }
      Served before = served.put(k, now);
      if (now != before) {
        describe(k, now, before);
      }
      if (now == Served.SERVED && !watching.containsKey(k)) {
        watch(k);
      } else if (now != Served.SERVED && watching.containsKey(k)) {
        watching.remove(k).stop();
      }
    }
    if (cluster.due()) {
      SpecReconciler.report(cluster.reconcile());
    }
  }

  private void describe(SpecKind k, Served now, Served before) {
    switch (now) {
      case ABSENT ->
          LOG.warn(
              "the cluster serves no {} (its CRD {} is not installed, or serves no {}): no {}"
                  + " objects are read; the operator starts watching them within {} of the CRD's"
                  + " installation",
              k,
              k.crdName(),
              SpecKind.VERSION,
              k,
              text(checkEvery));
      case FORBIDDEN ->
          LOG.error(
              "the operator may not list {} objects, so nothing new is applied until it may:"
                  + " grant its account get, list and watch on {} in API group {}"
                  + " (operator/rbac.yaml)",
              k,
              k.plural(),
              SpecKind.GROUP);
      case SERVED -> {
        if (before != null) {
          LOG.info("the cluster serves {} now: watching it", k);
        }
      }
    }
  }

  /** {@code 30s}, {@code 100ms}: a duration as a log line says it. */
  static String text(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }

  private void watch(SpecKind k) {
    Operator operator =
        new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false));
    register(operator, reconciler(k));
    try {
      operator.start();
      watching.put(k, operator);
    } catch (OperatorException e) {
      // the CRD went away since the check asked, say; Operator.start stopped what it started
      LOG.warn("could not start watching {}; the next check tries again: {}", k, e.toString());
    }
  }

  private static <P extends HasMetadata> void register(Operator operator, Reconciler<P> r) {
    operator.register(r);
  }

  private Reconciler<? extends HasMetadata> reconciler(SpecKind k) {
    return switch (k) {
      case LATTICE_SERVICE -> new ServiceEvents(cluster);
      case LATTICE_MESH_MEMBER -> new MeshMemberEvents(cluster);
      case LATTICE_JOB -> new JobEvents(cluster);
      case LATTICE_MODEL -> new ModelEvents(cluster);
    };
  }
}
