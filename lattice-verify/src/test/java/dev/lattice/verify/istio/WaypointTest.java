package dev.lattice.verify.istio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.verify.Docs;
import dev.lattice.verify.Fixtures;
import dev.lattice.verify.world.KubeService;
import dev.lattice.verify.world.MeshServiceEntry;
import dev.lattice.verify.world.Peer;
import dev.lattice.verify.world.WaypointProxy;
import dev.lattice.verify.world.World;
import org.junit.jupiter.api.Test;

/** SEMANTICS IW1–IW5 and I1, I4, I7, A3, A5 at a waypoint. */
class WaypointTest {
  static final String GATEWAY =
      """
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata:
        name: waypoint
        namespace: shop
        labels: {istio.io/waypoint-for: service}
      spec:
        gatewayClassName: istio-waypoint
        listeners: [{name: mesh, port: 15008, protocol: HBONE}]
      """;

  static final String STRIPE_ENTRY =
      """
      apiVersion: networking.istio.io/v1
      kind: ServiceEntry
      metadata:
        name: api-stripe-com
        namespace: shop
        labels: {istio.io/use-waypoint: waypoint}
      spec:
        hosts: [api.stripe.com]
        location: MESH_EXTERNAL
        resolution: DNS
        exportTo: ["."]
        ports: [{number: 443, name: https, protocol: TLS}]
      """;

  private final World world =
      World.builder(Fixtures.shop()).documents(Docs.yaml(GATEWAY + "---\n" + STRIPE_ENTRY)).build();
  private final WaypointProxy wp = world.waypoint("shop", "waypoint").orElseThrow();
  private final KubeService api = world.service("shop/api").orElseThrow();
  private final Peer web = world.service("shop/web").orElseThrow().pod();
  private final Peer db = world.service("data/db").orElseThrow().pod();

  private static String policy(String ns, String name, String spec) {
    return "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: "
        + name
        + ", namespace: "
        + ns
        + "}\nspec:\n"
        + spec.indent(2);
  }

  private static final String TARGETS_API =
      "targetRefs: [{kind: Service, group: \"\", name: api}]\n";

  private IstioVerdict at(String yaml, Peer client, int port, Request request) {
    return at(world, yaml, client, port, request);
  }

  private IstioVerdict at(World w, String yaml, Peer client, int port, Request request) {
    return IstioEvaluator.of(Docs.yaml(yaml), w)
        .atWaypoint(
            w.waypoint("shop", "waypoint").orElseThrow(),
            w.service("shop/api").orElseThrow(),
            Caller.of(client),
            port,
            request);
  }

  private static Request get(String path) {
    return Request.http("GET", path, null);
  }

  // ---------------------------------------------------------------- IW1

  @Test
  void waypointIgnoresSelectorNamespaceAndRootPolicies() {
    String yaml =
        policy("shop", "sel", "selector: {matchLabels: {app.kubernetes.io/name: api}}")
            + "---\n"
            + policy("shop", "ns", "{}")
            + "---\n"
            + policy("istio-system", "mesh", "{}");
    IstioVerdict v = at(yaml, web, 80, get("/"));
    assertThat(v.outcome()).isEqualTo(IstioVerdict.Outcome.ALLOW);
    assertThat(v.reason()).contains("no ALLOW policy is attached");
  }

  @Test
  void waypointEnforcesAPolicyTargetingTheService() {
    String yaml =
        policy(
            "shop",
            "api",
            TARGETS_API
                + """
        rules:
        - from: [{source: {principals: [cluster.local/ns/shop/sa/web]}}]
          to: [{operation: {methods: [GET], paths: ["/api/*"]}}]
        """);
    IstioVerdict ok = at(yaml, web, 80, get("/api/x"));
    assertThat(ok.outcome()).isEqualTo(IstioVerdict.Outcome.ALLOW);
    assertThat(ok.reason()).contains("allowed by AuthorizationPolicy shop/api rules[0]");
    assertThat(at(yaml, web, 80, get("/admin")).outcome()).isEqualTo(IstioVerdict.Outcome.DENY);
    assertThat(at(yaml, db, 80, get("/api/x")).outcome()).isEqualTo(IstioVerdict.Outcome.DENY);
  }

  @Test
  void policyTargetingAnotherServiceDoesNotApplyToThisServicesTraffic() {
    String yaml = policy("shop", "web", "targetRefs: [{kind: Service, group: \"\", name: web}]");
    assertThat(at(yaml, db, 80, get("/")).outcome()).isEqualTo(IstioVerdict.Outcome.ALLOW);
    String sameNameOtherNs = policy("data", "api", TARGETS_API);
    assertThat(at(sameNameOtherNs, db, 80, get("/")).outcome())
        .isEqualTo(IstioVerdict.Outcome.ALLOW);
  }

  @Test
  void gatewayClassPolicyFromTheRootNamespaceAppliesToEveryWaypoint() {
    String allowNothing =
        "targetRefs: [{kind: GatewayClass, group: gateway.networking.k8s.io,"
            + " name: istio-waypoint}]\n";
    assertThat(at(policy("istio-system", "waypoints", allowNothing), web, 80, get("/")).outcome())
        .isEqualTo(IstioVerdict.Outcome.DENY);
    assertThat(at(policy("shop", "waypoints", allowNothing), web, 80, get("/")).outcome())
        .isEqualTo(IstioVerdict.Outcome.ALLOW);
  }

  @Test
  void policyTargetingTheWaypointGatewayAppliesInItsNamespaceOnly() {
    String ref =
        "targetRefs: [{kind: Gateway, group: gateway.networking.k8s.io, name: waypoint}]\n";
    assertThat(at(policy("shop", "gw", ref), web, 80, get("/")).outcome())
        .isEqualTo(IstioVerdict.Outcome.DENY);
    assertThat(at(policy("data", "gw", ref), web, 80, get("/")).outcome())
        .isEqualTo(IstioVerdict.Outcome.ALLOW);
    String otherNs =
        "targetRefs: [{kind: Gateway, group: gateway.networking.k8s.io,"
            + " name: waypoint, namespace: data}]\n";
    assertThat(at(policy("shop", "gw", otherNs), web, 80, get("/")).outcome())
        .isEqualTo(IstioVerdict.Outcome.ALLOW);
  }

  @Test
  void policyTargetingAServiceEntryAppliesToTrafficToItsHost() {
    MeshServiceEntry se = world.serviceEntries().get(0);
    String yaml =
        policy(
            "shop",
            "stripe",
            """
        targetRefs: [{kind: ServiceEntry, group: networking.istio.io, name: api-stripe-com}]
        rules: [{from: [{source: {principals: [cluster.local/ns/shop/sa/web]}}], to: [{operation: {ports: ["443"]}}]}]
        """);
    IstioEvaluator e = IstioEvaluator.of(Docs.yaml(yaml), world);
    assertThat(e.atWaypoint(wp, se, "api.stripe.com", Caller.of(web), 443, null).outcome())
        .isEqualTo(IstioVerdict.Outcome.ALLOW);
    assertThat(e.atWaypoint(wp, se, "api.stripe.com", Caller.of(db), 443, null).outcome())
        .isEqualTo(IstioVerdict.Outcome.DENY);
    // and not to Service traffic through the same waypoint
    assertThat(e.atWaypoint(wp, api, Caller.of(db), 80, null).outcome())
        .isEqualTo(IstioVerdict.Outcome.ALLOW);
  }

  // ---------------------------------------------------------------- IW2

  @Test
  void waypointSeesTheOriginalClientNotItself() {
    String yaml =
        policy(
            "shop",
            "api",
            TARGETS_API
                + "rules: [{from: [{source: {principals: [cluster.local/ns/shop/sa/waypoint]}}]}]");
    assertThat(at(yaml, web, 80, get("/")).outcome()).isEqualTo(IstioVerdict.Outcome.DENY);
    String client =
        policy(
            "shop",
            "api",
            TARGETS_API
                + "rules: [{from: [{source: {namespaces: [shop], serviceAccounts: [web]}}]}]");
    assertThat(at(client, web, 80, get("/")).outcome()).isEqualTo(IstioVerdict.Outcome.ALLOW);
  }

  // ---------------------------------------------------------------- IW3

  @Test
  void tcpTrafficSkipsAllowRulesThatUseHttpAttributes() {
    String yaml =
        policy(
            "shop",
            "api",
            TARGETS_API
                + """
        rules:
        - from: [{source: {principals: [cluster.local/ns/shop/sa/web]}}]
          to: [{operation: {methods: [GET]}}]
        - from: [{source: {principals: [cluster.local/ns/data/sa/db]}}]
          to: [{operation: {ports: ["80"]}}]
        """);
    IstioVerdict tcp = at(yaml, web, 80, Request.tcp());
    assertThat(tcp.outcome()).isEqualTo(IstioVerdict.Outcome.DENY);
    assertThat(tcp.reason()).contains("HTTP only").contains("(IW3)");
    assertThat(at(yaml, web, 80, get("/")).outcome()).isEqualTo(IstioVerdict.Outcome.ALLOW);
    assertThat(at(yaml, db, 80, Request.tcp()).outcome()).isEqualTo(IstioVerdict.Outcome.ALLOW);
  }

  @Test
  void tcpTrafficDropsHttpValuesFromDenyRulesWhichThenDenyMore() {
    String yaml =
        policy(
            "shop",
            "no-delete",
            TARGETS_API
                + """
        action: DENY
        rules: [{to: [{operation: {methods: [DELETE]}}]}]
        """);
    assertThat(at(yaml, web, 80, Request.tcp()).outcome()).isEqualTo(IstioVerdict.Outcome.DENY);
    assertThat(at(yaml, web, 80, get("/")).outcome()).isEqualTo(IstioVerdict.Outcome.ALLOW);
    assertThat(at(yaml, web, 80, Request.http("DELETE", "/", null)).outcome())
        .isEqualTo(IstioVerdict.Outcome.DENY);
  }

  // ---------------------------------------------------------------- IW4

  @Test
  void waypointPortsAreServicePorts() {
    String service =
        policy("shop", "api", TARGETS_API + "rules: [{to: [{operation: {ports: [\"80\"]}}]}]");
    assertThat(at(service, web, 80, get("/")).outcome()).isEqualTo(IstioVerdict.Outcome.ALLOW);
    String target =
        policy("shop", "api", TARGETS_API + "rules: [{to: [{operation: {ports: [\"8080\"]}}]}]");
    assertThat(at(target, web, 80, get("/")).outcome()).isEqualTo(IstioVerdict.Outcome.DENY);
  }

  // ---------------------------------------------------------------- IW5

  @Test
  void unknownWhenKeyInvalidatesTheRule() {
    String allow =
        policy(
            "shop",
            "api",
            TARGETS_API
                + "rules: [{when: [{key: source.colour, values: [blue]}]}, {from: [{source: {namespaces: [data]}}]}]");
    IstioVerdict v = at(allow, web, 80, get("/"));
    assertThat(v.outcome()).isEqualTo(IstioVerdict.Outcome.DENY);
    assertThat(v.reason()).contains("unknown when key source.colour").contains("(IW5)");
    assertThat(at(allow, db, 80, get("/")).outcome()).isEqualTo(IstioVerdict.Outcome.ALLOW);
    String deny =
        policy(
            "shop",
            "api",
            TARGETS_API + "action: DENY\nrules: [{when: [{key: source.colour, values: [blue]}]}]");
    assertThat(at(deny, web, 80, get("/")).outcome()).isEqualTo(IstioVerdict.Outcome.ALLOW);
  }

  // ---------------------------------------------------------------- I4 (HTTP attributes)

  @Test
  void pathsMatchExactPrefixSuffixAndTemplates() {
    String yaml =
        policy(
            "shop",
            "api",
            TARGETS_API
                + """
        rules:
        - to: [{operation: {paths: [/health, "/api/*", "*.png", "/v1/{*}/items", "/files/{**}"]}}]
        """);
    for (String ok :
        new String[] {"/health", "/api/x/y", "/img/a.png", "/v1/42/items", "/files/a/b/c"}) {
      assertThat(at(yaml, web, 80, get(ok)).outcome()).as(ok).isEqualTo(IstioVerdict.Outcome.ALLOW);
    }
    for (String no : new String[] {"/health/x", "/ap", "/v1/4/2/items", "/admin"}) {
      assertThat(at(yaml, web, 80, get(no)).outcome()).as(no).isEqualTo(IstioVerdict.Outcome.DENY);
    }
  }

  @Test
  void methodsAreCaseSensitiveAndHostsAreNot() {
    String yaml =
        policy(
            "shop",
            "api",
            TARGETS_API
                + """
        rules: [{to: [{operation: {methods: [GET], hosts: [API.shop.svc.cluster.local]}}]}]
        """);
    assertThat(at(yaml, web, 80, get("/")).outcome()).isEqualTo(IstioVerdict.Outcome.ALLOW);
    assertThat(at(yaml, web, 80, Request.http("get", "/", null)).outcome())
        .isEqualTo(IstioVerdict.Outcome.DENY);
    assertThat(at(yaml, web, 80, Request.http("GET", "/", "other.example.com")).outcome())
        .isEqualTo(IstioVerdict.Outcome.DENY);
  }

  // ---------------------------------------------------------------- I1, A3, I7

  @Test
  void customPolicyIsAskedFirstAndTheAuthorizerDeniesByDefault() {
    String yaml =
        policy(
            "shop",
            "ext",
            TARGETS_API
                + """
        action: CUSTOM
        provider: {name: opa}
        rules: [{to: [{operation: {paths: ["/admin*"]}}]}]
        """);
    IstioVerdict v = at(yaml, web, 80, get("/admin"));
    assertThat(v.outcome()).isEqualTo(IstioVerdict.Outcome.DENY);
    assertThat(v.reason()).contains("CUSTOM").contains("(A3)");
    assertThat(at(yaml, web, 80, get("/")).outcome()).isEqualTo(IstioVerdict.Outcome.ALLOW);
    World permissive =
        World.builder(Fixtures.shop())
            .documents(Docs.yaml(GATEWAY))
            .customAuthorizerAllows(true)
            .build();
    assertThat(at(permissive, yaml, web, 80, get("/admin")).outcome())
        .isEqualTo(IstioVerdict.Outcome.ALLOW);
  }

  @Test
  void auditPoliciesNeverDecide() {
    String yaml = policy("shop", "audit", TARGETS_API + "action: AUDIT\nrules: [{}]");
    assertThat(at(yaml, web, 80, get("/")).outcome()).isEqualTo(IstioVerdict.Outcome.ALLOW);
    String withAllow =
        yaml
            + "---\n"
            + policy(
                "shop", "api", TARGETS_API + "rules: [{from: [{source: {namespaces: [data]}}]}]");
    assertThat(at(withAllow, web, 80, get("/")).outcome()).isEqualTo(IstioVerdict.Outcome.DENY);
  }

  @Test
  void dryRunPolicyIsNotEnforcedAtTheWaypoint() {
    String dry =
        "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n"
            + "  name: dry\n  namespace: shop\n  annotations: {istio.io/dry-run: \"true\"}\n"
            + "spec:\n  "
            + TARGETS_API;
    IstioVerdict v = at(dry, web, 80, get("/"));
    assertThat(v.outcome()).isEqualTo(IstioVerdict.Outcome.ALLOW);
    assertThat(v.reason()).contains("dry-run, not enforced (I7)");
    assertThat(at(dry.replace("\"true\"", "\"false\""), web, 80, get("/")).outcome())
        .isEqualTo(IstioVerdict.Outcome.DENY);
  }

  // ---------------------------------------------------------------- A5

  @Test
  void withoutARequestTheVerdictIsExistentialOverRequestShapes() {
    String yaml =
        policy(
            "shop",
            "api",
            TARGETS_API
                + """
        rules:
        - from: [{source: {principals: [cluster.local/ns/shop/sa/web]}}]
          to: [{operation: {methods: [POST], paths: ["/orders/{*}/cancel"]}}]
        """);
    IstioVerdict v = at(yaml, web, 80, null);
    assertThat(v.outcome()).isEqualTo(IstioVerdict.Outcome.ALLOW);
    assertThat(v.reason()).contains("A5");
    assertThat(v.request())
        .get()
        .asString()
        .isEqualTo("POST /orders/x/cancel (Host api.shop.svc.cluster.local)");
    IstioVerdict no = at(yaml, db, 80, null);
    assertThat(no.outcome()).isEqualTo(IstioVerdict.Outcome.DENY);
    assertThat(no.reason()).contains("no request shape is allowed");
  }

  // ---------------------------------------------------------------- source over SEMANTICS

  @Test
  void nonNumericPortSkipsAnAllowRuleAndWidensADenyRuleAtTheWaypoint() {
    String allow =
        policy("shop", "api", TARGETS_API + "rules: [{to: [{operation: {ports: [http]}}]}]");
    IstioVerdict v = at(allow, web, 80, get("/"));
    assertThat(v.outcome()).isEqualTo(IstioVerdict.Outcome.DENY);
    assertThat(v.reason()).contains("port \"http\" is not a number");
    String deny =
        policy(
            "shop",
            "api",
            TARGETS_API + "action: DENY\nrules: [{to: [{operation: {ports: [http, \"9090\"]}}]}]");
    assertThat(at(deny, web, 80, get("/")).outcome()).isEqualTo(IstioVerdict.Outcome.ALLOW);
    String onlyNamed =
        policy(
            "shop",
            "api",
            TARGETS_API + "action: DENY\nrules: [{to: [{operation: {ports: [http]}}]}]");
    assertThat(at(onlyNamed, web, 80, get("/")).outcome()).isEqualTo(IstioVerdict.Outcome.DENY);
  }
}
