package dev.lattice.modules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module boundary as a user meets it: a module of theirs that requires {@code dev.lattice.api}
 * compiles against the API packages and does not compile against {@code dev.lattice.internal}
 * (where {@code CompactNodeFactory}, {@code Names} and the Immutables style live), which only
 * Lattice's own modules read.
 */
class ModuleBoundaryTest {
  /** lattice-api's compiled classes, with their module descriptor; tests run in the module. */
  private static final Path API = Path.of("target", "classes");

  @Test
  void exportsTheApiPackagesAndTheInternalPackageOnlyToLatticesOwnModules() {
    ModuleDescriptor d = descriptor();

    Map<String, Set<String>> exports = new TreeMap<>();
    d.exports().forEach(e -> exports.put(e.source(), new TreeSet<>(e.targets())));

    assertThat(d.name()).isEqualTo("dev.lattice.api");
    assertThat(exports)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "dev.lattice.diagnostics", Set.of(),
                "dev.lattice.dsl", Set.of(),
                "dev.lattice.graph", Set.of(),
                "dev.lattice.model", Set.of(),
                "dev.lattice.output", Set.of(),
                "dev.lattice.spec", Set.of(),
                "dev.lattice.internal",
                    Set.of("dev.lattice.cilium", "dev.lattice.istio", "dev.lattice.cli")));
    assertThat(d.opens()).isEmpty();
  }

  @Test
  void aUsersModuleCompilesAgainstTheApi(@TempDir Path dir) {
    String out =
        compile(
            dir,
            "import dev.lattice.graph.ServiceGraph;\n"
                + "import static dev.lattice.dsl.Lattice.service;\n"
                + "public class Probe {\n"
                + "  ServiceGraph g = ServiceGraph.builder()\n"
                + "      .add(service(\"api\").dependsOn(\"db\").outbound()).build();\n"
                + "}\n");

    assertThat(out).isEmpty();
  }

  @Test
  void aUsersModuleCannotReachTheInternalPackage(@TempDir Path dir) {
    String out =
        compile(
            dir,
            "import dev.lattice.internal.CompactNodeFactory;\n"
                + "import dev.lattice.internal.Names;\n"
                + "public class Probe {\n"
                + "  Object node = CompactNodeFactory.INSTANCE.objectNode();\n"
                + "  String problem = Names.port(\"port\", 0);\n"
                + "}\n");

    assertThat(out)
        .contains("Probe.java:1: error: package dev.lattice.internal is not visible")
        .contains("Probe.java:2: error: package dev.lattice.internal is not visible")
        .contains("declared in module dev.lattice.api, which does not export it to module probe");
  }

  /**
   * Compiles {@code Probe.java} in a module {@code probe} that requires the API; javac's output.
   */
  private static String compile(Path dir, String probe) {
    try {
      Path src = Files.createDirectories(dir.resolve("src"));
      Files.writeString(
          src.resolve("module-info.java"), "module probe { requires dev.lattice.api; }\n");
      Files.writeString(src.resolve("Probe.java"), probe);
      ToolProvider javac = ToolProvider.findFirst("javac").orElseThrow();
      StringWriter out = new StringWriter();
      List<String> args = new ArrayList<>();
      args.addAll(List.of("-d", dir.resolve("classes").toString()));
      args.addAll(List.of("--module-path", modulePath()));
      // javac run in this JVM would otherwise take the test class path, Lattice's classes included
      args.addAll(
          List.of("--class-path", Files.createDirectories(dir.resolve("empty")).toString()));
      args.add(src.resolve("module-info.java").toString());
      args.add(src.resolve("Probe.java").toString());
      PrintWriter w = new PrintWriter(out);
      javac.run(w, w, args.toArray(String[]::new));
      w.flush();
      return out.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** lattice-api and the modules it requires (Jackson, SnakeYAML), from the test class path. */
  private static String modulePath() {
    List<String> path = new ArrayList<>();
    path.add(API.toString());
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      String name = Path.of(entry).getFileName().toString();
      if (name.startsWith("jackson-") || name.startsWith("snakeyaml-")) {
        path.add(entry);
      }
    }
    return path.stream().collect(Collectors.joining(java.io.File.pathSeparator));
  }

  private static ModuleDescriptor descriptor() {
    return ModuleFinder.of(API).findAll().stream()
        .map(ModuleReference::descriptor)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no module descriptor in " + API));
  }
}
