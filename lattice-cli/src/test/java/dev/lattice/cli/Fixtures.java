package dev.lattice.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Spec repositories the command tests write into a temporary directory, and a way to fingerprint a
 * directory tree. The specs are small on purpose: each one exists for a behaviour of the command.
 */
final class Fixtures {
  private Fixtures() {}

  /**
   * {@code shop/web} calls {@code shop/api}, which grants it {@code GET /api/*}: an HTTP rule, so
   * the api sits behind the namespace waypoint and its Service needs a label. {@code shop/api}
   * calls {@code data/db}.
   */
  static final String SHOP =
      """
      apiVersion: lattice.dev/v1alpha1
      kind: LatticeService
      metadata: {name: web, namespace: shop}
      spec:
        workload:
          service:
            ports:
              http: {port: 8080}
          resources:
            api: {}
      ---
      apiVersion: lattice.dev/v1alpha1
      kind: LatticeService
      metadata: {name: api, namespace: shop}
      spec:
        workload:
          service:
            ports:
              http: {port: 80, targetPort: 8080}
          resources:
            web:
              direction: inbound
              params:
                http: [{methods: [GET], paths: ["/api/*"]}]
            db: {namespace: data}
      """;

  /** {@link #SHOP} without the HTTP rule: no waypoint, so fewer resources. */
  static final String SHOP_WITHOUT_HTTP_RULES =
      SHOP.replace(
          """
                  params:
                    http: [{methods: [GET], paths: ["/api/*"]}]
          """,
          "");

  /** The database the api calls. */
  static final String DATA =
      """
      apiVersion: lattice.dev/v1alpha1
      kind: LatticeService
      metadata: {name: db, namespace: data}
      spec:
        workload:
          service:
            ports:
              pg: {port: 5432}
          resources:
            api: {namespace: shop, direction: inbound}
      """;

  /** A typo inside the network part: an error at line 7, column 13. */
  static final String UNKNOWN_FIELD =
      """
      apiVersion: lattice.dev/v1alpha1
      kind: LatticeService
      metadata: {name: web, namespace: shop}
      spec:
        workload:
          resources:
            api: {direciton: outbound}
      """;

  /** A port number of the wrong type: an error at line 8, column 22. */
  static final String WRONG_TYPE =
      """
      apiVersion: lattice.dev/v1alpha1
      kind: LatticeService
      metadata: {name: api, namespace: shop}
      spec:
        workload:
          service:
            ports:
              http: {port: eighty}
      """;

  /** Loads fine but does not resolve: a port out of range, reported at line 8, column 9. */
  static final String PORT_OUT_OF_RANGE =
      """
      apiVersion: lattice.dev/v1alpha1
      kind: LatticeService
      metadata: {name: api, namespace: shop}
      spec:
        workload:
          service:
            ports:
              http: {port: 70000}
      """;

  /** web calls api, which never agreed: a warning (one-sided), and no error. */
  static final String ONE_SIDED =
      """
      apiVersion: lattice.dev/v1alpha1
      kind: LatticeService
      metadata: {name: web, namespace: shop}
      spec:
        workload:
          service:
            ports:
              http: {port: 8080}
          resources:
            api: {}
      ---
      apiVersion: lattice.dev/v1alpha1
      kind: LatticeService
      metadata: {name: api, namespace: shop}
      spec:
        workload:
          service:
            ports:
              http: {port: 8080}
      """;

  /**
   * A scraper that names any service ({@code "*"}), a job outside the mesh that it scrapes, and a
   * call to a service nobody declared.
   */
  static final String WILDCARD_AND_UNKNOWN =
      """
      apiVersion: lattice.dev/v1alpha1
      kind: LatticeService
      metadata: {name: scraper, namespace: ops}
      spec:
        workload:
          resources:
            everything: {id: "*"}
            ghost: {}
      ---
      apiVersion: lattice.dev/v1alpha1
      kind: LatticeService
      metadata: {name: job, namespace: batch}
      spec:
        ambient: false
        workload:
          service:
            ports:
              metrics: {port: 9090}
          resources:
            scraper: {namespace: ops, direction: inbound}
      """;

  /** Writes {@code text} to {@code dir/name}, creating directories; returns the file. */
  static Path write(Path dir, String name, String text) {
    Path file = dir.resolve(name);
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** A spec directory holding the shop and the database. */
  static Path shop(Path root) {
    Path specs = root.resolve("specs");
    write(specs, "shop.yaml", SHOP);
    write(specs, "data.yaml", DATA);
    return specs;
  }

  /**
   * Every regular file under {@code dir} (hidden ones included), by path relative to it, with the
   * SHA-256 of its bytes: two equal fingerprints are byte-identical trees.
   */
  static Map<String, String> fingerprint(Path dir) {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f));
        out.put(dir.relativize(f).toString().replace('\\', '/'), HexFormat.of().formatHex(hash));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }
}
