package dev.lattice.modules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module boundary as a user meets it: a module of theirs that requires {@code dev.lattice.api}
 * compiles against the API packages and does not compile against {@code dev.lattice.internal}
 * (where {@code CompactNodeFactory}, {@code Names} and the Immutables style live), which only
 * Lattice's own modules read. And for every module of the build, read from its descriptor (or, for
 * an automatic module, from its packages): no package named {@code internal} or {@code impl} is
 * exported to everyone, and qualified exports go to Lattice's own modules only.
 */
class ModuleBoundaryTest {
  /** lattice-api's compiled classes, with their module descriptor; tests run in the module. */
  private static final Path API = Path.of("target", "classes");

  /** Package name segments that mark an implementation package, never exported to everyone. */
  private static final Set<String> IMPLEMENTATION_SEGMENTS = Set.of("internal", "impl");

  private static final Pattern MODULE = Pattern.compile("\\bmodule\\s+([\\w.]+)\\s*\\{");
  private static final Pattern EXPORTS =
      Pattern.compile("\\bexports\\s+([\\w.]+)(?:\\s+to\\s+([\\w.,\\s]+))?;");
  private static final Pattern AUTOMATIC_NAME =
      Pattern.compile("<Automatic-Module-Name>([\\w.]+)</Automatic-Module-Name>");

  @Test
  void theCompiledApiDescriptorExportsNoImplementationPackageToEveryone() {
    ModuleDescriptor d = descriptor();
    Map<String, Set<String>> exports = new TreeMap<>();
    d.exports().forEach(e -> exports.put(e.source(), new TreeSet<>(e.targets())));

    assertThat(d.name()).isEqualTo("dev.lattice.api");
    assertThat(problems(d.name(), exports)).isEmpty();
    // the internal package is there, and shared with Lattice's own modules only
    assertThat(exports).containsKey("dev.lattice.internal");
    assertThat(exports.get("dev.lattice.internal")).isNotEmpty();
    assertThat(d.opens()).isEmpty();
  }

  @Test
  void noModuleOfTheBuildExportsAnImplementationPackageToEveryone() throws IOException {
    Map<String, Map<String, Set<String>>> modules = modulesOfTheBuild(Path.of(".."));

    // every module with main code is found, with or without a descriptor
    assertThat(modules.keySet()).contains("dev.lattice.api", "dev.lattice.crd");
    List<String> problems = new ArrayList<>();
    modules.forEach((name, exports) -> problems.addAll(problems(name, exports)));
    assertThat(problems).isEmpty();
  }

  @Test
  void theRuleCatchesAnInternalOrImplementationPackageExportedToEveryone() {
    assertThat(problems("m", Map.of("dev.lattice.internal", Set.of())))
        .containsExactly("m exports dev.lattice.internal to every module");
    assertThat(problems("m", Map.of("dev.lattice.crd.impl", Set.of())))
        .containsExactly("m exports dev.lattice.crd.impl to every module");
    assertThat(problems("m", Map.of("dev.lattice.internal", Set.of("com.example.user"))))
        .containsExactly(
            "m exports dev.lattice.internal to com.example.user, not a Lattice module");
    assertThat(problems("m", Map.of("dev.lattice.internal", Set.of("dev.lattice.cli")))).isEmpty();
    assertThat(problems("m", Map.of("dev.lattice.internals", Set.of()))).isEmpty();
  }

  @Test
  void theSourceDescriptorReaderSeesQualifiedExportsAcrossLines() {
    Map<String, Set<String>> exports =
        exportsOf(
            "/** exports not.a.comment; */\n// exports not.either;\nmodule a.b {\n"
                + "  requires transitive c;\n  exports a.b;\n"
                + "  exports a.b.internal to\n      x.y,\n      z;\n}\n");
    assertThat(exports)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("a.b", Set.of(), "a.b.internal", Set.of("x.y", "z")));
  }

  /**
   * Why the exports of module {@code name} break the boundary: an implementation package ({@link
   * #IMPLEMENTATION_SEGMENTS}) exported to everyone, or a qualified export to a module that is not
   * Lattice's own.
   */
  static List<String> problems(String name, Map<String, Set<String>> exports) {
    List<String> out = new ArrayList<>();
    new TreeMap<>(exports)
        .forEach(
            (pkg, targets) -> {
              boolean implementation =
                  Arrays.stream(pkg.split("\\.")).anyMatch(IMPLEMENTATION_SEGMENTS::contains);
              if (implementation && targets.isEmpty()) {
                out.add(name + " exports " + pkg + " to every module");
              }
              new TreeSet<>(targets)
                  .stream()
                      .filter(t -> !t.startsWith("dev.lattice."))
                      .forEach(
                          t ->
                              out.add(
                                  name
                                      + " exports "
                                      + pkg
                                      + " to "
                                      + t
                                      + ", not a Lattice module"));
            });
    return out;
  }

  /**
   * Each module of the build under {@code root} by name, with its exports (package to the modules
   * it is exported to, empty for all): read from its {@code module-info.java}, or, for a module
   * without one (an automatic module, named in its pom), every package of its main code.
   */
  private static Map<String, Map<String, Set<String>>> modulesOfTheBuild(Path root)
      throws IOException {
    Map<String, Map<String, Set<String>>> modules = new TreeMap<>();
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path dir : dirs.filter(d -> Files.isDirectory(d.resolve("src/main/java"))).toList()) {
        Path java = dir.resolve("src/main/java");
        Path info = java.resolve("module-info.java");
        if (Files.exists(info)) {
          String source = Files.readString(info);
          Matcher m = MODULE.matcher(stripComments(source));
          assertThat(m.find()).as("module declaration in %s", info).isTrue();
          modules.put(m.group(1), exportsOf(source));
          continue;
        }
        Matcher name = AUTOMATIC_NAME.matcher(Files.readString(dir.resolve("pom.xml")));
        if (!name.find()) {
          continue; // not published as a module (benchmarks, examples)
        }
        Map<String, Set<String>> all = new TreeMap<>();
        try (Stream<Path> files = Files.walk(java)) {
          files
              .filter(f -> f.toString().endsWith(".java"))
              .map(f -> java.relativize(f.getParent()).toString().replace(File.separatorChar, '.'))
              .forEach(pkg -> all.put(pkg, Set.of()));
        }
        modules.put(name.group(1), all);
      }
    }
    return modules;
  }

  /** The exports of a {@code module-info.java} source: package to its targets, empty for all. */
  static Map<String, Set<String>> exportsOf(String source) {
    Map<String, Set<String>> exports = new TreeMap<>();
    Matcher m = EXPORTS.matcher(stripComments(source));
    while (m.find()) {
      Set<String> targets = new TreeSet<>();
      if (m.group(2) != null) {
        for (String t : m.group(2).split(",")) {
          targets.add(t.strip());
        }
      }
      exports.put(m.group(1), targets);
    }
    return exports;
  }

  private static String stripComments(String source) {
    return source.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", " ");
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
