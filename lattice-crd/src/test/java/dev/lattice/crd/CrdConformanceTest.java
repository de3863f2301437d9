package dev.lattice.crd;

import static dev.lattice.crd.Documents.assertRejected;
import static dev.lattice.crd.Documents.at;
import static dev.lattice.crd.Documents.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CrdConformanceTest {
  private static final String CNP_HEAD =
      "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: api, namespace: shop}\n";
  private static final String AP_HEAD =
      "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: api, namespace: shop}\n";

  private static List<Violation> validate(String yaml) {
    return Documents.upstream().validate(yaml(yaml));
  }

  static Stream<JsonNode> validDocuments() throws IOException {
    List<JsonNode> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(Documents.resource("valid"))) {
      for (Path f : files.sorted().collect(Collectors.toList())) {
        all.addAll(Documents.yamlDocuments(f));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("validDocuments")
  void acceptsHandWrittenValidDocuments(JsonNode document) {
    assertThat(Documents.upstream().validate(document)).isEmpty();
  }

  @Test
  void coversEveryUpstreamKindWithAValidDocument() throws IOException {
    List<String> kinds =
        validDocuments()
            .map(
                d ->
                    d.get("kind").asText()
                        + "."
                        + d.get("apiVersion").asText().replaceAll("/.*", ""))
            .distinct()
            .sorted()
            .collect(Collectors.toList());
    assertThat(kinds).containsExactlyElementsOf(Documents.upstream().kinds());
  }

  @Test
  void loadsEveryUpstreamKindWithItsServedVersions() {
    CrdConformance crds = Documents.upstream();
    assertThat(crds.servedVersions("CiliumNetworkPolicy.cilium.io")).containsExactly("v2");
    assertThat(crds.servedVersions("AuthorizationPolicy.security.istio.io"))
        .containsExactlyInAnyOrder("v1", "v1beta1");
    assertThat(crds.servedVersions("ServiceEntry.networking.istio.io"))
        .containsExactlyInAnyOrder("v1", "v1beta1", "v1alpha3");
    assertThat(crds.servedVersions("Gateway.gateway.networking.k8s.io"))
        .containsExactlyInAnyOrder("v1", "v1beta1");
  }

  // ---- document identity and metadata -------------------------------------------------------

  @Test
  void rejectsUnknownKind() {
    List<Violation> v =
        validate(
            "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolice\nmetadata: {name: a, namespace: b}\n");
    assertRejected(
        v, "kind", "unknown-kind", "CiliumNetworkPolice", "CiliumNetworkPolicy.cilium.io");
  }

  @Test
  void rejectsCoreKindsThatHaveNoCrd() {
    List<Violation> v =
        validate("apiVersion: v1\nkind: Service\nmetadata: {name: a, namespace: b}\n");
    assertRejected(v, "kind", "unknown-kind", "\"Service\"");
  }

  @Test
  void rejectsVersionThatIsNotServed() {
    List<Violation> v =
        validate(
            AP_HEAD.replace("security.istio.io/v1", "security.istio.io/v1alpha1") + "spec: {}\n");
    assertRejected(v, "apiVersion", "unserved-version", "v1alpha1", "[v1, v1beta1]");
  }

  @Test
  void acceptsOlderServedVersion() {
    assertThat(
            validate(
                AP_HEAD.replace("security.istio.io/v1", "security.istio.io/v1beta1")
                    + "spec: {}\n"))
        .isEmpty();
  }

  @Test
  void rejectsMissingApiVersionAndKind() {
    List<Violation> v = validate("metadata: {name: a}\n");
    assertRejected(v, "apiVersion", "required");
    assertRejected(v, "kind", "required");
  }

  @Test
  void rejectsNamespaceOnClusterScopedKind() {
    List<Violation> v =
        validate(
            "apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\n"
                + "metadata: {name: deny, namespace: shop}\n"
                + "spec: {endpointSelector: {}, ingress: [{}]}\n");
    assertThat(v).hasSize(1);
    assertRejected(
        v, "metadata.namespace", "forbidden", "cluster-scoped", "CiliumClusterwideNetworkPolicy");
  }

  @Test
  void rejectsMissingNamespaceOnNamespacedKind() {
    List<Violation> v =
        validate(
            "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: a}\nspec: {}\n");
    assertRejected(v, "metadata.namespace", "required", "namespaced");
  }

  @Test
  void rejectsInvalidMetadataName() {
    List<Violation> v = validate(AP_HEAD.replace("name: api", "name: Api_Server") + "spec: {}\n");
    assertRejected(v, "metadata.name", "metadata", "DNS-1123 subdomain", "\"Api_Server\"");
  }

  @Test
  void rejectsMetadataNameLongerThan253Characters() {
    String name = "a".repeat(254);
    List<Violation> v = validate(AP_HEAD.replace("name: api", "name: " + name) + "spec: {}\n");
    assertRejected(v, "metadata.name", "metadata", "254 characters");
    String ok = ("a".repeat(63) + ".").repeat(3) + "a".repeat(61);
    assertThat(ok).hasSize(253);
    assertThat(validate(AP_HEAD.replace("name: api", "name: " + ok) + "spec: {}\n")).isEmpty();
  }

  @Test
  void rejectsMissingMetadataName() {
    List<Violation> v =
        validate(AP_HEAD.replace("name: api, ", "generateName: api-, ") + "spec: {}\n");
    assertRejected(v, "metadata.name", "required");
  }

  @Test
  void rejectsInvalidNamespaceAndLabels() {
    List<Violation> v =
        validate(
            "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\n"
                + "metadata:\n  name: a\n  namespace: shop.prod\n  labels:\n"
                + "    lattice.dev/service: \"-api\"\n    Lattice.dev/x: y\n    ok/a/b: c\n"
                + "    long: "
                + "x".repeat(64)
                + "\n  annotation: oops\nspec: {}\n");
    assertRejected(v, "metadata.namespace", "metadata", "DNS-1123 label");
    assertRejected(v, "metadata.labels[lattice.dev/service]", "metadata", "label value");
    assertRejected(v, "metadata.labels[Lattice.dev/x]", "metadata", "prefix");
    assertRejected(v, "metadata.labels[ok/a/b]", "metadata", "at most one '/'");
    assertRejected(v, "metadata.labels[long]", "metadata", "63");
    assertRejected(v, "metadata.annotation", "unknown-field", "annotations");
  }

  @Test
  void rejectsStatus() {
    List<Violation> v = validate(AP_HEAD + "spec: {}\nstatus: {}\n");
    assertRejected(v, "status", "forbidden", "status");
  }

  @Test
  void rejectsNonObjectDocument() {
    assertThat(Documents.upstream().validate(new com.fasterxml.jackson.databind.node.TextNode("x")))
        .haveExactly(1, at("", "type"));
  }

  // ---- structural schema ---------------------------------------------------------------------

  @Test
  void rejectsWrongType() {
    List<Violation> v =
        validate(
            CNP_HEAD
                + "spec:\n  endpointSelector: {}\n"
                + "  ingress: [{toPorts: [{ports: [{port: 8080, protocol: TCP}]}]}]\n");
    assertRejected(
        v, "spec.ingress[0].toPorts[0].ports[0].port", "type", "expected string", "integer 8080");
  }

  @Test
  void acceptsIntegralFloatForIntegerAsKubernetesDoes() {
    assertThat(
            validate(
                CNP_HEAD
                    + "spec:\n  endpointSelector: {}\n"
                    + "  ingress: [{toPorts: [{ports: [{port: \"80\", endPort: 90.0, protocol: TCP}]}]}]\n"))
        .isEmpty();
    List<Violation> v =
        validate(
            CNP_HEAD
                + "spec:\n  endpointSelector: {}\n"
                + "  ingress: [{toPorts: [{ports: [{port: \"80\", endPort: 90.5, protocol: TCP}]}]}]\n");
    assertRejected(
        v,
        "spec.ingress[0].toPorts[0].ports[0].endPort",
        "type",
        "expected integer",
        "number 90.5");
  }

  @Test
  void rejectsMissingRequiredField() {
    List<Violation> v =
        validate(
            CNP_HEAD
                + "spec:\n  endpointSelector:\n    matchExpressions: [{key: app, values: [a]}]\n"
                + "  ingress: [{}]\n");
    assertRejected(v, "spec.endpointSelector.matchExpressions[0].operator", "required", "operator");
  }

  @Test
  void rejectsUnknownField() {
    List<Violation> v =
        validate(
            CNP_HEAD + "spec:\n  endpointSelector: {}\n" + "  ingress: [{fromendpoints: [{}]}]\n");
    assertRejected(
        v, "spec.ingress[0].fromendpoints", "unknown-field", "did you mean 'fromEndpoints'");
  }

  @Test
  void suggestsTheKnownFieldForATypoAsLatticeDoes() {
    // the same did-you-mean rule as Lattice's spec reader: a swap of neighbours is one edit
    List<Violation> v =
        validate(
            CNP_HEAD + "spec:\n  endpointSelector: {}\n" + "  ingress: [{fromEndpionts: [{}]}]\n");
    assertRejected(
        v, "spec.ingress[0].fromEndpionts", "unknown-field", "did you mean 'fromEndpoints'");
    List<Violation> far =
        validate(CNP_HEAD + "spec:\n  endpointSelector: {}\n" + "  ingress: [{sources: [{}]}]\n");
    assertThat(far)
        .singleElement()
        .satisfies(x -> assertThat(x.message()).doesNotContain("did you mean"));
  }

  @Test
  void rejectsUnknownTopLevelField() {
    List<Violation> v = validate(AP_HEAD + "spec: {}\nspecs: []\n");
    assertRejected(v, "specs", "unknown-field", "spec");
  }

  @Test
  void rejectsEnumViolation() {
    List<Violation> v =
        validate(
            CNP_HEAD
                + "spec:\n  endpointSelector: {}\n"
                + "  egress: [{toEntities: [world], toPorts: [{ports: [{port: \"443\", protocol: TPC}]}]}]\n");
    assertRejected(
        v,
        "spec.egress[0].toPorts[0].ports[0].protocol",
        "enum",
        "[TCP, UDP, SCTP, ANY]",
        "\"TPC\"");
  }

  @Test
  void rejectsPatternViolation() {
    List<Violation> v =
        validate(
            CNP_HEAD
                + "spec:\n  endpointSelector: {}\n"
                + "  egress: [{toFQDNs: [{matchName: \"api example.com\"}]}]\n");
    assertRejected(v, "spec.egress[0].toFQDNs[0].matchName", "pattern", "\"api example.com\"");
  }

  @Test
  void rejectsMaxLengthAndMaximum() {
    List<Violation> v =
        validate(
            CNP_HEAD
                + "spec:\n  endpointSelector: {matchLabels: {app: "
                + "a".repeat(64)
                + "}}\n"
                + "  ingress: [{toPorts: [{ports: [{port: \"80\", endPort: 70000}]}]}]\n");
    assertRejected(
        v, "spec.endpointSelector.matchLabels[app]", "maxLength", "at most 63", "found 64");
    assertRejected(
        v, "spec.ingress[0].toPorts[0].ports[0].endPort", "maximum", "<= 65535", "70000");
  }

  @Test
  void rejectsMalformedCidr() {
    List<Violation> v =
        validate(
            CNP_HEAD
                + "spec:\n  endpointSelector: {}\n"
                + "  egress: [{toCIDRSet: [{cidr: 10.0.0.0/33}]}]\n");
    assertRejected(v, "spec.egress[0].toCIDRSet[0].cidr", "format", "CIDR", "10.0.0.0/33");
  }

  @Test
  void rejectsBothEndpointSelectorAndNodeSelector() {
    List<Violation> v =
        validate(CNP_HEAD + "spec:\n  endpointSelector: {}\n  nodeSelector: {}\n  ingress: [{}]\n");
    assertRejected(
        v, "spec", "oneOf", "exactly one of", "endpointSelector", "nodeSelector", "found 2");
  }

  @Test
  void rejectsNeitherEndpointSelectorNorNodeSelector() {
    List<Violation> v = validate(CNP_HEAD + "spec:\n  ingress: [{}]\n");
    assertRejected(v, "spec", "oneOf", "found none");
  }

  @Test
  void rejectsCiliumPolicyWithoutAnyRuleSection() {
    List<Violation> v =
        validate(CNP_HEAD + "spec:\n  endpointSelector: {matchLabels: {app: api}}\n");
    assertRejected(v, "spec", "anyOf", "ingress", "ingressDeny", "egress", "egressDeny");
  }

  @Test
  void rejectsToFqdnsEntryWithBothMatchNameAndMatchPattern() {
    List<Violation> v =
        validate(
            CNP_HEAD
                + "spec:\n  endpointSelector: {}\n"
                + "  egress: [{toFQDNs: [{matchName: a.com, matchPattern: \"*.a.com\"}]}]\n");
    assertRejected(v, "spec.egress[0].toFQDNs[0]", "oneOf", "matchName", "matchPattern");
  }

  @Test
  void checksSpecsListLikeSpec() {
    List<Violation> v =
        validate(
            CNP_HEAD
                + "specs:\n  - endpointSelector: {}\n    ingress: [{}]\n"
                + "  - endpointSelector: {}\n");
    assertRejected(v, "specs[1]", "anyOf");
  }

  @Test
  void rejectsDuplicateMapListKeysAndAppliesListRules() {
    List<Violation> v =
        validate(
            "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n"
                + "metadata: {name: waypoint, namespace: shop}\n"
                + "spec:\n  gatewayClassName: istio-waypoint\n  listeners:\n"
                + "    - {name: mesh, port: 15008, protocol: HBONE}\n    - {name: mesh, port: 15009, protocol: HBONE}\n");
    assertRejected(v, "spec.listeners[1]", "x-kubernetes-list-type", "name=\"mesh\"");
    assertRejected(v, "spec.listeners", "x-kubernetes-validations", "Listener name must be unique");
  }

  @Test
  void appliesDefaultsBeforeCelRules() {
    String head =
        "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n"
            + "metadata: {name: gw, namespace: shop}\nspec:\n  gatewayClassName: istio\n  listeners:\n";
    // tls.mode defaults to Terminate, which then needs certificateRefs or options.
    List<Violation> v =
        validate(head + "    - {name: https, port: 443, protocol: HTTPS, tls: {}}\n");
    assertRejected(
        v, "spec.listeners[0].tls", "x-kubernetes-validations", "certificateRefs or options");
    assertThat(
            validate(
                head
                    + "    - {name: https, port: 443, protocol: HTTPS, tls: {certificateRefs: [{name: cert}]}}\n"))
        .isEmpty();
  }

  @Test
  void doesNotModifyTheDocument() {
    ObjectNode doc =
        yaml(
            "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n"
                + "metadata: {name: gw, namespace: shop}\nspec:\n  gatewayClassName: istio\n  listeners:\n"
                + "    - {name: https, port: 443, protocol: HTTPS, tls: {certificateRefs: [{name: cert}]}}\n");
    ObjectNode copy = doc.deepCopy();
    assertThat(Documents.upstream().validate(doc)).isEmpty();
    assertThat(doc).isEqualTo(copy);
  }

  // ---- CEL -----------------------------------------------------------------------------------

  @Test
  void rejectsSelectorTogetherWithTargetRefsThroughCel() {
    List<Violation> v =
        validate(
            AP_HEAD
                + "spec:\n  selector: {matchLabels: {app: api}}\n"
                + "  targetRefs: [{group: \"\", kind: Service, name: api}]\n");
    assertRejected(
        v, "spec", "x-kubernetes-validations", "only one of targetRefs or selector can be set");
    assertRejected(v, "spec", "controller-check", "mutually exclusive");
  }

  @Test
  void rejectsWildcardHostWhereCelForbidsIt() {
    List<Violation> v =
        validate(
            "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\n"
                + "metadata: {name: any, namespace: shop}\n"
                + "spec:\n  hosts: [\"*\"]\n  location: MESH_EXTERNAL\n  resolution: DNS\n"
                + "  ports: [{number: 443, name: https, protocol: TLS}]\n");
    assertThat(v).hasSize(1);
    assertRejected(v, "spec.hosts[0]", "x-kubernetes-validations", "hostname cannot be wildcard");
  }

  @Test
  void rejectsServiceEntryPortOutOfRangeThroughCel() {
    List<Violation> v =
        validate(
            "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\n"
                + "metadata: {name: ext, namespace: shop}\n"
                + "spec:\n  hosts: [a.example.com]\n  resolution: NONE\n  endpoints: [{address: 1.2.3.4}]\n"
                + "  ports: [{number: 0, name: https, protocol: TLS}]\n");
    assertRejected(
        v, "spec.ports[0].number", "x-kubernetes-validations", "port must be between 1-65535");
    assertRejected(v, "spec", "x-kubernetes-validations", "NONE mode cannot set endpoints");
  }

  @Test
  void rejectsPortLevelMtlsWithoutSelector() {
    List<Violation> v =
        validate(
            "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\n"
                + "metadata: {name: default, namespace: shop}\n"
                + "spec:\n  mtls: {mode: STRICT}\n  portLevelMtls:\n    \"0\": {mode: PERMISSIVE}\n");
    assertRejected(v, "spec", "x-kubernetes-validations", "portLevelMtls requires selector");
    assertRejected(
        v, "spec.portLevelMtls", "x-kubernetes-validations", "port must be between 1-65535");
    assertRejected(v, "spec.portLevelMtls", "controller-check", "selector");
    assertRejected(v, "spec.portLevelMtls[0]", "controller-check", "1..65535");
  }

  @Test
  void rejectsWildcardSelectorLabelThroughCel() {
    List<Violation> v = validate(AP_HEAD + "spec:\n  selector: {matchLabels: {app: \"api*\"}}\n");
    assertRejected(
        v, "spec.selector.matchLabels[app]", "x-kubernetes-validations", "wildcard not allowed");
  }

  // ---- controller checks: Cilium -------------------------------------------------------------

  @Test
  void rejectsCiliumPortAbove65535ThatThePatternLetsThrough() {
    List<Violation> v =
        validate(
            CNP_HEAD
                + "spec:\n  endpointSelector: {}\n"
                + "  ingress: [{toPorts: [{ports: [{port: \"70000\", protocol: TCP}]}]}]\n");
    assertThat(v).hasSize(1);
    assertRejected(
        v, "spec.ingress[0].toPorts[0].ports[0].port", "controller-check", "1..65535", "\"70000\"");
  }

  @Test
  void acceptsCiliumPortZeroAndNamedPorts() {
    assertThat(
            validate(
                CNP_HEAD
                    + "spec:\n  endpointSelector: {}\n"
                    + "  ingress: [{toPorts: [{ports: [{port: \"0\"}, {port: http-alt, protocol: TCP}, {port: \"65535\"}]}]}]\n"))
        .isEmpty();
  }

  @Test
  void rejectsCiliumPortWithLeadingZeroAndEndPortBelowPort() {
    List<Violation> v =
        validate(
            CNP_HEAD
                + "spec:\n  endpointSelector: {}\n"
                + "  ingress: [{toPorts: [{ports: [{port: \"080\"}, {port: \"9000\", endPort: 8000}]}]}]\n");
    assertRejected(
        v, "spec.ingress[0].toPorts[0].ports[0].port", "controller-check", "leading zero");
    assertRejected(
        v, "spec.ingress[0].toPorts[0].ports[1].endPort", "controller-check", "8000", "9000");
  }

  @Test
  void rejectsCiliumPortEntryWithoutPort() {
    List<Violation> v =
        validate(
            CNP_HEAD
                + "spec:\n  endpointSelector: {}\n"
                + "  ingress: [{toPorts: [{ports: [{protocol: TCP}]}]}]\n");
    assertRejected(
        v,
        "spec.ingress[0].toPorts[0].ports[0].port",
        "controller-check",
        "Port must be specified");
    assertRejected(v, "spec.ingress[0].toPorts[0].ports[0].port", "required");
  }

  @Test
  void rejectsTwoKindsOfPeerInOneCiliumRuleElement() {
    List<Violation> v =
        validate(
            CNP_HEAD
                + "spec:\n  endpointSelector: {}\n"
                + "  ingress:\n    - fromEndpoints: [{matchLabels: {app: web}}]\n      fromCIDRSet: [{cidr: 10.0.0.0/8}]\n");
    assertThat(v).hasSize(1);
    assertRejected(v, "spec.ingress[0]", "controller-check", "fromEndpoints and fromCIDRSet", "R1");
  }

  @Test
  void rejectsToFqdnsWithAnotherPeer() {
    List<Violation> v =
        validate(
            CNP_HEAD
                + "spec:\n  endpointSelector: {}\n"
                + "  egress:\n    - toEndpoints: [{}]\n      toFQDNs: [{matchName: a.example.com}]\n");
    assertRejected(v, "spec.egress[0]", "controller-check", "toEndpoints and toFQDNs", "C13");
  }

  @Test
  void rejectsL7RulesOnNonTcpOrAllPorts() {
    List<Violation> v =
        validate(
            CNP_HEAD
                + "spec:\n  endpointSelector: {}\n  ingress:\n"
                + "    - toPorts: [{ports: [{port: \"8080\"}], rules: {http: [{method: GET}]}}]\n"
                + "    - toPorts: [{ports: [{port: \"0\", protocol: TCP}], rules: {http: [{method: GET}]}}]\n");
    assertRejected(
        v, "spec.ingress[0].toPorts[0].ports[0].protocol", "controller-check", "TCP", "ANY");
    assertRejected(v, "spec.ingress[1].toPorts[0].rules", "controller-check", "port \"0\"");
  }

  @Test
  void acceptsDnsRulesOnAnyProtocolButNotOnIngress() {
    List<Violation> v =
        validate(
            CNP_HEAD
                + "spec:\n  endpointSelector: {}\n  ingress:\n"
                + "    - toPorts: [{ports: [{port: \"53\", protocol: UDP}], rules: {dns: [{matchPattern: \"*\"}]}}]\n");
    assertThat(v).hasSize(1);
    assertRejected(v, "spec.ingress[0].toPorts[0].rules.dns", "controller-check", "ingress");
  }

  @Test
  void rejectsCiliumPolicyWithoutSpecOrSpecs() {
    List<Violation> v = validate(CNP_HEAD);
    assertThat(v).hasSize(1);
    assertRejected(v, "spec", "controller-check", "empty policy");
  }

  @Test
  void rejectsDnsRulesOnAPortRange() {
    List<Violation> v =
        validate(
            CNP_HEAD
                + "spec:\n  endpointSelector: {}\n  egress:\n"
                + "    - toPorts: [{ports: [{port: \"53\", endPort: 54, protocol: UDP}], rules: {dns: [{matchName: a.com}]}}]\n");
    assertRejected(
        v, "spec.egress[0].toPorts[0].ports[0].endPort", "controller-check", "port ranges");
  }

  @Test
  void rejectsExceptOutsideCidr() {
    List<Violation> v =
        validate(
            CNP_HEAD
                + "spec:\n  endpointSelector: {}\n"
                + "  egress: [{toCIDRSet: [{cidr: 10.0.0.0/8, except: [192.168.0.0/16]}]}]\n");
    assertRejected(v, "spec.egress[0].toCIDRSet[0].except[0]", "controller-check", "not inside");
  }

  // ---- controller checks: Istio --------------------------------------------------------------

  @Test
  void rejectsEmptyPrincipal() {
    List<Violation> v =
        validate(
            AP_HEAD
                + "spec:\n  rules:\n"
                + "    - from: [{source: {principals: [\"cluster.local/ns/shop/sa/web\", \"\"]}}]\n");
    assertThat(v).hasSize(1);
    assertRejected(
        v, "spec.rules[0].from[0].source.principals[1]", "controller-check", "empty", "principals");
  }

  @Test
  void rejectsEmptyStringsAndBadPortsInOperations() {
    List<Violation> v =
        validate(
            AP_HEAD
                + "spec:\n  rules:\n"
                + "    - to: [{operation: {ports: [\"70000\", \"\"], methods: [\"\"], paths: [\"/a/{name}/{*}\"]}}]\n");
    assertRejected(
        v, "spec.rules[0].to[0].operation.ports[0]", "controller-check", "1..65535", "70000");
    assertRejected(v, "spec.rules[0].to[0].operation.ports[1]", "controller-check", "empty");
    assertRejected(v, "spec.rules[0].to[0].operation.methods[0]", "controller-check", "empty");
    assertRejected(
        v, "spec.rules[0].to[0].operation.paths[0]", "controller-check", "path template");
  }

  @Test
  void rejectsEmptySourceAndOperationAndDenyWithoutRules() {
    List<Violation> v = validate(AP_HEAD + "spec:\n  action: DENY\n");
    assertRejected(v, "spec.rules", "controller-check", "DENY");
    v =
        validate(
            AP_HEAD
                + "spec:\n  rules: [{from: [{source: {}}], to: [{operation: {}}], when: [{key: foo.bar, values: [x]}]}]\n");
    assertRejected(v, "spec.rules[0].from[0].source", "controller-check", "must not be empty");
    assertRejected(v, "spec.rules[0].to[0].operation", "controller-check", "must not be empty");
    assertRejected(v, "spec.rules[0].when[0].key", "controller-check", "unknown condition key");
  }

  @Test
  void rejectsTargetRefToUnsupportedKind() {
    List<Violation> v =
        validate(AP_HEAD + "spec:\n  targetRefs: [{group: apps, kind: Deployment, name: api}]\n");
    assertRejected(v, "spec.targetRefs[0]", "controller-check", "Deployment");
  }

  // ---- sharing -------------------------------------------------------------------------------

  @Test
  void validatesConcurrentlyWithOneLoadedInstance() throws IOException {
    CrdConformance crds = Documents.upstream();
    List<JsonNode> docs = validDocuments().collect(Collectors.toList());
    ObjectNode bad =
        yaml(
            CNP_HEAD
                + "spec:\n  endpointSelector: {}\n"
                + "  ingress: [{toPorts: [{ports: [{port: \"70000\"}]}]}]\n");
    List<List<Violation>> results =
        java.util.stream.IntStream.range(0, 400)
            .parallel()
            .mapToObj(i -> crds.validate(i % 10 == 0 ? bad : docs.get(i % docs.size())))
            .collect(Collectors.toList());
    for (int i = 0; i < results.size(); i++) {
      if (i % 10 == 0) {
        assertThat(results.get(i)).hasSize(1);
      } else {
        assertThat(results.get(i)).isEmpty();
      }
    }
  }

  @Test
  void printsViolationsReadably() {
    List<Violation> v =
        validate(
            CNP_HEAD
                + "spec:\n  endpointSelector: {}\n"
                + "  ingress: [{toPorts: [{ports: [{port: \"70000\"}]}]}]\n");
    assertThat(v.get(0).toString())
        .startsWith(
            "spec.ingress[0].toPorts[0].ports[0].port: [controller-check] expected a port 1..65535");
  }
}
