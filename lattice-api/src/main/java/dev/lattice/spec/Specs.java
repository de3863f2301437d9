package dev.lattice.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Loads YAML specs — {@code LatticeService} and {@code LatticeMeshMember} documents, and the
 * members the Lattice platform derives from a {@code LatticeJob} (one per task, {@code
 * <job>-<task>}) or a {@code LatticeModel} (one per role, {@code <model>-<role>}) — into a {@link
 * dev.lattice.graph.ServiceGraph}.
 *
 * <pre>{@code
 * SpecResult result = Specs.load(Path.of("specs"), Path.of("gateway.yaml"));
 * if (result.hasErrors()) {
 *   result.diagnostics().forEach(System.err::println); // specs/shop/api.yaml:12:7: error[...]: ...
 *   return;
 * }
 * Topology topology = result.orThrow().resolve();
 * }</pre>
 *
 * <p>A path may name a file (read whatever its name) or a directory (every {@code *.yaml} and
 * {@code *.yml} file under it, recursively, in name order; files and directories whose name starts
 * with '.' are skipped). Locations name files as the caller did: a relative path stays relative,
 * and a file found in a directory is the directory's path joined with the file's path inside it
 * ({@code specs/shop/api.yaml}).
 *
 * <p>Nothing empty widens what is allowed: where leaving a list out means "all" (a port subset,
 * HTTP rules, egress ports), writing it empty is an error, and so are an empty selector, name or
 * namespace, and a namespace {@code "*"}.
 *
 * <p>Loading never throws for a problem in the input: malformed YAML, wrong types, unknown fields
 * in the network parts and unreadable files are diagnostics with a file, line and column, and so is
 * input larger than any spec needs — a file over 8 MiB, a line over 256 KiB, nesting deeper than 64
 * levels, or more than a million values once aliases are expanded (an alias bomb) — refused before
 * it costs much time or memory. The loader checks structure and types; what the values mean (names,
 * port ranges, duplicate ports, FQDN and CIDR syntax, unknown peers) is checked by {@code
 * ServiceGraph.resolve()}, which reports it at the location the loader recorded for each service,
 * port, declaration, HTTP rule, egress and exposure.
 *
 * <p>Diagnostics of loading carry a path: the file name for problems of the YAML itself or of a
 * document that names no service yet, otherwise the service and the field as the YAML reads ({@code
 * shop/api.spec.workload.resources[db].direction}, {@code shop/gw.spec.dependencies[2].name}:
 * user-chosen keys and list indices in brackets). Resolution uses the model's paths ({@code
 * shop/api.dependsOn[data/db]}) and the same locations.
 */
public final class Specs {
  private Specs() {}

  /** Loads the specs in {@code paths}, files or directories; see {@link #load(List)}. */
  public static SpecResult load(Path... paths) {
    return load(List.of(paths));
  }

  /**
   * Loads the specs in {@code paths}, files or directories, into one graph.
   *
   * <pre>{@code
   * ServiceGraph graph = Specs.load(List.of(Path.of("specs"))).orThrow();
   * }</pre>
   *
   * @return the diagnostics, and the graph when none is an error
   */
  public static SpecResult load(List<Path> paths) {
    Objects.requireNonNull(paths, "paths");
    Loader loader = new Loader();
    for (Path p : paths) {
      loader.path(Objects.requireNonNull(p, "a path is null"));
    }
    return loader.result();
  }

  /**
   * Reads {@code yaml}, a multi-document stream, as if it were the file {@code fileName} (the name
   * locations use).
   *
   * <pre>{@code
   * SpecResult r = Specs.parse("api.yaml", """
   *     apiVersion: lattice.dev/v1alpha1
   *     kind: LatticeService
   *     metadata: {name: api, namespace: shop}
   *     spec:
   *       workload:
   *         service:
   *           ports:
   *             http: {port: 8080}
   *         resources:
   *           web: {direction: inbound}
   *     """);
   * }</pre>
   */
  public static SpecResult parse(String fileName, String yaml) {
    Objects.requireNonNull(fileName, "fileName");
    Objects.requireNonNull(yaml, "yaml");
    Loader loader = new Loader();
    loader.text(fileName, yaml);
    return loader.result();
  }

  /**
   * Reads {@code document}, one spec already parsed into a Jackson tree — a {@code LatticeService}
   * or {@code LatticeMeshMember} as a Kubernetes API server returns it — with the same readers as
   * the YAML loader. The tree has no lines, so its diagnostics and the services' locations name
   * {@code origin} (see {@link dev.lattice.model.SourceLocation#of(String)}) and say where inside
   * it through their model paths.
   *
   * <pre>{@code
   * SpecResult r = Specs.read("LatticeService shop/api (resourceVersion 4711)", object);
   * r.diagnostics().forEach(System.err::println);
   * // LatticeService shop/api (resourceVersion 4711): shop/api.spec.workload.resources[db]
   * //     .direciton: error[spec-unknown-field]: unknown field "direciton" ...
   * }</pre>
   */
  public static SpecResult read(String origin, JsonNode document) {
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(document, "document");
    Loader loader = new Loader();
    loader.tree(origin, document);
    return loader.result();
  }
}
