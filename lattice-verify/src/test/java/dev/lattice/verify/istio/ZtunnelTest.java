package dev.lattice.verify.istio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.verify.Docs;
import dev.lattice.verify.Fixtures;
import dev.lattice.verify.world.Peer;
import dev.lattice.verify.world.World;
import org.junit.jupiter.api.Test;

/** SEMANTICS I1–I7 and IZ1–IZ7 at the destination's ztunnel. */
class ZtunnelTest {
  private final World world = World.of(Fixtures.shop());
  private final Peer web = pod("shop/web");
  private final Peer api = pod("shop/api");
  private final Peer legacy = pod("shop/legacy");
  private final Peer db = pod("data/db");

  private Peer pod(String id) {
    return world.service(id).orElseThrow().pod();
  }

  private IstioVerdict at(String yaml, Peer dst, Caller caller, int port) {
    return IstioEvaluator.of(Docs.yaml(yaml), world).atZtunnel(dst, caller, port);
  }

  private IstioVerdict.Outcome outcome(String yaml, Peer from, Peer dst, int port) {
    return at(yaml, dst, Caller.of(from), port).outcome();
  }

  private static String policy(String ns, String name, String spec) {
    return "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: "
        + name
        + ", namespace: "
        + ns
        + "}\nspec:\n"
        + spec.indent(2);
  }

  private static final String API_FROM_WEB =
      policy(
          "shop",
          "api",
          """
      selector: {matchLabels: {app.kubernetes.io/name: api}}
      rules:
      - from: [{source: {principals: [cluster.local/ns/shop/sa/web]}}]
        to: [{operation: {ports: ["8080"]}}]
      """);

  // ---------------------------------------------------------------- I1

  @Test
  void withNoPolicyEverythingIsAllowed() {
    IstioVerdict v = at("", api, Caller.of(web), 8080);
    assertThat(v.outcome()).isEqualTo(IstioVerdict.Outcome.ALLOW);
    assertThat(v.reason()).contains("no ALLOW policy applies");
  }

  @Test
  void allowPolicyAllowsWhatItMatchesAndDeniesTheRest() {
    IstioVerdict ok = at(API_FROM_WEB, api, Caller.of(web), 8080);
    assertThat(ok.outcome()).isEqualTo(IstioVerdict.Outcome.ALLOW);
    assertThat(ok.reason()).contains("allowed by AuthorizationPolicy shop/api rules[0]");
    IstioVerdict no = at(API_FROM_WEB, api, Caller.of(db), 8080);
    assertThat(no.outcome()).isEqualTo(IstioVerdict.Outcome.DENY);
    assertThat(no.reason())
        .contains("no rule of the ALLOW policies [AuthorizationPolicy shop/api]");
  }

  @Test
  void denyIsEvaluatedBeforeAllow() {
    String yaml =
        API_FROM_WEB
            + "---\n"
            + policy(
                "shop",
                "no-web",
                """
        action: DENY
        rules: [{from: [{source: {namespaces: [shop]}}]}]
        """);
    IstioVerdict v = at(yaml, api, Caller.of(web), 8080);
    assertThat(v.outcome()).isEqualTo(IstioVerdict.Outcome.DENY);
    assertThat(v.reason()).contains("DENY AuthorizationPolicy shop/no-web rules[0]");
    assertThat(outcome(yaml, db, api, 8080)).isEqualTo(IstioVerdict.Outcome.DENY);
  }

  @Test
  void ztunnelIgnoresCustomAndAuditPolicies() {
    String yaml =
        policy(
                "shop",
                "ext",
                """
        action: CUSTOM
        provider: {name: opa}
        rules: [{}]
        """)
            + "---\n"
            + policy(
                "shop",
                "audit",
                """
        action: AUDIT
        rules: [{}]
        """);
    IstioEvaluator e = IstioEvaluator.of(Docs.yaml(yaml), world);
    assertThat(e.atZtunnel(api, Caller.of(web), 8080).outcome())
        .isEqualTo(IstioVerdict.Outcome.ALLOW);
    assertThat(e.findings())
        .anyMatch(f -> f.contains("does not support the CUSTOM action"))
        .anyMatch(f -> f.contains("does not support the AUDIT action"));
    assertThat(at(yaml + "---\n" + API_FROM_WEB, api, Caller.of(db), 8080).outcome())
        .isEqualTo(IstioVerdict.Outcome.DENY);
  }

  // ---------------------------------------------------------------- I2

  @Test
  void emptySpecAllowsNothing() {
    String yaml = policy("istio-system", "allow-nothing", "{}");
    assertThat(outcome(yaml, web, api, 8080)).isEqualTo(IstioVerdict.Outcome.DENY);
    assertThat(outcome(yaml + "---\n" + API_FROM_WEB, web, api, 8080))
        .isEqualTo(IstioVerdict.Outcome.ALLOW);
  }

  @Test
  void emptyRuleAllowsEverything() {
    String yaml =
        policy(
            "shop",
            "all",
            "selector: {matchLabels: {app.kubernetes.io/name: api}}\n" + "rules: [{}]");
    assertThat(outcome(yaml, db, api, 9090)).isEqualTo(IstioVerdict.Outcome.ALLOW);
    assertThat(at(yaml, api, Caller.plaintext(legacy), 9090).outcome())
        .isEqualTo(IstioVerdict.Outcome.ALLOW);
  }

  // ---------------------------------------------------------------- I3

  @Test
  void aRuleNeedsAMatchingSourceOperationAndEveryCondition() {
    String yaml =
        policy(
            "shop",
            "api",
            """
        selector: {matchLabels: {app.kubernetes.io/name: api}}
        rules:
        - from: [{source: {namespaces: [shop]}}, {source: {namespaces: [data]}}]
          to: [{operation: {ports: ["8080"]}}, {operation: {ports: ["9090"]}}]
          when: [{key: source.principal, notValues: [cluster.local/ns/shop/sa/legacy]}]
        """);
    assertThat(outcome(yaml, web, api, 9090)).isEqualTo(IstioVerdict.Outcome.ALLOW);
    assertThat(outcome(yaml, db, api, 8080)).isEqualTo(IstioVerdict.Outcome.ALLOW);
    assertThat(outcome(yaml, web, api, 15021)).isEqualTo(IstioVerdict.Outcome.DENY);
  }

  @Test
  void fieldsOfOneSourceAreAndedAndNotValuesMustMatchNone() {
    String yaml =
        policy(
            "shop",
            "api",
            """
        selector: {matchLabels: {app.kubernetes.io/name: api}}
        rules:
        - from: [{source: {namespaces: [shop, data], notPrincipals: ["*/sa/db"]}}]
        """);
    assertThat(outcome(yaml, web, api, 8080)).isEqualTo(IstioVerdict.Outcome.ALLOW);
    assertThat(outcome(yaml, db, api, 8080)).isEqualTo(IstioVerdict.Outcome.DENY);
  }

  // ---------------------------------------------------------------- I4

  @Test
  void principalsMatchExactPrefixSuffixAndPresence() {
    for (String p :
        new String[] {"cluster.local/ns/shop/sa/web", "cluster.local/ns/shop/*", "*/sa/web", "*"}) {
      String yaml =
          policy(
              "shop",
              "api",
              "selector: {matchLabels: {app.kubernetes.io/name: api}}\n"
                  + "rules: [{from: [{source: {principals: [\""
                  + p
                  + "\"]}}]}]");
      assertThat(outcome(yaml, web, api, 8080)).as(p).isEqualTo(IstioVerdict.Outcome.ALLOW);
    }
    String yaml =
        policy(
            "shop",
            "api",
            "selector: {matchLabels: {app.kubernetes.io/name: api}}\n"
                + "rules: [{from: [{source: {principals: [\"*/sa/web\"]}}]}]");
    assertThat(outcome(yaml, db, api, 8080)).isEqualTo(IstioVerdict.Outcome.DENY);
  }

  @Test
  void namespacesMatchTheNamespaceOfThePeerIdentity() {
    String yaml =
        policy(
            "shop",
            "api",
            "selector: {matchLabels: {app.kubernetes.io/name: api}}\n"
                + "rules: [{from: [{source: {namespaces: [\"da*\"]}}]}]");
    assertThat(outcome(yaml, db, api, 8080)).isEqualTo(IstioVerdict.Outcome.ALLOW);
    assertThat(outcome(yaml, web, api, 8080)).isEqualTo(IstioVerdict.Outcome.DENY);
  }

  @Test
  void serviceAccountsTakeNamespaceSlashNameOrANameInThePolicyNamespace() {
    String bare =
        policy(
            "shop",
            "api",
            "selector: {matchLabels: {app.kubernetes.io/name: api}}\n"
                + "rules: [{from: [{source: {serviceAccounts: [web, data/db]}}]}]");
    assertThat(outcome(bare, web, api, 8080)).isEqualTo(IstioVerdict.Outcome.ALLOW);
    assertThat(outcome(bare, db, api, 8080)).isEqualTo(IstioVerdict.Outcome.ALLOW);
    String wrong =
        policy(
            "shop",
            "api",
            "selector: {matchLabels: {app.kubernetes.io/name: api}}\n"
                + "rules: [{from: [{source: {serviceAccounts: [db]}}]}]");
    assertThat(outcome(wrong, db, api, 8080)).isEqualTo(IstioVerdict.Outcome.DENY);
  }

  // ---------------------------------------------------------------- I5

  @Test
  void plaintextHasNoIdentityNeverMatchesPrincipalsButSatisfiesNotPrincipals() {
    String principals =
        policy(
            "shop",
            "api",
            "selector: {matchLabels: {app.kubernetes.io/name: api}}\n"
                + "rules: [{from: [{source: {principals: [\"*\"]}}]}]");
    IstioVerdict v = at(principals, api, Caller.plaintext(legacy), 8080);
    assertThat(v.outcome()).isEqualTo(IstioVerdict.Outcome.DENY);
    assertThat(v.reason()).contains("plaintext has no identity");
    String notPrincipals =
        policy(
            "shop",
            "api",
            "selector: {matchLabels: {app.kubernetes.io/name: api}}\n"
                + "rules: [{from: [{source: {notPrincipals: [\"*\"]}}]}]");
    assertThat(at(notPrincipals, api, Caller.plaintext(legacy), 8080).outcome())
        .isEqualTo(IstioVerdict.Outcome.ALLOW);
    assertThat(at(notPrincipals, api, Caller.of(web), 8080).outcome())
        .isEqualTo(IstioVerdict.Outcome.DENY);
  }

  // ---------------------------------------------------------------- I6

  @Test
  void selectorPolicyAppliesOnlyInItsOwnNamespace() {
    String yaml =
        policy(
            "data",
            "x",
            "selector: {matchLabels: {app.kubernetes.io/name: api}}\n"
                + "rules: [{from: [{source: {namespaces: [nowhere]}}]}]");
    assertThat(outcome(yaml, web, api, 8080)).isEqualTo(IstioVerdict.Outcome.ALLOW);
  }

  @Test
  void policyWithoutSelectorCoversTheWholeNamespace() {
    String yaml = policy("shop", "ns", "rules: [{from: [{source: {namespaces: [shop]}}]}]");
    assertThat(outcome(yaml, db, api, 8080)).isEqualTo(IstioVerdict.Outcome.DENY);
    assertThat(outcome(yaml, db, web, 8080)).isEqualTo(IstioVerdict.Outcome.DENY);
    assertThat(outcome(yaml, web, db, 5432)).isEqualTo(IstioVerdict.Outcome.ALLOW);
  }

  @Test
  void rootNamespacePoliciesApplyMeshWideAndTheirSelectorsMatchEveryNamespace() {
    String global =
        policy("istio-system", "g", "rules: [{from: [{source: {namespaces: [shop]}}]}]");
    assertThat(outcome(global, db, api, 8080)).isEqualTo(IstioVerdict.Outcome.DENY);
    assertThat(outcome(global, api, db, 5432)).isEqualTo(IstioVerdict.Outcome.ALLOW);
    String selector =
        policy(
            "istio-system",
            "s",
            "selector: {matchLabels: {app.kubernetes.io/name: db}}\n"
                + "rules: [{from: [{source: {namespaces: [nowhere]}}]}]");
    assertThat(outcome(selector, web, db, 5432)).isEqualTo(IstioVerdict.Outcome.DENY);
    assertThat(outcome(selector, web, api, 8080)).isEqualTo(IstioVerdict.Outcome.ALLOW);
  }

  // ---------------------------------------------------------------- I7

  @Test
  void dryRunPolicyIsNotEnforced() {
    String dry =
        "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n"
            + "  name: dry\n  namespace: shop\n  annotations: {istio.io/dry-run: \"true\"}\n"
            + "spec: {}\n";
    IstioEvaluator e = IstioEvaluator.of(Docs.yaml(dry), world);
    assertThat(e.atZtunnel(api, Caller.of(web), 8080).outcome())
        .isEqualTo(IstioVerdict.Outcome.ALLOW);
    assertThat(e.findings()).anyMatch(f -> f.contains("dry-run"));
    assertThat(outcome(dry.replace("\"true\"", "\"false\""), web, api, 8080))
        .isEqualTo(IstioVerdict.Outcome.DENY);
  }

  // ---------------------------------------------------------------- IZ1

  @Test
  void targetRefsPoliciesNeverReachZtunnel() {
    String yaml =
        policy(
            "shop",
            "l7",
            """
        targetRefs: [{kind: Service, group: "", name: api}]
        rules: [{from: [{source: {namespaces: [nowhere]}}]}]
        """);
    IstioVerdict v = at(yaml, api, Caller.of(web), 8080);
    assertThat(v.outcome()).isEqualTo(IstioVerdict.Outcome.ALLOW);
    String both =
        yaml
            + "---\n"
            + policy(
                "shop",
                "l4",
                "selector: {matchLabels: {app.kubernetes.io/name: api}}\n"
                    + "rules: [{from: [{source: {principals: [cluster.local/ns/shop/sa/waypoint]}}]}]");
    IstioVerdict denied = at(both, api, Caller.of(web), 8080);
    assertThat(denied.outcome()).isEqualTo(IstioVerdict.Outcome.DENY);
    assertThat(denied.reason()).contains("enforced only by its waypoint, not by ztunnel (IW1)");
  }

  @Test
  void notCapturedDestinationHasNoZtunnelEnforcement() {
    IstioVerdict v = at(API_FROM_WEB, legacy, Caller.of(db), 8081);
    assertThat(v.outcome()).isEqualTo(IstioVerdict.Outcome.NOT_APPLICABLE);
  }

  // ---------------------------------------------------------------- IZ2, IZ3

  @Test
  void ztunnelDropsAllowRuleWithHttpAttributes() {
    String yaml =
        policy(
            "shop",
            "api",
            """
        selector: {matchLabels: {app.kubernetes.io/name: api}}
        rules:
        - from: [{source: {principals: [cluster.local/ns/shop/sa/web]}}]
          to: [{operation: {methods: [GET]}}]
        - from: [{source: {principals: [cluster.local/ns/data/sa/db]}}]
        """);
    IstioEvaluator e = IstioEvaluator.of(Docs.yaml(yaml), world);
    IstioVerdict v = e.atZtunnel(api, Caller.of(web), 8080);
    assertThat(v.outcome()).isEqualTo(IstioVerdict.Outcome.DENY);
    assertThat(v.reason()).contains("rules[0] uses [methods]").contains("(IZ3)");
    assertThat(e.atZtunnel(api, Caller.of(db), 8080).outcome())
        .isEqualTo(IstioVerdict.Outcome.ALLOW);
  }

  @Test
  void allowPolicyWhoseRulesAreAllHttpStillExistsAndFailsClosed() {
    String yaml =
        policy(
            "shop",
            "api",
            """
        selector: {matchLabels: {app.kubernetes.io/name: api}}
        rules:
        - to: [{operation: {paths: [/api/*]}}]
        - when: [{key: "request.headers[x-user]", values: [admin]}]
        """);
    assertThat(outcome(yaml, web, api, 8080)).isEqualTo(IstioVerdict.Outcome.DENY);
    String l4When =
        policy(
            "shop",
            "api",
            """
        selector: {matchLabels: {app.kubernetes.io/name: api}}
        rules: [{when: [{key: source.namespace, values: [shop]}, {key: destination.port, values: ["8080"]}]}]
        """);
    assertThat(outcome(l4When, web, api, 8080)).isEqualTo(IstioVerdict.Outcome.ALLOW);
    assertThat(outcome(l4When, web, api, 9090)).isEqualTo(IstioVerdict.Outcome.DENY);
  }

  // ---------------------------------------------------------------- IZ4

  @Test
  void denyRuleWhoseOnlyClauseIsHttpNeverMatchesAtZtunnel() {
    String yaml =
        policy(
            "shop",
            "no-get",
            """
        selector: {matchLabels: {app.kubernetes.io/name: api}}
        action: DENY
        rules: [{to: [{operation: {methods: [GET]}}]}]
        """);
    IstioEvaluator e = IstioEvaluator.of(Docs.yaml(yaml), world);
    assertThat(e.atZtunnel(api, Caller.of(web), 8080).outcome())
        .isEqualTo(IstioVerdict.Outcome.ALLOW);
    assertThat(e.findings()).anyMatch(f -> f.contains("(IZ4)"));
  }

  @Test
  void denyRuleMixingPortsAndMethodsIsEnforcedOnItsPortsAlone() {
    String yaml =
        policy(
            "shop",
            "no-get",
            """
        selector: {matchLabels: {app.kubernetes.io/name: api}}
        action: DENY
        rules: [{to: [{operation: {ports: ["8080"], methods: [GET]}}]}]
        """);
    assertThat(outcome(yaml, web, api, 8080)).isEqualTo(IstioVerdict.Outcome.DENY);
    assertThat(outcome(yaml, web, api, 9090)).isEqualTo(IstioVerdict.Outcome.ALLOW);
  }

  // ---------------------------------------------------------------- IZ5

  @Test
  void behindAWaypointZtunnelSeesTheWaypointIdentity() {
    World w = World.builder(Fixtures.shop()).documents(Docs.yaml(WaypointTest.GATEWAY)).build();
    Peer waypoint = w.waypoint("shop", "waypoint").orElseThrow().pod();
    Peer a = w.service("shop/api").orElseThrow().pod();
    IstioEvaluator e = IstioEvaluator.of(Docs.yaml(API_FROM_WEB), w);
    IstioVerdict v = e.atZtunnel(a, Caller.of(waypoint), 8080);
    assertThat(v.outcome()).isEqualTo(IstioVerdict.Outcome.DENY);
    assertThat(v.reason()).contains("cluster.local/ns/shop/sa/waypoint").contains("(IZ5)");
    String admitsWaypoint =
        policy(
            "shop",
            "api",
            "selector: {matchLabels: {app.kubernetes.io/name: api}}\n"
                + "rules: [{from: [{source: {principals: [cluster.local/ns/shop/sa/waypoint]}}]}]");
    assertThat(
            IstioEvaluator.of(Docs.yaml(admitsWaypoint), w)
                .atZtunnel(a, Caller.of(waypoint), 8080)
                .outcome())
        .isEqualTo(IstioVerdict.Outcome.ALLOW);
  }

  // ---------------------------------------------------------------- IZ6

  @Test
  void ztunnelPortsAreContainerPortsAndNonNumericOnesAreDiscarded() {
    // api's Service port 80 maps to container port 8080: ztunnel sees 8080
    String servicePort = API_FROM_WEB.replace("\"8080\"", "\"80\"");
    assertThat(outcome(servicePort, web, api, 8080)).isEqualTo(IstioVerdict.Outcome.DENY);
    assertThat(outcome(API_FROM_WEB, web, api, 8080)).isEqualTo(IstioVerdict.Outcome.ALLOW);
    String named = API_FROM_WEB.replace("\"8080\"", "http");
    assertThat(outcome(named, web, api, 8080)).isEqualTo(IstioVerdict.Outcome.DENY);
  }

  // ---------------------------------------------------------------- IZ7

  private static String peerAuth(String ns, String name, String spec) {
    return "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: "
        + name
        + ", namespace: "
        + ns
        + "}\nspec:\n"
        + spec.indent(2);
  }

  private static final String MESH_STRICT =
      peerAuth("istio-system", "default", "mtls: {mode: STRICT}");

  @Test
  void strictPeerAuthenticationRejectsPlaintextButNotMtls() {
    IstioVerdict v = at(MESH_STRICT, api, Caller.plaintext(legacy), 8080);
    assertThat(v.outcome()).isEqualTo(IstioVerdict.Outcome.DENY);
    assertThat(v.reason()).contains("rejects plaintext").contains("(IZ7");
    assertThat(at(MESH_STRICT, api, Caller.of(web), 8080).outcome())
        .isEqualTo(IstioVerdict.Outcome.ALLOW);
  }

  @Test
  void withoutPeerAuthenticationPlaintextIsAccepted() {
    assertThat(at("", api, Caller.plaintext(legacy), 8080).outcome())
        .isEqualTo(IstioVerdict.Outcome.ALLOW);
  }

  @Test
  void portLevelPermissiveOnAContainerPortAdmitsPlaintextThereOnly() {
    String yaml =
        MESH_STRICT
            + "---\n"
            + peerAuth(
                "shop",
                "api",
                """
        selector: {matchLabels: {app.kubernetes.io/name: api}}
        portLevelMtls: {"8080": {mode: PERMISSIVE}}
        """);
    assertThat(at(yaml, api, Caller.plaintext(legacy), 8080).outcome())
        .isEqualTo(IstioVerdict.Outcome.ALLOW);
    assertThat(at(yaml, api, Caller.plaintext(legacy), 9090).outcome())
        .isEqualTo(IstioVerdict.Outcome.DENY);
    // the Service port 80 is not a container port: a port-level key of 80 opens nothing
    String servicePort = yaml.replace("\"8080\"", "\"80\"");
    assertThat(at(servicePort, api, Caller.plaintext(legacy), 8080).outcome())
        .isEqualTo(IstioVerdict.Outcome.DENY);
  }

  @Test
  void namespacePolicyOverridesTheMeshAndWorkloadPolicyOverridesBoth() {
    String nsPermissive =
        MESH_STRICT + "---\n" + peerAuth("shop", "ns", "mtls: {mode: PERMISSIVE}");
    assertThat(at(nsPermissive, api, Caller.plaintext(legacy), 8080).outcome())
        .isEqualTo(IstioVerdict.Outcome.ALLOW);
    assertThat(at(nsPermissive, db, Caller.plaintext(legacy), 5432).outcome())
        .isEqualTo(IstioVerdict.Outcome.DENY);
    String workloadStrict =
        nsPermissive
            + "---\n"
            + peerAuth(
                "shop",
                "api",
                "selector: {matchLabels: {app.kubernetes.io/name: api}}\nmtls: {mode: STRICT}");
    assertThat(at(workloadStrict, api, Caller.plaintext(legacy), 8080).outcome())
        .isEqualTo(IstioVerdict.Outcome.DENY);
    assertThat(at(workloadStrict, web, Caller.plaintext(legacy), 8080).outcome())
        .isEqualTo(IstioVerdict.Outcome.ALLOW);
  }

  @Test
  void portLevelStrictUnderAPermissiveParentRejectsPlaintextOnThatPort() {
    String yaml =
        peerAuth(
            "shop",
            "api",
            """
        selector: {matchLabels: {app.kubernetes.io/name: api}}
        portLevelMtls: {"9090": {mode: STRICT}}
        """);
    assertThat(at(yaml, api, Caller.plaintext(legacy), 9090).outcome())
        .isEqualTo(IstioVerdict.Outcome.DENY);
    assertThat(at(yaml, api, Caller.plaintext(legacy), 8080).outcome())
        .isEqualTo(IstioVerdict.Outcome.ALLOW);
  }

  @Test
  void oldestPolicyWinsATie() {
    String yaml =
        "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n"
            + "  {name: b-strict, namespace: shop, creationTimestamp: \"2024-01-01T00:00:00Z\"}\n"
            + "spec: {mtls: {mode: STRICT}}\n---\n"
            + "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n"
            + "  {name: a-permissive, namespace: shop, creationTimestamp: \"2025-01-01T00:00:00Z\"}\n"
            + "spec: {mtls: {mode: PERMISSIVE}}\n";
    assertThat(at(yaml, api, Caller.plaintext(legacy), 8080).outcome())
        .isEqualTo(IstioVerdict.Outcome.DENY);
    String newer = yaml.replace("2024", "2026");
    assertThat(at(newer, api, Caller.plaintext(legacy), 8080).outcome())
        .isEqualTo(IstioVerdict.Outcome.ALLOW);
  }

  // ---------------------------------------------------------------- source over SEMANTICS

  @Test
  void trustDomainsMakeZtunnelDropAnAllowRule() {
    // authorization.go reports trustDomains as unsupported; SEMANTICS R6 calls them ignored
    String yaml =
        policy(
            "shop",
            "api",
            """
        selector: {matchLabels: {app.kubernetes.io/name: api}}
        rules: [{from: [{source: {principals: [cluster.local/ns/shop/sa/web], trustDomains: [cluster.local]}}]}]
        """);
    assertThat(outcome(yaml, web, api, 8080)).isEqualTo(IstioVerdict.Outcome.DENY);
    assertThat(outcome(yaml.replace(", trustDomains: [cluster.local]", ""), web, api, 8080))
        .isEqualTo(IstioVerdict.Outcome.ALLOW);
  }

  @Test
  void portLevelStrictUnderAPermissiveWorkloadIsSkippedWhenOnlyTheMeshIsStrict() {
    String workload =
        peerAuth(
            "shop",
            "api",
            """
        selector: {matchLabels: {app.kubernetes.io/name: api}}
        mtls: {mode: PERMISSIVE}
        portLevelMtls: {"9090": {mode: STRICT}}
        """);
    // upstream (Go precedence in convertPeerAuthentication): the STRICT port is not enforced
    assertThat(at(MESH_STRICT + "---\n" + workload, api, Caller.plaintext(legacy), 9090).outcome())
        .isEqualTo(IstioVerdict.Outcome.ALLOW);
    // with a STRICT namespace policy it is
    String withNs = peerAuth("shop", "ns", "mtls: {mode: STRICT}") + "---\n" + workload;
    assertThat(at(withNs, api, Caller.plaintext(legacy), 9090).outcome())
        .isEqualTo(IstioVerdict.Outcome.DENY);
    assertThat(at(withNs, api, Caller.plaintext(legacy), 8080).outcome())
        .isEqualTo(IstioVerdict.Outcome.ALLOW);
  }

  @Test
  void portLevelDisableAloneDoesNotRelaxAStrictParent() {
    String yaml =
        MESH_STRICT
            + "---\n"
            + peerAuth(
                "shop",
                "api",
                """
        selector: {matchLabels: {app.kubernetes.io/name: api}}
        portLevelMtls: {"8080": {mode: DISABLE}}
        """);
    assertThat(at(yaml, api, Caller.plaintext(legacy), 8080).outcome())
        .isEqualTo(IstioVerdict.Outcome.DENY);
    assertThat(
            at(yaml.replace("DISABLE", "PERMISSIVE"), api, Caller.plaintext(legacy), 8080)
                .outcome())
        .isEqualTo(IstioVerdict.Outcome.ALLOW);
  }
}
