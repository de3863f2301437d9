package dev.lattice.examples.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lattice.kubernetes.SpecKind;
import dev.lattice.kubernetes.mock.MockCluster;
import dev.lattice.model.Settings;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Leader election against fabric8's mock API server (CRUD mode, where a Lease is an object like any
 * other): of two replicas one runs the operator and the other waits; closing the leader gives the
 * lease up and the other takes over; a leader that finds another holder stops and says so. Leases
 * are renewed every 100 ms and no test waits for one to expire, so they can be long (5 s, given up
 * after 3 s without a renewal): a stalled test JVM does not let the other replica in. The tests
 * wait for states, not timers.
 */
class LeaderElectedOperatorTest {
  private static final String NAMESPACE = "lattice-system";
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private MockCluster cluster;
  private KubernetesClient client;
  private final List<LeaderElectedOperator> replicas = new ArrayList<>();

  @BeforeEach
  void start() {
    cluster = MockCluster.start();
    client = cluster.client();
    for (SpecKind k : SpecKind.values()) {
      client.resource(Shop.crd(k)).create();
    }
    Shop.ALL.forEach(s -> Shop.create(client, s));
  }

  @AfterEach
  void stop() {
    replicas.forEach(LeaderElectedOperator::close);
    cluster.close();
  }

  private LeaderElectedOperator replica(String identity, Runnable onLost) {
    LeaderElectedOperator r =
        LeaderElectedOperator.start(
            client,
            Settings.defaults(),
            Duration.ofHours(1),
            Duration.ofMillis(100),
            new LeaderElectedOperator.Lease(
                NAMESPACE,
                LeaderElectedOperator.Lease.NAME,
                identity,
                Duration.ofSeconds(5),
                Duration.ofSeconds(3),
                Duration.ofMillis(100)),
            onLost);
    replicas.add(r);
    return r;
  }

  /** The Lease object in the cluster, or null. */
  private Lease lease() {
    return LeaderElectedOperator.object(client, NAMESPACE, LeaderElectedOperator.Lease.NAME).get();
  }

  private String holder() {
    Lease l = lease();
    return l == null ? null : l.getSpec().getHolderIdentity();
  }

  /** Makes "intruder" the lease's holder for an hour; false when a renewal came in between. */
  private boolean takeTheLease() {
    Lease l = lease();
    l.getSpec().setHolderIdentity("intruder");
    l.getSpec().setRenewTime(ZonedDateTime.now());
    l.getSpec().setLeaseDurationSeconds(3600);
    try {
      client.resource(l).update(); // with the resourceVersion read: a conflict if it moved
      return true;
    } catch (KubernetesClientException e) {
      assertThat(e.getCode()).as(e.getMessage()).isEqualTo(409);
      return false;
    }
  }

  /** Whether the operator applied the render: the cluster-wide default deny is there. */
  private boolean applied() {
    return client
            .genericKubernetesResources("cilium.io/v2", "CiliumClusterwideNetworkPolicy")
            .withName("lattice-default-deny")
            .get()
        != null;
  }

  @Test
  void oneReplicaRunsAndTheOtherTakesOverWhenItCloses() {
    AtomicInteger lost = new AtomicInteger();
    LeaderElectedOperator a = replica("a", lost::incrementAndGet);
    LeaderElectedOperator b = replica("b", lost::incrementAndGet);
    awaitNeverBoth(a, b, () -> a.isLeading() || b.isLeading(), "a leader");
    LeaderElectedOperator leader = a.isLeading() ? a : b;
    LeaderElectedOperator other = leader == a ? b : a;
    String leaderId = leader == a ? "a" : "b";
    awaitNeverBoth(a, b, () -> leader.operator() != null && applied(), "the leader's first pass");
    assertThat(holder()).isEqualTo(leaderId);
    assertThat(other.isLeading()).isFalse();
    assertThat(other.operator()).isNull();

    leader.close();
    assertThat(leader.isLeading()).isFalse();
    assertThat(leader.operator()).isNull();
    // given up before close returned: no holder, or the other replica already
    assertThat(holder()).isNotEqualTo(leaderId);
    // released, not left to expire: the other holds it at its next try
    await(() -> other.isLeading() && other.operator() != null, "the other replica to take over");
    assertThat(holder()).isEqualTo(leaderId.equals("a") ? "b" : "a");
    assertThat(lost).as("a closed replica did not lose its lease").hasValue(0);
  }

  @Test
  void aLeaderThatFindsAnotherHolderStopsTheOperatorAndSaysSo() {
    AtomicInteger lost = new AtomicInteger();
    // as OperatorMain's exit does through its shutdown hook, onLost closes the replica: that must
    // not wait for the elector's lock, which the elector holds while it reports the loss
    AtomicReference<LeaderElectedOperator> self = new AtomicReference<>();
    LeaderElectedOperator a =
        replica(
            "a",
            () -> {
              // System.exit runs the hooks on threads of their own and waits for them
              Thread hook = new Thread(() -> self.get().close());
              hook.start();
              try {
                hook.join();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              lost.incrementAndGet();
            });
    self.set(a);
    await(() -> a.isLeading() && a.operator() != null, "a to lead");
    LatticeOperator running = a.operator();

    // another replica took the lease (a partition healed, say): a must not write any more
    await(this::takeTheLease, "the lease to be taken (a renews it meanwhile: a conflict, retried)");
    await(() -> lost.get() == 1, "a to notice the lost lease");
    assertThat(a.isLeading()).isFalse();
    await(() -> a.operator() == null, "a's operator to stop");
    assertThat(running.watched()).as("the stopped operator watches nothing").isEmpty();
    assertThat(holder()).isEqualTo("intruder");
    // it does not compete again, and says so once
    sleep(500);
    assertThat(a.isLeading()).isFalse();
    assertThat(lost).hasValue(1);
  }

  @Test
  void aLeaseMustLetALeaderStopBeforeAnotherMayTakeIt() {
    assertThatThrownBy(
            () ->
                new LeaderElectedOperator.Lease(
                    NAMESPACE,
                    "x",
                    "a",
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("retryPeriod < renewDeadline < leaseDuration")
        .hasMessageContaining("renew deadline 10s, lease 10s");
    assertThatThrownBy(
            () ->
                new LeaderElectedOperator.Lease(
                    NAMESPACE, "x", "", Duration.ofSeconds(15), Duration.ofSeconds(10), null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(LeaderElectedOperator.Lease.of(NAMESPACE, "pod-1").renewDeadline())
        .isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void aMissingNamespaceIsReportedWithItsFixBeforeTheElection() {
    assertThat(OperatorMain.leaseProblem(client, "nowhere"))
        .hasValueSatisfying(
            p ->
                assertThat(p)
                    .contains("the namespace nowhere of the leader election's Lease does not exist")
                    .contains("LATTICE_OPERATOR_NAMESPACE"));
    client
        .namespaces()
        .resource(
            new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata()
                .withName(NAMESPACE)
                .endMetadata()
                .build())
        .create();
    assertThat(OperatorMain.leaseProblem(client, NAMESPACE)).isEmpty();
  }

  @Test
  void leasesTheAccountMayNotReadAreReportedWithTheRoleThatGrantsThem() {
    // RBAC as a real API server applies it: the account may read neither namespaces nor the lease
    KubernetesMockServer server = new KubernetesMockServer(false);
    server.init();
    try (KubernetesClient c = server.createClient()) {
      Status forbidden =
          new StatusBuilder().withCode(403).withReason("Forbidden").withMessage("no").build();
      server
          .expect()
          .get()
          .withPath("/api/v1/namespaces/" + NAMESPACE)
          .andReturn(403, forbidden)
          .always();
      server
          .expect()
          .get()
          .withPath(
              "/apis/coordination.k8s.io/v1/namespaces/"
                  + NAMESPACE
                  + "/leases/"
                  + LeaderElectedOperator.Lease.NAME)
          .andReturn(403, forbidden)
          .always();
      assertThat(OperatorMain.leaseProblem(c, NAMESPACE))
          .hasValueSatisfying(
              p ->
                  assertThat(p)
                      .contains("may not read the Lease lattice-system/lattice-operator")
                      .contains("lattice-operator-leader"));
    } finally {
      server.destroy();
    }
  }

  /** Waits for {@code done}, checking all along that the two never lead at once. */
  private static void awaitNeverBoth(
      LeaderElectedOperator a, LeaderElectedOperator b, BooleanSupplier done, String what) {
    await(
        () -> {
          assertThat(a.isLeading() && b.isLeading()).as("both replicas lead").isFalse();
          assertThat(a.operator() != null && b.operator() != null)
              .as("both replicas run the operator")
              .isFalse();
          return done.getAsBoolean();
        },
        what);
  }

  private static void await(BooleanSupplier done, String what) {
    await(done, () -> what);
  }

  private static void await(BooleanSupplier done, Supplier<String> what) {
    long end = System.nanoTime() + PATIENCE.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("waited " + PATIENCE + " for " + what.get());
      }
      sleep(20);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
