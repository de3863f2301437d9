package dev.lattice.crd;

import static dev.lattice.crd.Documents.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CRDs as a user fetches them from a cluster: {@code kubectl get crd NAME -o yaml} (one CRD with
 * the server's metadata and status), {@code kubectl get crd A B -o yaml} (a {@code List}), files of
 * several documents, a single file instead of a directory, and a dump of every CRD of which only
 * some kinds are wanted. Built from the synthetic Widget CRD, so it runs without upstream CRDs.
 */
class ClusterCrdsTest {
  private static final String WIDGET_DOC =
      "apiVersion: test.lattice.dev/v1\nkind: Widget\nmetadata: {name: w, namespace: ns}\n"
          + "spec: {size: 3}\n";

  @TempDir Path dir;

  private static String widgetCrd() throws IOException {
    return Files.readString(Documents.resource("synthetic").resolve("widget.yaml"));
  }

  /** The Widget CRD as a cluster serves it: server-set metadata and a status. */
  private static String served(String crd) {
    return crd.replace(
            "metadata:\n  name: widgets.test.lattice.dev\n",
            "metadata:\n  name: widgets.test.lattice.dev\n  uid: 1b2c\n  resourceVersion: \"4711\"\n"
                + "  generation: 1\n  creationTimestamp: \"2026-01-01T00:00:00Z\"\n"
                + "  managedFields:\n  - manager: helm\n    operation: Update\n")
        + "status:\n  acceptedNames: {kind: Widget, plural: widgets}\n  storedVersions: [v1]\n"
        + "  conditions:\n  - {type: Established, status: \"True\"}\n";
  }

  /** The same CRD under another group and kind: a second, distinct CRD. */
  private static String gadget(String crd) {
    return crd.replace("test.lattice.dev", "gadgets.lattice.dev")
        .replace("kind: Widget", "kind: Gadget")
        .replace("plural: widgets", "plural: gadgets")
        .replace("widgets.", "gadgets.");
  }

  private static String indent(String text, String prefix) {
    return prefix + text.strip().replace("\n", "\n" + prefix.replace("- ", "  ")) + "\n";
  }

  @Test
  void readsWhatKubectlGetCrdPrintsForOneCrd() throws IOException {
    Path file = Files.writeString(dir.resolve("widget.yaml"), served(widgetCrd()));
    CrdConformance crds = CrdConformance.load(dir);
    assertThat(crds.kinds()).containsExactly("Widget.test.lattice.dev");
    assertThat(crds.validate(yaml(WIDGET_DOC))).isEmpty();
    // a single file works as well as its directory
    assertThat(CrdConformance.load(file).kinds()).containsExactly("Widget.test.lattice.dev");
  }

  @Test
  void readsAListOfCrds() throws IOException {
    String list =
        "apiVersion: v1\nkind: List\nmetadata: {resourceVersion: \"\"}\nitems:\n"
            + indent(served(widgetCrd()).replaceAll("(?m)^#.*\n", ""), "- ")
            + indent(served(gadget(widgetCrd())).replaceAll("(?m)^#.*\n", ""), "- ");
    Files.writeString(dir.resolve("crds.yaml"), list);
    CrdConformance crds = CrdConformance.load(dir);
    assertThat(crds.kinds())
        .containsExactly("Gadget.gadgets.lattice.dev", "Widget.test.lattice.dev");
    assertThat(crds.validate(yaml(WIDGET_DOC.replace("size: 3", "size: 0"))))
        .isNotEmpty()
        .allMatch(v -> v.path().startsWith("spec"));
  }

  @Test
  void readsFilesOfSeveralDocuments() throws IOException {
    Files.writeString(
        dir.resolve("all.yaml"), widgetCrd() + "\n---\n" + gadget(widgetCrd()) + "\n---\n");
    assertThat(CrdConformance.load(dir).kinds()).hasSize(2);
  }

  @Test
  void compilesOnlyTheKindsAskedFor() throws IOException {
    // a CRD of another kind that could not be checked faithfully is not held against the dump
    String broken =
        gadget(widgetCrd())
            .replace(
                "type: object\n          properties:",
                "type: object\n" + "          x-lattice-unknown: true\n          properties:");
    Files.writeString(dir.resolve("dump.yaml"), widgetCrd() + "\n---\n" + broken);
    CrdConformance crds = CrdConformance.load(dir, java.util.List.of("Widget.test.lattice.dev"));
    assertThat(crds.kinds()).containsExactly("Widget.test.lattice.dev");
    assertThat(crds.validate(yaml(WIDGET_DOC))).isEmpty();
    // a document of a kind that was not loaded is reported, not passed
    assertThat(
            crds.validate(
                yaml(
                    WIDGET_DOC
                        .replace("test.lattice.dev", "gadgets.lattice.dev")
                        .replace("Widget", "Gadget"))))
        .singleElement()
        .satisfies(v -> assertThat(v.rule()).isEqualTo("unknown-kind"));
    // asked for, it fails loudly
    assertThatThrownBy(() -> CrdConformance.load(dir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("x-lattice-unknown");
  }

  @Test
  void refusesADocumentThatIsNotACrd() throws IOException {
    Files.writeString(
        dir.resolve("crds.yaml"),
        widgetCrd() + "\n---\n" + "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
    assertThatThrownBy(() -> CrdConformance.load(dir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(
            "crds.yaml#2: not a CustomResourceDefinition (kind string \"ConfigMap\")");
  }

  @Test
  void refusesADirectoryWithoutCrds() throws IOException {
    Files.writeString(dir.resolve("notes.txt"), "no CRDs\n");
    assertThatThrownBy(() -> CrdConformance.load(dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no CustomResourceDefinition found in " + dir.toAbsolutePath());
  }
}
