package dev.lattice.spec;

import dev.lattice.diagnostics.DiagnosticCode;
import dev.lattice.model.PeerRef;
import dev.lattice.model.Service;
import dev.lattice.model.SourceLocation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads one YAML document: checks its {@code apiVersion} and {@code kind}, reads its {@code
 * metadata}, and hands the {@code spec} to the reader of its kind. Documents of other kinds are
 * skipped with an informational diagnostic.
 */
final class DocumentReader {
  /** The API version both kinds are read as. */
  static final String API_VERSION = "lattice.dev/v1alpha1";

  static final String SERVICE_KIND = "LatticeService";
  static final String MESH_MEMBER_KIND = "LatticeMeshMember";
  private static final List<String> KINDS = List.of(SERVICE_KIND, MESH_MEMBER_KIND);

  private DocumentReader() {}

  /**
   * The service a document declares: where it lives, its model path prefix ({@code shop/api.spec})
   * and where its name was written.
   */
  record Identity(String namespace, String name, SourceLocation at) {
    /** The model path of the document's {@code spec}. */
    String spec() {
      return namespace + "/" + name + ".spec";
    }

    /** {@code namespace/name}. */
    @Override
    public String toString() {
      return namespace + "/" + name;
    }

    /** Starts the service with its identity and location. */
    Service.Builder builder() {
      return Service.builder().namespace(namespace).name(name).source(at);
    }
  }

  /** What a document was: a Lattice document (with its service, unless it had errors) or not. */
  record Outcome(boolean lattice, Optional<Service> service) {
    static final Outcome OTHER = new Outcome(false, Optional.empty());
  }

  /** Reads {@code root}, a document of {@code file}. */
  static Outcome read(Node root, String file, Problems problems) {
    Optional<Fields> doc = Fields.document(root, file, problems);
    if (doc.isEmpty()) {
      return Outcome.OTHER;
    }
    Fields d = doc.get();
    String hint =
        "every document needs apiVersion and kind (apiVersion: "
            + API_VERSION
            + ", kind: LatticeService)";
    Optional<String> kind = d.requiredText("kind", hint);
    Optional<String> apiVersion = d.requiredText("apiVersion", hint);
    if (kind.isEmpty()) {
      return Outcome.OTHER;
    }
    String k = kind.get();
    if (!KINDS.contains(k)) {
      return other(d, k, file, problems);
    }
    if (apiVersion.isPresent() && !apiVersion.get().equals(API_VERSION)) {
      problems.report(
          DiagnosticCode.SPEC_INVALID_VALUE,
          file,
          d.valueAt("apiVersion"),
          k
              + " is read as apiVersion "
              + API_VERSION
              + ", got \""
              + Texts.abbreviate(apiVersion.get())
              + "\"; write apiVersion: "
              + API_VERSION);
    }
    Optional<Identity> id = identity(d);
    Optional<Node> specNode = spec(d, k);
    if (id.isEmpty() || specNode.isEmpty()) {
      return new Outcome(true, Optional.empty());
    }
    Optional<Fields> spec = Fields.of(specNode.get(), id.get().spec(), "spec", problems);
    if (spec.isEmpty()) {
      return new Outcome(true, Optional.empty());
    }
    Service service =
        k.equals(SERVICE_KIND)
            ? LatticeServiceReader.read(spec.get(), id.get(), problems)
            : MeshMemberReader.read(spec.get(), id.get(), problems);
    return new Outcome(true, Optional.of(service));
  }

  /** A document of another kind: skipped, unless it is a near miss of ours. */
  private static Outcome other(Fields d, String kind, String file, Problems problems) {
    Optional<String> meant = Texts.closest(kind, KINDS);
    if (meant.isPresent()) {
      problems.report(
          DiagnosticCode.SPEC_INVALID_VALUE,
          file,
          d.valueAt("kind"),
          "kind \""
              + Texts.abbreviate(kind)
              + "\" is not one Lattice reads"
              + "; did you mean "
              + meant.get()
              + "?");
      return Outcome.OTHER;
    }
    String name =
        d.get("metadata")
            .filter(Node.Mapping.class::isInstance)
            .map(m -> ((Node.Mapping) m).entries())
            .map(
                e -> {
                  String ns = scalarText(e.get("namespace"));
                  String n = scalarText(e.get("name"));
                  return n == null ? "" : " " + (ns == null ? n : ns + "/" + n);
                })
            .orElse("");
    problems.report(
        DiagnosticCode.SPEC_SKIPPED_KIND,
        file,
        d.valueAt("kind"),
        "skipped "
            + Texts.abbreviate(kind)
            + Texts.abbreviate(name)
            + ": Lattice reads only LatticeService and LatticeMeshMember documents");
    return Outcome.OTHER;
  }

  private static String scalarText(Node.Entry e) {
    return e != null && e.value() instanceof Node.Scalar && !Fields.isNull(e.value())
        ? ((Node.Scalar) e.value()).text()
        : null;
  }

  /** {@code metadata.name} (required) and {@code metadata.namespace} (default {@code default}). */
  private static Optional<Identity> identity(Fields d) {
    Optional<Fields> metadata = d.mapping("metadata");
    if (metadata.isEmpty()) {
      if (!d.has("metadata")) {
        d.missing("metadata", "name the service with metadata: {name: api, namespace: shop}");
      }
      return Optional.empty();
    }
    Fields m = metadata.get();
    Optional<String> name = m.requiredText("name", "every service needs a name");
    String namespace = m.text("namespace").orElse("default");
    return name.map(n -> new Identity(namespace, n, m.valueAt("name")));
  }

  /** The {@code spec} mapping, which both kinds require. */
  private static Optional<Node> spec(Fields d, String kind) {
    if (!d.has("spec")) {
      String found =
          Texts.closest("spec", List.copyOf(d.entries().keySet()))
              .filter(k -> !k.equals("spec"))
              .map(k -> " (is \"" + k + "\" a misspelling of spec?)")
              .orElse("");
      d.missing("spec", "a " + kind + " declares its ports and peers under spec" + found);
      return Optional.empty();
    }
    return d.get("spec");
  }

  // ---------------------------------------------------------------- shared by both kinds

  /**
   * A label selector: a mapping of label keys to values (numbers and booleans as written, null as
   * the empty value). Resolution checks the label syntax.
   */
  static Map<String, String> selector(Fields f) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (Node.Entry e : f.entries().values()) {
      if (Fields.isNull(e.value())) {
        labels.put(e.key(), "");
      } else {
        f.text(e.key()).ifPresent(v -> labels.put(e.key(), v));
      }
    }
    return labels;
  }

  /** A peer named by {@code name} ({@code "*"}: any service) and an optional namespace. */
  static PeerRef peer(String name, Optional<String> namespace) {
    return namespace.map(ns -> PeerRef.of(ns, name)).orElseGet(() -> PeerRef.named(name));
  }
}
