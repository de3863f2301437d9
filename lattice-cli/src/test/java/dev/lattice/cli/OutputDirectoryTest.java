package dev.lattice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.output.Manifest;
import dev.lattice.output.Resource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link OutputDirectory}: one file per resource, pruning only what it wrote, nothing outside. */
class OutputDirectoryTest {
  @TempDir Path dir;

  private static Resource policy(String namespace, String name) {
    ObjectNode doc = JsonNodeFactory.instance.objectNode();
    doc.put("apiVersion", "cilium.io/v2");
    doc.put("kind", namespace.isEmpty() ? "CiliumClusterwideNetworkPolicy" : "CiliumNetworkPolicy");
    ObjectNode metadata = doc.putObject("metadata");
    metadata.putObject("labels").put("app.kubernetes.io/managed-by", "lattice");
    metadata.put("name", name);
    if (!namespace.isEmpty()) {
      metadata.put("namespace", namespace);
    }
    doc.putObject("spec").putObject("endpointSelector");
    return Resource.of(doc);
  }

  private static Manifest manifest(Resource... resources) {
    return Manifest.of(List.of(resources));
  }

  @Test
  void namesEachFileAfterNamespaceKindAndName() throws IOException {
    OutputDirectory.write(dir, manifest(policy("", "deny"), policy("shop", "api")), "yaml");
    assertThat(CommandContract.resourceFiles(dir))
        .containsExactly(
            "_cluster/ciliumclusterwidenetworkpolicy-deny.yaml",
            "shop/ciliumnetworkpolicy-api.yaml");
    assertThat(Files.readString(dir.resolve("shop/ciliumnetworkpolicy-api.yaml")))
        .isEqualTo(policy("shop", "api").toYaml());
    assertThat(Files.readString(dir.resolve(OutputDirectory.INDEX)))
        .isEqualTo(
            "_cluster/ciliumclusterwidenetworkpolicy-deny.yaml\nshop/ciliumnetworkpolicy-api.yaml\n");
  }

  @Test
  void prunesOnlyFilesItsIndexLists() throws IOException {
    OutputDirectory.write(dir, manifest(policy("shop", "api"), policy("shop", "web")), "yaml");
    Files.writeString(dir.resolve("shop/ciliumnetworkpolicy-mine.yaml"), "# mine\n");
    List<String> deleted = OutputDirectory.write(dir, manifest(policy("shop", "api")), "yaml");
    assertThat(deleted).containsExactly("shop/ciliumnetworkpolicy-web.yaml");
    assertThat(CommandContract.resourceFiles(dir))
        .containsExactly("shop/ciliumnetworkpolicy-api.yaml", "shop/ciliumnetworkpolicy-mine.yaml");
  }

  @Test
  void removesANamespaceDirectoryItEmptiedButNotOneWithOtherFiles() throws IOException {
    OutputDirectory.write(dir, manifest(policy("a", "x"), policy("b", "y")), "yaml");
    Files.writeString(dir.resolve("b/notes.txt"), "kept\n");
    OutputDirectory.write(dir, manifest(policy("c", "z")), "yaml");
    assertThat(dir.resolve("a")).doesNotExist();
    assertThat(dir.resolve("b")).isDirectory();
    assertThat(dir.resolve("b/notes.txt")).exists();
    assertThat(dir.resolve("b/ciliumnetworkpolicy-y.yaml")).doesNotExist();
  }

  @Test
  void neverDeletesOutsideTheDirectoryWhateverTheIndexSays() throws IOException {
    Path outside = Files.writeString(dir.resolve("victim.yaml"), "precious\n");
    Path out = Files.createDirectories(dir.resolve("out"));
    Files.writeString(
        out.resolve(OutputDirectory.INDEX),
        "../victim.yaml\n" + outside.toAbsolutePath() + "\nshop/../../victim.yaml\n",
        StandardCharsets.UTF_8);
    List<String> deleted = OutputDirectory.write(out, manifest(policy("shop", "api")), "yaml");
    assertThat(deleted).isEmpty();
    assertThat(outside).hasContent("precious");
  }

  @Test
  void switchingToJsonReplacesTheYamlFiles() throws IOException {
    OutputDirectory.write(dir, manifest(policy("shop", "api")), "yaml");
    List<String> deleted = OutputDirectory.write(dir, manifest(policy("shop", "api")), "json");
    assertThat(deleted).containsExactly("shop/ciliumnetworkpolicy-api.yaml");
    assertThat(CommandContract.resourceFiles(dir))
        .containsExactly("shop/ciliumnetworkpolicy-api.json");
    assertThat(Files.readString(dir.resolve("shop/ciliumnetworkpolicy-api.json")))
        .isEqualTo(Manifest.toJson(policy("shop", "api").document()));
  }

  @Test
  void leavesUnchangedFilesAsTheyAre() throws IOException {
    OutputDirectory.write(dir, manifest(policy("shop", "api")), "yaml");
    Path file = dir.resolve("shop/ciliumnetworkpolicy-api.yaml");
    FileTime old = FileTime.fromMillis(1_000_000_000_000L);
    Files.setLastModifiedTime(file, old);
    OutputDirectory.write(dir, manifest(policy("shop", "api")), "yaml");
    assertThat(Files.getLastModifiedTime(file)).isEqualTo(old);
  }

  @Test
  void leavesNoTemporaryFilesBehind() throws IOException {
    OutputDirectory.write(dir, manifest(policy("", "deny"), policy("shop", "api")), "yaml");
    OutputDirectory.write(dir, manifest(policy("shop", "web")), "yaml");
    try (Stream<Path> files = Files.walk(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
  }
}
