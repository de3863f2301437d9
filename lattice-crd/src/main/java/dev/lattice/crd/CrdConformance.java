package dev.lattice.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Checks rendered Kubernetes documents against the upstream CustomResourceDefinitions, as the API
 * server (and the controller behind it) would on create.
 *
 * <p>{@link #load} reads every CRD file ({@code *.yaml}, {@code *.yml}, {@code *.json}) of a
 * directory once (or one file), compiles each version's {@code openAPIV3Schema} (regexes, CEL
 * programs) and fails loudly on anything it cannot check faithfully: an unknown schema keyword, a
 * pattern that is not RE2, a CEL rule that does not compile. A file may hold several documents, and
 * a document may be a {@code List} of CRDs: what {@code kubectl get crd NAME... -o yaml} prints
 * from a cluster (its {@code metadata} and {@code status} are ignored). The instance is immutable
 * and thread-safe; {@link #validate} allocates only per call.
 *
 * <pre>{@code
 * CrdConformance crds = CrdConformance.load(Path.of("crds"));
 * List<Violation> problems = crds.validate(renderedDocument);
 * // e.g. spec.ingress[0]: [controller-check] one ingress rule combines fromEndpoints and fromCIDRSet; ...
 * }</pre>
 *
 * <h2>What is checked (with the {@link Violation#rule()} reported)</h2>
 *
 * <ul>
 *   <li>The document: a JSON object ({@code type}); {@code apiVersion} and {@code kind} present
 *       ({@code required}); a CRD for the apiVersion's group and the kind ({@code unknown-kind});
 *       the apiVersion's version served by it ({@code unserved-version}); no {@code status} ({@code
 *       forbidden}: rendered documents carry no status).
 *   <li>{@code metadata}, as the API server validates ObjectMeta ({@code metadata}, {@code
 *       required}, {@code type}, {@code unknown-field}): {@code name} required, a DNS-1123
 *       subdomain of at most 253 characters; {@code namespace} required on namespaced kinds and a
 *       DNS-1123 label, forbidden on cluster-scoped kinds such as CiliumClusterwideNetworkPolicy
 *       ({@code forbidden}); label keys and annotation keys qualified names, label values at most
 *       63 characters of {@code [A-Za-z0-9_.-]} starting and ending alphanumeric; annotations at
 *       most 256 KiB.
 *   <li>The served version's structural schema: {@code type} (integer vs number; an integral {@code
 *       80.0} counts as integer, as Kubernetes decodes it), {@code required}, unknown fields
 *       ({@code unknown-field}, as with {@code kubectl}'s strict field validation) unless {@code
 *       x-kubernetes-preserve-unknown-fields} or {@code additionalProperties} allows them, {@code
 *       additionalProperties}, {@code items}, {@code enum}, {@code pattern} (RE2 semantics and
 *       unanchored search, exactly as Go's regexp, which Kubernetes uses), {@code minLength}/{@code
 *       maxLength} (in code points), {@code minimum}/{@code maximum}/{@code
 *       exclusiveMinimum}/{@code exclusiveMaximum}, {@code multipleOf}, {@code minItems}/{@code
 *       maxItems}, {@code minProperties}/{@code maxProperties}, {@code uniqueItems}, {@code
 *       allOf}/{@code anyOf}/{@code oneOf}/{@code not} (in general, not only over {@code
 *       required}), {@code nullable}, {@code x-kubernetes-int-or-string}, {@code
 *       x-kubernetes-list-type} {@code set}/{@code map} uniqueness (with {@code
 *       x-kubernetes-list-map-keys}), and {@code format} for {@code ipv4}, {@code ipv6}, {@code
 *       cidr}, {@code date-time}, {@code date}, {@code uuid} and the integer ranges of {@code
 *       int32}/{@code int64}. Defaults are applied first and non-nullable nulls are pruned, as the
 *       API server does before it validates.
 *   <li>Every {@code x-kubernetes-validations} CEL rule ({@code x-kubernetes-validations}), with
 *       {@code self} bound to the value at its schema node; the message is the rule's {@code
 *       messageExpression}, else its {@code message}, else {@code failed rule: <rule>}, and the
 *       path honours {@code fieldPath}. Transition rules (those that use {@code oldSelf}) are
 *       compiled but not evaluated: there is no old object on create. As in Kubernetes, a {@code
 *       type}, {@code required}, {@code enum}, {@code maxLength}, {@code maxItems} or {@code
 *       maxProperties} error anywhere blocks all CEL rules (one note at the document says so), and
 *       a rule whose evaluation fails (e.g. it reads an absent field) rejects the object too.
 *   <li>Controller-side checks ({@code controller-check}) that the schema lets through but the
 *       controller rejects. Cilium agent (CiliumNetworkPolicy, CiliumClusterwideNetworkPolicy;
 *       {@code spec} and every {@code specs[]} entry): neither {@code spec} nor {@code specs} (an
 *       empty policy), a port that is neither {@code "0"}..{@code "65535"} nor an IANA service name
 *       ({@code "70000"}; {@code "0"} means all ports and a named port is fine), a port with a
 *       leading zero (parsed as octal), a port entry without {@code port}, {@code endPort} lower
 *       than {@code port}, two kinds of L3 peer in one ingress/egress element ({@code
 *       fromEndpoints} + {@code fromCIDRSet}, ...; SEMANTICS.md R1), {@code toFQDNs} with another
 *       L3 field (C13), {@code toServices} with {@code toPorts}, {@code icmps} with {@code
 *       toPorts}, L7 {@code rules} on a port entry whose protocol is not TCP (unset means ANY; DNS
 *       rules excepted) or whose port is {@code "0"} (C11), DNS rules on ingress, DNS rules without
 *       a port or with a port range, L7 rules in a host policy ({@code nodeSelector}), {@code l7}
 *       without {@code l7proto}, a listener on ingress or with L7 rules, empty or L7-without-TLS
 *       {@code serverNames}, an {@code except} prefix outside its {@code cidr}. Istio webhook: on
 *       an AuthorizationPolicy, {@code selector} together with {@code targetRef}/{@code targetRefs}
 *       (also caught by the CRD's CEL rule), a targetRef without name, with a namespace, or to a
 *       kind other than Gateway, GatewayClass, Service or ServiceEntry, a wildcard or empty key in
 *       {@code selector.matchLabels}, empty strings in any source or operation list (an empty
 *       principal, namespace, port, method, path, host, ...), ports outside 1..65535 in {@code
 *       to.operation.ports}/{@code notPorts} and in a {@code destination.port} condition, malformed
 *       IPs/CIDRs in {@code ipBlocks}-like fields and IP conditions, malformed {@code
 *       serviceAccounts}, {@code serviceAccounts} combined with principals/namespaces, an empty
 *       {@code from}/{@code to} list, a {@code from} without source or with an empty one, a {@code
 *       to} without operation or with an empty one, unsupported path templates, condition keys
 *       istiod does not know or without values, DENY or CUSTOM without rules, CUSTOM without {@code
 *       provider.name}, {@code provider} on a non-CUSTOM policy; on a PeerAuthentication, {@code
 *       portLevelMtls} without a {@code selector} with matchLabels, an empty {@code portLevelMtls},
 *       keys outside 1..65535, and the same selector checks.
 * </ul>
 *
 * <h2>What is deliberately not checked</h2>
 *
 * CEL cost budgets and Kubernetes-only CEL library functions (none of the CRDs uses one; a rule
 * that did would fail {@link #load}); CEL {@code date-time}/{@code duration} string typing; other
 * string formats (e.g. {@code idn-hostname}, which Kubernetes does not check either); admission
 * webhooks' checks of ServiceEntry and Gateway; cross-object checks (does the named Service
 * exist?); update-only rules.
 */
public final class CrdConformance {
  private final Path directory;
  private final Map<String, Crd> crds;
  private final int ruleCount;
  private final int transitionRuleCount;

  private CrdConformance(
      Path directory, Map<String, Crd> crds, int ruleCount, int transitionRuleCount) {
    this.directory = directory;
    this.crds = Collections.unmodifiableMap(new TreeMap<>(crds));
    this.ruleCount = ruleCount;
    this.transitionRuleCount = transitionRuleCount;
  }

  /**
   * Loads and compiles every CRD in {@code crds}, a directory or one file.
   *
   * @throws IllegalArgumentException if {@code crds} does not exist or holds no CRD
   * @throws IllegalStateException if a CRD cannot be checked faithfully (listing every problem:
   *     unsupported keyword, invalid pattern, CEL rule that does not compile, duplicate kind, a
   *     document that is not a CRD)
   * @throws UncheckedIOException if a file cannot be read or parsed
   */
  public static CrdConformance load(Path crds) {
    return load(crds, null);
  }

  /**
   * Loads the CRDs in {@code crds} (a directory or one file) that define one of {@code kinds}
   * ({@code Kind.group}, e.g. {@code CiliumNetworkPolicy.cilium.io}), and compiles only those: a
   * dump of every CRD of a cluster can be given, and CRDs of other kinds are neither compiled nor
   * held against it. A kind with no CRD there is reported by {@link #validate} ({@code
   * unknown-kind}) for each document of that kind.
   *
   * @throws IllegalArgumentException if {@code crds} does not exist or holds no CRD at all
   * @throws IllegalStateException if a CRD of those kinds cannot be checked faithfully
   * @throws UncheckedIOException if a file cannot be read or parsed
   */
  public static CrdConformance load(Path crds, Collection<String> kinds) {
    Objects.requireNonNull(crds, "crds");
    Set<String> wanted = kinds == null ? null : Set.copyOf(kinds);
    Path dir = crds.toAbsolutePath().normalize();
    if (!Files.exists(dir)) {
      throw new IllegalArgumentException("CRD directory " + dir + " does not exist");
    }
    List<Path> files;
    if (Files.isDirectory(dir)) {
      try (Stream<Path> s = Files.list(dir)) {
        files =
            s.filter(
                    f -> {
                      String n = f.getFileName().toString();
                      return Files.isRegularFile(f)
                          && (n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json"));
                    })
                .sorted()
                .collect(Collectors.toList());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list CRD directory " + dir, e);
      }
    } else {
      files = List.of(dir);
    }
    YAMLMapper yaml = new YAMLMapper();
    SchemaCompiler compiler = new SchemaCompiler(KubernetesCel.create());
    Map<String, Crd> loaded = new LinkedHashMap<>();
    int found = 0;
    List<String> errors = compiler.errors();
    for (Path file : files) {
      String name = file.getFileName().toString();
      int index = 0;
      try (MappingIterator<JsonNode> docs =
          yaml.readerFor(JsonNode.class).readValues(file.toFile())) {
        while (docs.hasNextValue()) {
          JsonNode doc = docs.nextValue();
          String where = name + (index++ > 0 ? "#" + index : "");
          if (doc == null
              || doc.isNull()
              || doc.isMissingNode()
              || (doc.isObject() && doc.isEmpty())) {
            continue;
          }
          List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
          if ("List".equals(doc.path("kind").asText()) && doc.path("items").isArray()) {
            // kubectl get crd A B -o yaml
            int i = 0;
            for (JsonNode item : doc.path("items")) {
              entries.add(Map.entry(where + " items[" + i++ + "]", item));
            }
          } else {
            entries.add(Map.entry(where, doc));
          }
          for (Map.Entry<String, JsonNode> e : entries) {
            if (isCrd(e.getValue())) {
              found++;
              if (wanted != null && !wanted.contains(key(e.getValue()))) {
                continue;
              }
            }
            Crd crd = readCrd(e.getValue(), e.getKey(), compiler);
            if (crd == null) {
              continue;
            }
            Crd previous = loaded.putIfAbsent(crd.key(), crd);
            if (previous != null) {
              errors.add(e.getKey() + ": " + crd.key() + " is already defined in " + previous.file);
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read CRD file " + file, e);
      }
    }
    if (found == 0 && errors.isEmpty()) {
      throw new IllegalArgumentException("no CustomResourceDefinition found in " + dir);
    }
    if (!errors.isEmpty()) {
      throw new IllegalStateException(
          "cannot check against the CRDs in "
              + dir
              + " faithfully ("
              + errors.size()
              + " problem"
              + (errors.size() == 1 ? "" : "s")
              + "):\n  "
              + String.join("\n  ", errors));
    }
    return new CrdConformance(dir, loaded, compiler.ruleCount(), compiler.transitionRuleCount());
  }

  private static boolean isCrd(JsonNode doc) {
    return "CustomResourceDefinition".equals(doc.path("kind").asText())
        && doc.path("apiVersion").asText().startsWith("apiextensions.k8s.io/");
  }

  private static String key(JsonNode crd) {
    return Crd.key(
        crd.path("spec").path("group").asText(""),
        crd.path("spec").path("names").path("kind").asText(""));
  }

  private static Crd readCrd(JsonNode doc, String where, SchemaCompiler compiler) {
    List<String> errors = compiler.errors();
    if (!isCrd(doc)) {
      errors.add(
          where + ": not a CustomResourceDefinition (kind " + Json.describe(doc.get("kind")) + ")");
      return null;
    }
    JsonNode spec = doc.path("spec");
    String group = spec.path("group").asText("");
    String kind = spec.path("names").path("kind").asText("");
    String scope = spec.path("scope").asText("");
    if (group.isEmpty()
        || kind.isEmpty()
        || !(scope.equals("Namespaced") || scope.equals("Cluster"))) {
      errors.add(
          where + ": CRD without spec.group, spec.names.kind or a Namespaced/Cluster spec.scope");
      return null;
    }
    Map<String, Schema> served = new LinkedHashMap<>();
    Set<String> all = new LinkedHashSet<>();
    for (JsonNode version : spec.path("versions")) {
      String name = version.path("name").asText("");
      all.add(name);
      JsonNode schema = version.path("schema").path("openAPIV3Schema");
      if (schema.isMissingNode()) {
        errors.add(where + ": version " + name + " has no schema.openAPIV3Schema");
        continue;
      }
      // Compile every version, served or not, so that every rule in the file is proven to compile.
      Schema compiled = compiler.compile(schema, where + ":" + name);
      if (version.path("served").asBoolean(false)) {
        served.put(name, compiled);
      }
    }
    return new Crd(where, group, kind, scope.equals("Namespaced"), served, all);
  }

  /**
   * Every reason the API server or the controller would reject {@code document} on create; empty
   * when it would be accepted. The document is not modified.
   */
  public List<Violation> validate(JsonNode document) {
    Objects.requireNonNull(document, "document");
    Report r = Report.collecting();
    FieldPath root = FieldPath.ROOT;
    if (!document.isObject()) {
      r.add(
          root,
          Report.TYPE,
          "expected a Kubernetes object (a JSON object), found " + Json.describe(document));
      return List.copyOf(r.list());
    }
    JsonNode apiVersion = document.get("apiVersion");
    JsonNode kind = document.get("kind");
    if (!identity(apiVersion, "apiVersion", r) | !identity(kind, "kind", r)) {
      return List.copyOf(r.list());
    }
    String av = apiVersion.textValue();
    int slash = av.lastIndexOf('/');
    String group = slash < 0 ? "" : av.substring(0, slash);
    String version = av.substring(slash + 1);
    Crd crd = crds.get(Crd.key(group, kind.textValue()));
    if (crd == null) {
      r.add(
          root.field("kind"),
          Report.UNKNOWN_KIND,
          "no CRD in "
              + directory
              + " defines kind "
              + Json.quote(kind.textValue())
              + " in group "
              + Json.quote(group)
              + " (apiVersion "
              + Json.quote(av)
              + "); known: "
              + String.join(", ", crds.keySet()));
      return List.copyOf(r.list());
    }
    Schema schema = crd.served.get(version);
    if (schema == null) {
      r.add(
          root.field("apiVersion"),
          Report.UNSERVED_VERSION,
          crd.kind
              + " ("
              + crd.group
              + ") serves versions "
              + crd.served.keySet().stream().sorted().collect(Collectors.toList())
              + ", found "
              + Json.quote(version)
              + (crd.allVersions.contains(version) ? " (defined but not served)" : ""));
      return List.copyOf(r.list());
    }
    ObjectMetaCheck.check(document.get("metadata"), crd.namespaced, crd.kind, r);
    if (document.has("status")) {
      r.add(
          root.field("status"),
          Report.FORBIDDEN,
          "rendered documents must not carry status (the controller writes it), found "
              + Json.describe(document.get("status")));
    }
    JsonNode doc = schemaView(schema, document);
    if (Defaults.needed(schema, doc)) {
      doc = doc.deepCopy();
      Defaults.apply(schema, doc);
    }
    SchemaValidator.validate(schema, doc, root, r, true);
    RuleEvaluator.evaluateRules(r);
    switch (crd.key()) {
      case "CiliumNetworkPolicy.cilium.io":
      case "CiliumClusterwideNetworkPolicy.cilium.io":
        CiliumChecks.check(doc, r);
        break;
      case "AuthorizationPolicy.security.istio.io":
        IstioChecks.authorizationPolicy(doc, r);
        break;
      case "PeerAuthentication.security.istio.io":
        IstioChecks.peerAuthentication(doc, r);
        break;
      default:
        break;
    }
    return List.copyOf(r.list());
  }

  private static boolean identity(JsonNode value, String field, Report r) {
    if (value == null || value.isNull()) {
      r.add(
          FieldPath.ROOT.field(field),
          Report.REQUIRED,
          "required field '" + field + "' is missing");
      return false;
    }
    if (!value.isTextual() || value.textValue().isEmpty()) {
      r.add(
          FieldPath.ROOT.field(field),
          Report.TYPE,
          "expected a non-empty string, found " + Json.describe(value));
      return false;
    }
    return true;
  }

  /**
   * The document as the schema walk sees it. {@code apiVersion}, {@code kind} and {@code metadata}
   * are part of every Kubernetes object whether or not the CRD's schema declares them (Istio's do
   * not): they are kept only where the schema declares them, with ObjectMeta replaced by {@code {}}
   * because it is checked separately (a CRD schema may only say {@code type: object} for it).
   * Status is reported as forbidden and not walked (nor defaulted).
   */
  private static JsonNode schemaView(Schema schema, JsonNode doc) {
    ObjectNode view = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, JsonNode> e : doc.properties()) {
      switch (e.getKey()) {
        case "status":
          break;
        case "apiVersion":
        case "kind":
          if (schema.properties.containsKey(e.getKey())) {
            view.set(e.getKey(), e.getValue());
          }
          break;
        case "metadata":
          break;
        default:
          view.set(e.getKey(), e.getValue());
          break;
      }
    }
    if (schema.properties.containsKey("metadata")) {
      view.set("metadata", JsonNodeFactory.instance.objectNode());
    }
    return view;
  }

  /** The directory (or file) the CRDs were loaded from. */
  public Path directory() {
    return directory;
  }

  /** The kinds loaded, as {@code Kind.group}, sorted. */
  public Set<String> kinds() {
    return crds.keySet();
  }

  /** Number of x-kubernetes-validations rules compiled, over all files and versions. */
  int ruleCount() {
    return ruleCount;
  }

  /**
   * Of those, the transition rules (using {@code oldSelf}), which are never evaluated on create.
   */
  int transitionRuleCount() {
    return transitionRuleCount;
  }

  /** Served versions of a kind, for tests. */
  Set<String> servedVersions(String kindDotGroup) {
    Crd crd = crds.get(kindDotGroup);
    return crd == null ? Set.of() : crd.served.keySet();
  }
}
