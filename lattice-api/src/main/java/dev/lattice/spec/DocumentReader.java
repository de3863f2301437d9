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
 * metadata}, and hands the {@code spec} to the reader of its kind. A {@code LatticeService} or
 * {@code LatticeMeshMember} is one service; a {@code LatticeJob} or {@code LatticeModel} is the
 * mesh members the platform derives from it, one per task or role. Documents of other kinds are
 * skipped with an informational diagnostic.
 */
final class DocumentReader {
  /** The API version both kinds are read as. */
  static final String API_VERSION = "lattice.dev/v1alpha1";

  static final String SERVICE_KIND = "LatticeService";
  static final String MESH_MEMBER_KIND = "LatticeMeshMember";
  static final String JOB_KIND = "LatticeJob";
  static final String MODEL_KIND = "LatticeModel";
  static final List<String> KINDS = List.of(SERVICE_KIND, MESH_MEMBER_KIND, JOB_KIND, MODEL_KIND);

  /** The kinds Lattice reads, for messages. */
  static final String KIND_NAMES = "LatticeService, LatticeMeshMember, LatticeJob and LatticeModel";

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

    /**
     * The member {@code <name>-<part>} the platform derives from a task or role written at {@code
     * partAt}.
     */
    Identity derived(String part, SourceLocation partAt) {
      return new Identity(namespace, name + "-" + part, partAt);
    }
  }

  /** What a document was: a Lattice document (with its services, unless it had errors) or not. */
  record Outcome(boolean lattice, List<Service> services) {
    static final Outcome OTHER = new Outcome(false, List.of());
    static final Outcome BROKEN = new Outcome(true, List.of());
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
      return Outcome.BROKEN;
    }
    Optional<Fields> spec = Fields.of(specNode.get(), id.get().spec(), "spec", problems);
    if (spec.isEmpty()) {
      return Outcome.BROKEN;
    }
    List<Service> services;
    switch (k) {
      case SERVICE_KIND:
        services = List.of(LatticeServiceReader.read(spec.get(), id.get(), problems));
        break;
      case MESH_MEMBER_KIND:
        services = List.of(MeshMemberReader.read(spec.get(), id.get(), problems));
        break;
      case JOB_KIND:
        services = LatticeJobReader.read(spec.get(), id.get(), d.valueAt("kind"), problems);
        break;
      default:
        services = LatticeModelReader.read(spec.get(), id.get(), d.valueAt("kind"), problems);
    }
    return new Outcome(true, services);
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
            + ": Lattice reads only "
            + KIND_NAMES
            + " documents");
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
    String namespace =
        m.nonEmptyText("namespace", "leave namespace out for the namespace default, or name one")
            .orElse("default");
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

  /**
   * {@code advertise} (the platform's cross-cluster discovery: {@code allowedServices} of {@code
   * namespace/name} entries or {@code "*"}), checked as the platform's admission does and then
   * noted as ignored. Upstream it admits callers from other clusters (arriving through the
   * east-west gateway with their own identity) on every port of the service, one-sidedly ({@code
   * lattice-mesh-member/src/policy/istio_ambient.rs}, {@code compile_inbound_policy}; the entries'
   * syntax in {@code lattice-crd/src/crd/workload/ingress.rs}, {@code AdvertiseConfig::validate}).
   * Lattice renders one cluster from bilateral agreements, so it admits none of them: fail closed,
   * and say so.
   */
  static void advertise(Fields spec, Identity id, Problems problems) {
    if (!spec.has("advertise")) {
      return;
    }
    Optional<Fields> advertise = spec.mapping("advertise", "e.g. allowedServices: [edge/gateway]");
    if (advertise.isEmpty()) {
      return;
    }
    Fields a = advertise.get().only("advertise", List.of("allowedServices"));
    Optional<List<String>> allowed = Optional.empty();
    if (!a.has("allowedServices")) {
      a.missing(
          "allowedServices",
          "name the remote services (namespace/name) that may call, or \"*\" for any");
    } else {
      allowed = a.texts("allowedServices");
    }
    List<Node> items = a.list("allowedServices").orElse(List.of());
    boolean wellFormed = true;
    for (int i = 0; i < items.size(); i++) {
      Node item = items.get(i);
      if (!(item instanceof Node.Scalar) || Fields.isNull(item)) {
        continue; // texts() reported it
      }
      String entry = ((Node.Scalar) item).text();
      int slash = entry.indexOf('/');
      boolean ok =
          entry.equals("*")
              || (slash > 0 && slash < entry.length() - 1 && entry.indexOf('/', slash + 1) < 0);
      if (!ok) {
        wellFormed = false;
        problems.report(
            DiagnosticCode.SPEC_INVALID_VALUE,
            a.path("allowedServices") + "[" + i + "]",
            item.at(),
            "advertise.allowedServices entry \""
                + Texts.abbreviate(entry)
                + "\" is not namespace/name or \"*\" (the platform rejects it); write e.g."
                + " edge/gateway");
      }
    }
    if (allowed.isPresent() && wellFormed) {
      problems.report(
          DiagnosticCode.ADVERTISE_IGNORED,
          spec.path("advertise"),
          spec.keyAt("advertise"),
          id
              + " is advertised to other clusters"
              + (allowed.get().isEmpty() ? "" : " (" + String.join(", ", allowed.get()) + ")")
              + ", but Lattice renders the policies of one cluster and admits no cross-cluster"
              + " caller, so those calls stay denied; callers in this cluster need an agreement"
              + " as usual (allowedCallers, or an inbound resource)");
    }
  }

  /**
   * The {@code namespace} of a peer reference: absent (the declarer's own), or one namespace. The
   * empty text and {@code "*"} are refused: neither names a namespace, and a "namespace wildcard"
   * would read as more than any declaration can grant ({@code "*"} as the peer's name, with no
   * namespace, is how a spec says "any service").
   */
  static Optional<String> peerNamespace(Fields f, String name) {
    Optional<String> ns =
        f.nonEmptyText(
            "namespace", "leave namespace out for the declaring service's own, or name one");
    if (ns.isPresent() && ns.get().equals("*")) {
      f.problems()
          .report(
              DiagnosticCode.SPEC_INVALID_VALUE,
              f.path("namespace"),
              f.valueAt("namespace"),
              "namespace \"*\" is not a wildcard: a peer lives in one namespace; name it, or, to"
                  + " mean any service in any namespace, write the name \"*\" with no namespace"
                  + (name.equals("*") ? "" : " (instead of \"" + Texts.abbreviate(name) + "\")"));
      return Optional.empty();
    }
    return ns;
  }

  /** A peer named by {@code name} ({@code "*"}: any service) and an optional namespace. */
  static PeerRef peer(String name, Optional<String> namespace) {
    return namespace.map(ns -> PeerRef.of(ns, name)).orElseGet(() -> PeerRef.named(name));
  }
}
