package dev.lattice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.lattice.crd.testing.UpstreamCrds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lattice check --crds DIR}: the rendered documents against the CRDs a user fetched from
 * their cluster, in the shapes {@code kubectl get crd ... -o yaml} prints, with each violation
 * named by document, field and rule. Runs in-process; {@link LatticeJarTest} runs one case through
 * the shipped jar. Built from the upstream CRDs ({@link UpstreamCrds}), skipped without them.
 */
class CheckCrdsTest {
  @TempDir Path root;
  Path specs;
  Path upstream;

  @BeforeEach
  void setUp() {
    upstream = UpstreamCrds.require();
    specs = Fixtures.shop(root);
  }

  private Run lattice(Object... args) {
    return new MainTest().lattice(CommandContract.strings(args));
  }

  /** The upstream CRD files, read whole. */
  private List<String> upstreamCrds() throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(upstream)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        String text = Files.readString(f, StandardCharsets.UTF_8);
        if (text.contains("kind: CustomResourceDefinition")) {
          out.add(text);
        }
      }
    }
    return out;
  }

  /** What {@code kubectl get crd A B ... -o yaml} prints: a List, with the server's fields. */
  private static String kubectlList(List<String> crds) throws IOException {
    YAMLMapper yaml = new YAMLMapper();
    ObjectNode list = yaml.createObjectNode().put("apiVersion", "v1").put("kind", "List");
    ArrayNode items = list.putArray("items");
    for (String crd : crds) {
      ObjectNode item = (ObjectNode) yaml.readTree(crd);
      ((ObjectNode) item.get("metadata"))
          .put("resourceVersion", "812")
          .put("uid", "5d1e")
          .put("generation", 3)
          .putArray("managedFields")
          .addObject()
          .put("manager", "helm")
          .put("operation", "Update");
      item.putObject("status").putArray("storedVersions").add("v1");
      items.add(item);
    }
    list.putObject("metadata").put("resourceVersion", "");
    return yaml.writeValueAsString(list);
  }

  @Test
  void passesEveryDocumentAgainstTheUpstreamCrds() {
    Run run = lattice("check", "--crds", upstream, specs).exits(Main.OK).printsNothing();
    assertThat(run.err())
        .matches("ok: 3 services, 2 agreements; \\d+ documents pass the CRDs in .*\n");
  }

  @Test
  void readsTheCrdsAsKubectlPrintsThemFromACluster() throws IOException {
    Path cluster = Files.createDirectories(root.resolve("cluster"));
    // the whole dump in one List, plus a CRD of a kind Lattice never renders
    List<String> crds = new ArrayList<>(upstreamCrds());
    Files.writeString(cluster.resolve("crds.yaml"), kubectlList(crds));
    Files.writeString(
        cluster.resolve("other.yaml"),
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
            + "metadata: {name: certificates.cert-manager.io}\n"
            + "spec:\n  group: cert-manager.io\n  names: {kind: Certificate, plural: certificates}\n"
            + "  scope: Namespaced\n  versions:\n  - name: v1\n    served: true\n    storage: true\n"
            + "    schema:\n      openAPIV3Schema: {type: object, x-not-checked: true}\n");
    Run run = lattice("check", "--crds", cluster, specs).exits(Main.OK).printsNothing();
    assertThat(run.err()).contains("documents pass the CRDs in " + cluster);
  }

  @Test
  void reportsEachDocumentAnOlderClusterWouldReject() throws IOException {
    // a cluster whose AuthorizationPolicy CRD no longer serves security.istio.io/v1
    Path cluster = Files.createDirectories(root.resolve("old-istio"));
    for (String crd : upstreamCrds()) {
      String text =
          crd.contains("kind: AuthorizationPolicy")
              ? crd.replaceFirst(
                  "served: true\n    storage: true", "served: false\n    storage: false")
              : crd;
      Files.writeString(cluster.resolve(Math.abs(text.hashCode()) + ".yaml"), text);
    }
    Run run = lattice("check", "--crds", cluster, specs).exits(Main.SPEC_ERRORS).printsNothing();
    run.showsNoStackTrace();
    assertThat(run.errLines())
        .contains(
            "AuthorizationPolicy istio-system/lattice-default-deny apiVersion:"
                + " error[unserved-version]: AuthorizationPolicy (security.istio.io) serves versions"
                + " [v1beta1], found \"v1\" (defined but not served)")
        .last()
        .asString()
        .matches("\\d+ of \\d+ documents would be rejected by the CRDs in .*");
    assertThat(run.errLines())
        .filteredOn(l -> l.contains("error["))
        .allMatch(l -> l.startsWith("AuthorizationPolicy "));
  }

  @Test
  void reportsAKindTheClusterHasNoCrdFor() throws IOException {
    Path cluster = Files.createDirectories(root.resolve("no-gateway-api"));
    for (String crd : upstreamCrds()) {
      if (!crd.contains("kind: Gateway\n")) {
        Files.writeString(cluster.resolve(Math.abs(crd.hashCode()) + ".yaml"), crd);
      }
    }
    Run run = lattice("check", "--crds", cluster, specs).exits(Main.SPEC_ERRORS);
    assertThat(run.errLines())
        .anyMatch(l -> l.startsWith("Gateway shop/waypoint kind: error[unknown-kind]: no CRD in "));
  }

  @Test
  void refusesCrdsItCannotRead() throws IOException {
    lattice("check", "--crds", root.resolve("nowhere"), specs)
        .isUsageError()
        .errLines()
        .contains("lattice: --crds " + root.resolve("nowhere") + ": no such file or directory");
    Path empty = Files.createDirectories(root.resolve("empty"));
    Run none = lattice("check", "--crds", empty, specs).isUsageError();
    assertThat(none.err()).contains("no CustomResourceDefinition found in");
    Path bad = Files.createDirectories(root.resolve("bad"));
    Files.writeString(
        bad.resolve("x.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
    Files.writeString(bad.resolve("y.yaml"), upstreamCrds().get(0));
    Run notCrd = lattice("check", "--crds", bad, specs).isUsageError();
    assertThat(notCrd.err()).contains("x.yaml: not a CustomResourceDefinition");
  }

  @Test
  void specErrorsComeFirstAndNothingIsRendered() {
    Fixtures.write(specs, "typo.yaml", Fixtures.UNKNOWN_FIELD);
    Run run = lattice("check", "--crds", upstream, specs).exits(Main.SPEC_ERRORS).printsNothing();
    assertThat(run.err()).contains("error[spec-unknown-field]").doesNotContain("documents");
  }
}
