package dev.lattice.kubernetes.mock;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.HashMap;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * fabric8's mock API server in CRUD mode with server-side apply emulated ({@link
 * ServerSideApplyDispatcher}: read what it does and does not emulate), serving the kinds Lattice
 * renders and the Lattice custom resources (with their status subresource), over plain HTTP on
 * localhost. Close it to stop the server and the client.
 *
 * <pre>{@code
 * try (MockCluster cluster = MockCluster.start()) {
 *   Applier.create(cluster.client()).apply(manifest, ApplyOptions.defaults());
 * }
 * }</pre>
 */
public final class MockCluster implements AutoCloseable {
  private final KubernetesMockServer server;
  private final ServerSideApplyDispatcher dispatcher;
  private final KubernetesClient client;

  private MockCluster(KubernetesMockServer server, ServerSideApplyDispatcher dispatcher) {
    this.server = server;
    this.dispatcher = dispatcher;
    this.client = server.createClient();
  }

  /** The kinds the mock serves: the rendered ones and the Lattice custom resources. */
  public static List<CustomResourceDefinitionContext> kinds() {
    return List.of(
        crd("cilium.io", "v2", "CiliumNetworkPolicy", "ciliumnetworkpolicies", true, false),
        crd(
            "cilium.io",
            "v2",
            "CiliumClusterwideNetworkPolicy",
            "ciliumclusterwidenetworkpolicies",
            false,
            false),
        crd("security.istio.io", "v1", "AuthorizationPolicy", "authorizationpolicies", true, false),
        crd("security.istio.io", "v1", "PeerAuthentication", "peerauthentications", true, false),
        crd("networking.istio.io", "v1", "ServiceEntry", "serviceentries", true, false),
        crd("gateway.networking.k8s.io", "v1", "Gateway", "gateways", true, false),
        crd("lattice.dev", "v1alpha1", "LatticeService", "latticeservices", true, true),
        crd("lattice.dev", "v1alpha1", "LatticeMeshMember", "latticemeshmembers", true, true),
        crd("lattice.dev", "v1alpha1", "LatticeJob", "latticejobs", true, true),
        crd("lattice.dev", "v1alpha1", "LatticeModel", "latticemodels", true, true));
  }

  private static CustomResourceDefinitionContext crd(
      String group,
      String version,
      String kind,
      String plural,
      boolean namespaced,
      boolean status) {
    return new CustomResourceDefinitionContext.Builder()
        .withName(plural + "." + group)
        .withGroup(group)
        .withVersion(version)
        .withKind(kind)
        .withPlural(plural)
        .withScope(namespaced ? "Namespaced" : "Cluster")
        .withStatusSubresource(status)
        .build();
  }

  /**
   * Keeps the mock web server's per-request log lines (java.util.logging, INFO) out of test output.
   */
  public static void quiet() {
    QUIET.setLevel(Level.WARNING);
  }

  private static final Logger QUIET = Logger.getLogger("io.fabric8.mockwebserver");

  /** Starts a mock cluster on a free port of localhost. */
  public static MockCluster start() {
    quiet();
    ServerSideApplyDispatcher dispatcher = new ServerSideApplyDispatcher(kinds());
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init();
    return new MockCluster(server, dispatcher);
  }

  /** A client of the mock cluster. */
  public KubernetesClient client() {
    return client;
  }

  /** The dispatcher: writes seen, refusals. */
  public ServerSideApplyDispatcher dispatcher() {
    return dispatcher;
  }

  /** The mock server (its URL: {@code server().url("/")}). */
  public KubernetesMockServer server() {
    return server;
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
