package dev.lattice.examples.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.kubernetes.mock.MockCluster;
import dev.lattice.model.Settings;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator end to end: the Java Operator SDK, with a fabric8 client pointed at fabric8's mock
 * API server (CRUD mode, server-side apply emulated as {@code ServerSideApplyDispatcher} says),
 * watching the Lattice custom resources created from this module's own CRDs. After every change the
 * cluster must come to hold exactly a full render of the objects, and their statuses must say so.
 */
class OperatorTest {
  private MockCluster cluster;
  private KubernetesClient client;
  private Operator operator;

  @BeforeEach
  void start() throws Exception {
    cluster = MockCluster.start();
    client = cluster.client();
    try (InputStream crds = getClass().getResourceAsStream("/operator/crds.yaml")) {
      for (var o : client.load(crds).items()) {
        assertThat(o).isInstanceOf(CustomResourceDefinition.class);
        client.resource(o).create();
      }
    }
    operator = OperatorMain.start(client, Settings.defaults(), Duration.ofHours(1));
  }

  @AfterEach
  void stop() {
    operator.stop();
    cluster.close();
  }

  @Test
  void keepsTheClusterInSyncWithTheCustomResourcesAndReportsOnThem() {
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
