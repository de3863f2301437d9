package dev.lattice.examples.operator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.model.Settings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link LatticeOperator} on one of several replicas: it runs only while this replica holds a
 * {@code coordination.k8s.io} Lease, so two replicas (a rolling update, say, where the new pod
 * starts before the old one stops) never apply and prune at the same time. Two operators of
 * different versions would otherwise overwrite each other's policies on every pass.
 *
 * <pre>{@code
 * LeaderElectedOperator.start(client, Settings.defaults(), resyncEvery, checkEvery,
 *     LeaderElectedOperator.Lease.of("lattice-system", podName),
 *     () -> System.exit(1));   // lost the lease: stop, and let the pod restart
 * }</pre>
 *
 * <p>Once it holds the lease it starts the operator (its first pass applies the whole manifest with
 * pruning) on a thread of its own, so a long first pass never delays the lease's renewal. It renews
 * every {@link Lease#retryPeriod()}; when it cannot renew for {@link Lease#renewDeadline()}, or
 * finds another holder, it has lost the lease: it closes the operator and runs {@code onLost}. It
 * does not compete again: a replica that lost its lease may have missed anything, and the usual
 * answer (controller-runtime's too) is to exit and let Kubernetes restart the pod. Another replica
 * can take the lease only {@link Lease#leaseDuration()} after the last renewal, which is later than
 * the loser gives up: the renew deadline is shorter than the lease.
 *
 * <p>{@link #close()} stops the operator and gives the lease up: it clears the holder, so another
 * replica takes it at its next try rather than a lease duration later (fabric8's own release only
 * renews it, and the holder stays). {@code onLost} is not run then.
 */
public final class LeaderElectedOperator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderElectedOperator.class);

  /**
   * The Lease that elects the leader: {@code namespace/name}, held as {@code identity} (unique per
   * replica: the pod's name), and the election's timing.
   */
  public record Lease(
      String namespace,
      String name,
      String identity,
      Duration leaseDuration,
      Duration renewDeadline,
      Duration retryPeriod) {
    /** The lease's name unless said otherwise. */
    public static final String NAME = "lattice-operator";

    /**
     * @throws IllegalArgumentException when a duration is not positive, or the renew deadline is
     *     not shorter than the lease, or the retry period not shorter than the renew deadline
     */
    public Lease {
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(identity, "identity");
      if (namespace.isEmpty() || name.isEmpty() || identity.isEmpty()) {
        throw new IllegalArgumentException(
            "a lease needs a namespace, a name and an identity, got \""
                + namespace
                + "/"
                + name
                + "\" held as \""
                + identity
                + "\"");
      }
      for (Duration d : new Duration[] {leaseDuration, renewDeadline, retryPeriod}) {
        if (d == null || d.isNegative() || d.isZero()) {
          throw new IllegalArgumentException("lease durations must be positive, got " + d);
        }
      }
      if (renewDeadline.compareTo(leaseDuration) >= 0
          || retryPeriod.compareTo(renewDeadline) >= 0) {
        throw new IllegalArgumentException(
            "need retryPeriod < renewDeadline < leaseDuration, so that a leader that cannot renew"
                + " stops before another replica may take the lease; got retry "
                + LatticeOperator.text(retryPeriod)
                + ", renew deadline "
                + LatticeOperator.text(renewDeadline)
                + ", lease "
                + LatticeOperator.text(leaseDuration));
      }
    }

    /**
     * The lease {@value #NAME} in {@code namespace}, held as {@code identity}: 15 s, renewed every
     * 2 s, given up after 10 s without a renewal (Kubernetes' own controllers' timing).
     */
    public static Lease of(String namespace, String identity) {
      return new Lease(
          namespace,
          NAME,
          identity,
          Duration.ofSeconds(15),
          Duration.ofSeconds(10),
          Duration.ofSeconds(2));
    }
  }

  private final KubernetesClient client;
  private final Settings settings;
  private final Duration resyncEvery;
  private final Duration checkEvery;
  private final Lease lease;
  private final Runnable onLost;

  /** Starts and closes the operator, in order, off the election's threads. */
  private final ExecutorService lifecycle;

  private final AtomicBoolean stopping = new AtomicBoolean();
  private final AtomicBoolean leading = new AtomicBoolean();

  /** Counted down when the lease is no longer held (lost, released, or never had). */
  private final CountDownLatch done = new CountDownLatch(1);

  private volatile LatticeOperator operator;
  private volatile CompletableFuture<?> election;

  private LeaderElectedOperator(
      KubernetesClient client,
      Settings settings,
      Duration resyncEvery,
      Duration checkEvery,
      Lease lease,
      Runnable onLost) {
    this.client = client;
    this.settings = settings;
    this.resyncEvery = resyncEvery;
    this.checkEvery = checkEvery;
    this.lease = lease;
    this.onLost = onLost;
    this.lifecycle =
        Executors.newSingleThreadExecutor(
            // not a daemon, as LatticeOperator's checks: it keeps a replica that waits running
            r -> new Thread(r, "lattice-operator-leader"));
  }

  /**
   * Competes for {@code lease} on {@code client} and returns; while it holds the lease, runs {@link
   * LatticeOperator#start LatticeOperator.start(client, settings, resyncEvery, checkEvery)}. When
   * the lease is lost, closes the operator and runs {@code onLost} on a thread of its own (exit the
   * process there: shutdown hooks may {@link #close()} this).
   */
  public static LeaderElectedOperator start(
      KubernetesClient client,
      Settings settings,
      Duration resyncEvery,
      Duration checkEvery,
      Lease lease,
      Runnable onLost) {
    LeaderElectedOperator o =
        new LeaderElectedOperator(
            Objects.requireNonNull(client, "client"),
            Objects.requireNonNull(settings, "settings"),
            Objects.requireNonNull(resyncEvery, "resyncEvery"),
            Objects.requireNonNull(checkEvery, "checkEvery"),
            Objects.requireNonNull(lease, "lease"),
            Objects.requireNonNull(onLost, "onLost"));
    LOG.info(
        "waiting for the lease {}/{} as {}: the operator starts once it holds it",
        lease.namespace(),
        lease.name(),
        lease.identity());
    o.election =
        client
            .leaderElector()
            .withConfig(
                new LeaderElectionConfigBuilder()
                    .withName(lease.name())
                    .withLock(new LeaseLock(lease.namespace(), lease.name(), lease.identity()))
                    .withLeaseDuration(lease.leaseDuration())
                    .withRenewDeadline(lease.renewDeadline())
                    .withRetryPeriod(lease.retryPeriod())
                    .withReleaseOnCancel(true)
                    .withLeaderCallbacks(
                        new LeaderCallbacks(o::startedLeading, o::stoppedLeading, o::newLeader))
                    .build())
            .build()
            .start();
    return o;
  }

  /** Whether this replica holds the lease (and so runs, or is starting, the operator). */
  public boolean isLeading() {
    return leading.get();
  }

  /** The operator while this replica leads and it has started; null otherwise. */
  LatticeOperator operator() {
    return operator;
  }

  private void startedLeading() {
    if (stopping.get() || !leading.compareAndSet(false, true)) {
      return;
    }
    LOG.info("holding the lease {}/{}: starting the operator", lease.namespace(), lease.name());
    lifecycle.execute(
        () -> {
          if (!stopping.get()) {
            operator = LatticeOperator.start(client, settings, resyncEvery, checkEvery);
          }
        });
  }

  /** Called by the elector once or twice per loss (when it sees another holder, and on exit). */
  private void stoppedLeading() {
    boolean wasLeading = leading.getAndSet(false);
    boolean deliberate = !stopping.compareAndSet(false, true);
    closeOperator();
    done.countDown();
    if (wasLeading && !deliberate) {
      LOG.error(
          "lost the lease {}/{} (no renewal for {}, or another replica holds it): the operator"
              + " stopped and this replica does not compete again",
          lease.namespace(),
          lease.name(),
          LatticeOperator.text(lease.renewDeadline()));
      // on a thread of its own: the elector calls this holding its lock, and an onLost that exits
      // runs shutdown hooks that close this object, which needs that lock
      Thread t = new Thread(onLost, "lattice-operator-lost");
      t.setDaemon(false);
      t.start();
    }
  }

  private void newLeader(String identity) {
    if (identity != null && !identity.equals(lease.identity())) {
      LOG.info("the lease {}/{} is held by {}", lease.namespace(), lease.name(), identity);
    }
  }

  /** Closes the operator after any start still queued: the order of the lifecycle thread. */
  private void closeOperator() {
    try {
      lifecycle.execute(
          () -> {
            LatticeOperator o = operator;
            operator = null;
            if (o != null) {
              o.close();
            }
          });
    } catch (RejectedExecutionException e) {
      // closed already: the last task closed the operator
    }
  }

  /**
   * Stops competing, gives the lease up when it holds it, and stops the operator; waits up to the
   * renew deadline for both. The client stays open.
   */
  @Override
  public void close() {
    boolean first = stopping.compareAndSet(false, true);
    CompletableFuture<?> e = election;
    if (e != null) {
      e.cancel(true);
    }
    if (first && leading.get()) {
      try {
        // cancelling ends the elector's renewals; it then calls stoppedLeading (on this thread or
        // on its own)
        done.await(lease.renewDeadline().toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
      }
    }
    boolean held = leading.getAndSet(false) || done.getCount() == 0;
    closeOperator();
    lifecycle.shutdown();
    try {
      if (!lifecycle.awaitTermination(lease.renewDeadline().toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn(
            "the operator did not stop within {}", LatticeOperator.text(lease.renewDeadline()));
      }
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    }
    if (first && held) {
      release();
    }
  }

  /**
   * Clears the holder of the lease while it is still this replica's (the patch carries the
   * resourceVersion it read: a lease taken meanwhile is left alone), so the next candidate need not
   * wait for it to expire. Only after the operator stopped and the elector stopped renewing.
   */
  private void release() {
    try {
      var object = object(client, lease.namespace(), lease.name());
      var now = object.get();
      if (now == null
          || now.getSpec() == null
          || !lease.identity().equals(now.getSpec().getHolderIdentity())) {
        return;
      }
      // a JSON merge patch removes what it sets to null
      ObjectNode patch = JSON.createObjectNode();
      patch.putObject("metadata").put("resourceVersion", now.getMetadata().getResourceVersion());
      patch.putObject("spec").putNull("holderIdentity");
      object.patch(PatchContext.of(PatchType.JSON_MERGE), JSON.writeValueAsString(patch));
      LOG.info("gave the lease {}/{} up", lease.namespace(), lease.name());
    } catch (KubernetesClientException | JsonProcessingException e) {
      // the lease expires anyway, a lease duration after the last renewal
      LOG.warn(
          "could not give the lease {}/{} up; another replica takes it once it expires: {}",
          lease.namespace(),
          lease.name(),
          e.getMessage());
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The Lease object {@code namespace/name} on {@code client}. */
  static Resource<io.fabric8.kubernetes.api.model.coordination.v1.Lease> object(
      KubernetesClient client, String namespace, String name) {
    return client
        .resources(io.fabric8.kubernetes.api.model.coordination.v1.Lease.class)
        .inNamespace(namespace)
        .withName(name);
  }
}
