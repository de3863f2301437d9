package dev.lattice.spec;

import static dev.lattice.spec.Diags.single;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.diagnostics.DiagnosticCode;
import dev.lattice.graph.ServiceGraph;
import dev.lattice.model.Service;
import dev.lattice.model.SourceLocation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link Specs#read}: a spec as a Kubernetes API server returns it (a Jackson tree, no lines) reads
 * exactly as the same spec written in YAML, and its diagnostics name the object it came from.
 */
class SpecTreeTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String ORIGIN = "LatticeService shop/api (resourceVersion 4711)";

  /** Booleans, nulls, lists and a mesh member, which the test files lack. */
  private static final String MORE =
      """
      apiVersion: lattice.dev/v1alpha1
      kind: LatticeService
      metadata: {name: batch, namespace: jobs}
      spec:
        ambient: false
        allowPeerTraffic: true
        serviceAccount: runner
        selector: {app: batch, tier: ~}
        workload:
          service:
            serviceType: NodePort
            ports:
              metrics: {port: 9090, protocol: TCP, exposedTo: [10.0.0.0/8]}
          resources:
            api: {namespace: shop, params: {ports: [http], http: [{methods: [GET], paths: [/x]}]}}
            stripe: {type: external-service, params: {endpoints: {api: "https://api.stripe.com"}}}
            volume: {type: volume, size: 1.5}
      ---
      apiVersion: lattice.dev/v1alpha1
      kind: LatticeMeshMember
      metadata: {name: gw, namespace: edge}
      spec:
        target: {selector: {app: gw}}
        ambient: true
        dependsAll: true
        ports: [{port: 8443, name: https, peerAuth: PERMISSIVE, exposedTo: [world]}]
        allowedCallers: [{name: "*"}]
        egress: [{target: {entity: kube-apiserver}, ports: [443], protocol: TCP}]
      """;

  @Test
  void readsEveryTestSpecAsTheYamlLoaderDoes() throws IOException {
    Path more = Files.createTempFile("more", ".yaml");
    Files.writeString(more, MORE);
    List<Path> files;
    try (Stream<Path> s = Files.walk(Path.of("src/test/resources/spec"))) {
      files =
          s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
              .filter(p -> !p.toString().contains("/."))
              .sorted()
              .collect(java.util.stream.Collectors.toCollection(ArrayList::new));
    }
    files.add(more);
    int documents = 0;
    int compared = 0;
    for (Path file : files) {
      List<JsonNode> trees = new ArrayList<>();
      try (MappingIterator<JsonNode> it =
          YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
        it.forEachRemaining(trees::add);
      }
      for (JsonNode tree : trees) {
        if (!tree.isObject()) {
          continue;
        }
        SpecResult fromYaml = Specs.parse("doc.yaml", YAML.writeValueAsString(tree));
        SpecResult fromTree = Specs.read("doc", tree);
        assertThat(codesAndPaths(fromTree.diagnostics()))
            .as("%s", file)
            .isEqualTo(codesAndPaths(fromYaml.diagnostics()));
        // the locations differ by construction (an object vs lines of a text); nothing else may
        assertThat(services(fromTree))
            .as("%s", file)
            .usingRecursiveComparison()
            .ignoringFieldsMatchingRegexes("(.*\\.)?source")
            .isEqualTo(services(fromYaml));
        assertThat(services(fromTree)).as("%s", file).hasSameSizeAs(services(fromYaml));
        compared += services(fromTree).size();
        documents++;
      }
    }
    Files.delete(more);
    assertThat(documents).isGreaterThan(5);
    assertThat(compared).isGreaterThan(5);
  }

  @Test
  void namesTheObjectInDiagnosticsAndLocations() throws IOException {
    JsonNode tree =
        YAML.readTree(
            """
            apiVersion: lattice.dev/v1alpha1
            kind: LatticeService
            metadata: {name: api, namespace: shop, resourceVersion: "4711", uid: x}
            spec:
              workload:
                service:
                  ports:
                    http: {port: 8080}
                resources:
                  web: {direciton: inbound}
            status: {accepted: true}
            """);
    SpecResult r = Specs.read(ORIGIN, tree);
    Diagnostic d = single(r, DiagnosticCode.SPEC_UNKNOWN_FIELD);
    assertThat(d.location()).hasValue(SourceLocation.of(ORIGIN));
    assertThat(d.path()).isEqualTo("shop/api.spec.workload.resources[web].direciton");
    assertThat(d.toString())
        .startsWith(ORIGIN + ": shop/api.spec.workload.resources[web].direciton: error[")
        .contains("did you mean direction?");

    // a clean object: the service is located at the object, so resolution names it too
    ((ObjectNode) tree.path("spec").path("workload").path("resources").path("web"))
        .remove("direciton");
    ServiceGraph g = Specs.read(ORIGIN, tree).orThrow();
    assertThat(g.services())
        .singleElement()
        .satisfies(s -> assertThat(s.source()).hasValue(SourceLocation.of(ORIGIN)));
    assertThat(g.resolve().diagnostics())
        .anySatisfy(x -> assertThat(x.toString()).startsWith(ORIGIN + ": shop/api"));
  }

  @Test
  void keepsTheTypesTheServerReturns() throws IOException {
    // "8080" is text in the tree (a quoted YAML scalar): a wrong type, as in a file
    JsonNode tree =
        YAML.readTree(
            """
            apiVersion: lattice.dev/v1alpha1
            kind: LatticeService
            metadata: {name: api, namespace: shop}
            spec: {workload: {service: {ports: {http: {port: "8080"}}}}}
            """);
    assertThat(single(Specs.read(ORIGIN, tree), DiagnosticCode.SPEC_TYPE).path())
        .isEqualTo("shop/api.spec.workload.service.ports[http].port");
  }

  @Test
  void refusesATreeNestedPastTheLoadersLimit() {
    ObjectNode root = YAML.createObjectNode();
    ObjectNode n = root.put("apiVersion", "lattice.dev/v1alpha1").put("kind", "LatticeService");
    for (int i = 0; i < 80; i++) {
      n = n.putObject("spec");
    }
    SpecResult r = Specs.read(ORIGIN, root);
    assertThat(r.hasErrors()).isTrue();
    assertThat(single(r, DiagnosticCode.YAML_TOO_LARGE).message()).contains("deeper than 64");
  }

  private static List<String> codesAndPaths(List<Diagnostic> diagnostics) {
    return diagnostics.stream().map(d -> d.code().id() + " " + d.path()).sorted().toList();
  }

  private static List<Service> services(SpecResult r) {
    return r.graph().map(ServiceGraph::services).orElse(List.of());
  }
}
