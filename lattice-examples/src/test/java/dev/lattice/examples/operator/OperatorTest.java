package dev.lattice.examples.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.kubernetes.SpecKind;
import dev.lattice.kubernetes.mock.MockCluster;
import dev.lattice.model.Settings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.OperatorException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator end to end: the Java Operator SDK, with a fabric8 client pointed at fabric8's mock
 * API server (CRUD mode, server-side apply emulated as {@code ServerSideApplyDispatcher} says, each
 * Lattice kind served only while its CRD from this module's {@code operator/crds.yaml} exists),
 * watching the Lattice custom resources. After every change the cluster must come to hold exactly a
 * full render of the objects, and their statuses must say so.
 */
class OperatorTest {
  private MockCluster cluster;
  private KubernetesClient client;
  private LatticeOperator operator;

  @BeforeEach
  void start() {
    cluster = MockCluster.start();
    client = cluster.client();
    // as a real API server: a Lattice kind is served while its CRD is installed
    for (SpecKind k : SpecKind.values()) {
      cluster.dispatcher().serveOnlyWithCrd(k.crdName());
    }
  }

  @AfterEach
  void stop() {
    if (operator != null) {
      operator.close();
    }
    cluster.close();
  }

  /** Installs the CRDs of {@code kinds} from this module's {@code operator/crds.yaml}. */
  private void install(SpecKind... kinds) {
    for (SpecKind k : kinds) {
      client.resource(Shop.crd(k)).create();
    }
  }

  /** Checks every 100 ms: the tests wait for the operator, not for a timer. */
  private void startOperator() {
    operator =
        LatticeOperator.start(
            client, Settings.defaults(), Duration.ofHours(1), Duration.ofMillis(100));
  }

  @Test
  void keepsTheClusterInSyncWithTheCustomResourcesAndReportsOnThem() {
    install(SpecKind.values());
    startOperator();
    assertThat(operator.watched()).containsExactlyInAnyOrder(SpecKind.values());
    List<String> specs = new ArrayList<>(Shop.ALL);
    specs.forEach(s -> Shop.create(client, s));
    awaitClusterHolds(specs);
    awaitStatus("LatticeService", "data", "db", s -> s.path("inForce").asBoolean());
    JsonNode db = Shop.status(client, "LatticeService", "data", "db");
    assertThat(db.path("observedGeneration").asLong()).isEqualTo(1);
    assertThat(db.path("message").asText()).isEqualTo("in force");
    // web names cart, which admits it; prometheus calls db, which does not admit it: a warning
    // that belongs to prometheus's object
    awaitStatus(
        "LatticeMeshMember",
        "monitoring",
        "prometheus",
        s -> s.path("diagnostics").size() > 0 && s.path("inForce").asBoolean());

    // one service changes: the cluster follows
    String moved = Shop.DB.replace("pg: {port: 5432}", "pg: {port: 6432}");
    Shop.update(client, moved);
    specs.set(specs.indexOf(Shop.DB), moved);
    awaitClusterHolds(specs);
    awaitStatus("LatticeService", "data", "db", s -> s.path("observedGeneration").asLong() == 2);

    // a typo: refused, the object says why, the others say they wait for it, nothing changes
    var before = Shop.managed(client);
    Shop.update(client, Shop.API.replace("direction: inbound", "direciton: inbound"));
    awaitStatus("LatticeService", "shop", "api", s -> !s.path("inForce").asBoolean());
    JsonNode api = Shop.status(client, "LatticeService", "shop", "api");
    assertThat(api.path("message").asText()).startsWith("refused: this object has errors");
    assertThat(api.path("diagnostics"))
        .anySatisfy(
            d -> {
              assertThat(d.path("code").asText()).isEqualTo("spec-unknown-field");
              assertThat(d.path("path").asText())
                  .isEqualTo("shop/api.spec.workload.resources[web].direciton");
            });
    awaitStatus(
        "LatticeService",
        "data",
        "db",
        s ->
            s.path("message")
                .asText()
                .startsWith("not in force: errors in LatticeService shop/api (resourceVersion "));
    assertThat(Shop.managed(client)).isEqualTo(before);

    // fixed, and cart retired (web still names it: its policies close; cart's are pruned)
    Shop.update(client, Shop.API);
    Shop.delete(client, "LatticeService", "shop", "cart");
    specs.remove(Shop.CART);
    awaitClusterHolds(specs);
    awaitStatus("LatticeService", "shop", "api", s -> s.path("inForce").asBoolean());
    assertThat(Shop.managed(client).keySet()).noneMatch(k -> k.name().startsWith("cart"));
  }

  @Test
  void aMissingCrdDoesNotStopTheOperatorAndAJobAndAModelConvergeOnceInstalled() {
    // the cluster serves the services' and members' kinds, not yet the job's and the model's
    install(SpecKind.LATTICE_SERVICE, SpecKind.LATTICE_MESH_MEMBER);
    startOperator();
    assertThat(operator.watched())
        .containsExactlyInAnyOrder(SpecKind.LATTICE_SERVICE, SpecKind.LATTICE_MESH_MEMBER);
    List<String> ml = Shop.documents(Path.of("specs", "ml"));
    List<String> now = new ArrayList<>();
    for (String d : ml) {
      if (d.contains("\nkind: LatticeService\n") || d.contains("\nkind: LatticeMeshMember\n")) {
        Shop.create(client, d);
        now.add(d);
      }
    }
    awaitClusterHolds(now);
    // the warehouse admits the job's load task, which is not there yet: a warning on its status
    awaitStatus(
        "LatticeService",
        "data",
        "warehouse",
        s ->
            s.path("inForce").asBoolean()
                && s.path("diagnostics").toString().contains("ml/etl-load"));

    // the CRDs are installed: the operator watches the kinds, and their objects take part
    install(SpecKind.LATTICE_JOB, SpecKind.LATTICE_MODEL);
    await(
        () -> operator.watched().size() == SpecKind.values().length,
        () -> "the operator to watch every kind; it watches " + operator.watched());
    for (String d : ml) {
      if (!now.contains(d)) {
        Shop.create(client, d);
      }
    }
    awaitClusterHolds(ml);
    awaitStatus("LatticeJob", "ml", "etl", s -> s.path("inForce").asBoolean());
    awaitStatus("LatticeModel", "ml", "llama", s -> s.path("inForce").asBoolean());
    awaitStatus(
        "LatticeService",
        "data",
        "warehouse",
        s -> !s.path("diagnostics").toString().contains("ml/etl-load"));

    // a change to the model alone is an event the operator now sees: its port moves
    Shop.update(
        client,
        ml.stream()
            .filter(d -> d.contains("\nkind: LatticeModel\n"))
            .findFirst()
            .orElseThrow()
            .replace("port: 8000", "port: 8001"));
    List<String> moved = ml.stream().map(d -> d.replace("port: 8000", "port: 8001")).toList();
    awaitClusterHolds(moved);
    awaitStatus("LatticeModel", "ml", "llama", s -> s.path("observedGeneration").asLong() == 2);
  }

  @Test
  void theSdkAloneRefusesToStartWhenAWatchedKindsCrdIsAbsent() {
    // why LatticeOperator runs one SDK operator per kind the cluster serves (JOSDK 5.3.2 defaults)
    install(SpecKind.LATTICE_SERVICE);
    Operator sdk = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false));
    sdk.register(new ModelEvents(ClusterReconciler.create(client, Settings.defaults(), PATIENCE)));
    try {
      assertThatThrownBy(sdk::start)
          .isInstanceOf(OperatorException.class)
          .hasStackTraceContaining("latticemodels");
    } finally {
      sdk.stop();
    }
  }

  // ---------------------------------------------------------------- waiting for the operator

  /** Long enough for a loaded CI machine; the loop ends as soon as the cluster converges. */
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private void awaitClusterHolds(List<String> specs) {
    var want = Shop.documents(Shop.render(specs));
    await(
        () -> Shop.managed(client).equals(want), () -> "the cluster to hold a render of " + specs);
    assertThat(Shop.managed(client)).isEqualTo(want);
  }

  private void awaitStatus(
      String kind, String ns, String name, java.util.function.Predicate<JsonNode> ok) {
    await(
        () -> {
          JsonNode s = Shop.status(client, kind, ns, name);
          return s != null && ok.test(s);
        },
        () ->
            kind
                + " "
                + ns
                + "/"
                + name
                + "'s status; it is "
                + Shop.status(client, kind, ns, name));
  }

  private static void await(BooleanSupplier done, java.util.function.Supplier<String> what) {
    long end = System.nanoTime() + PATIENCE.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("waited " + PATIENCE + " for " + what.get());
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
