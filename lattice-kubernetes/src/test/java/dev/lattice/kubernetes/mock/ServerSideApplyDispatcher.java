package dev.lattice.kubernetes.mock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * fabric8's mock API server in CRUD mode, taught the part of server-side apply that Lattice relies
 * on. Read this before trusting a test that uses it.
 *
 * <p><b>What the mock does without it</b> (kubernetes-server-mock 7.6.1, {@code PatchHandler}): a
 * {@code PATCH} with content type {@code application/apply-patch+yaml} is refused with 415
 * Unsupported Media Type, and a PATCH of a missing object is 404 — so a server-side apply neither
 * creates nor updates anything, and the {@code fieldManager}, {@code force} and {@code dryRun}
 * parameters are never read. {@code MockClusterTest} pins that behaviour, so an upgrade that
 * changes it shows up.
 *
 * <p><b>What this emulates</b>, for an apply-patch request:
 *
 * <ul>
 *   <li>{@code fieldManager} is required (400 without it, as a real server answers).
 *   <li>A missing object is created from the applied document.
 *   <li>An existing object gets the applied fields (objects merged field by field, lists replaced
 *       whole: every list is atomic here), and loses the fields the same manager applied last time
 *       but no longer applies; fields others set stay. The resourceVersion moves only when the
 *       object changed (the mock's PUT handler decides).
 *   <li>Each object carries {@code metadata.managedFields} with an {@code Apply} entry per manager,
 *       its {@code fieldsV1} listing the fields that manager applied.
 *   <li>Conflicts: applying a value that differs from the live one, for a field another manager
 *       owns, is 409 Conflict unless {@code force=true}, which takes the field over. An object
 *       created or replaced by a plain write (no managedFields entry) counts as owned whole by
 *       manager {@code before-first-apply} — a real server would name the client that wrote it.
 *   <li>{@code dryRun=All} answers as the write would, and stores nothing.
 * </ul>
 *
 * <p><b>What it does not emulate</b>: list-type map and set merging ({@code
 * x-kubernetes-list-type}: real servers merge such list items by key, this replaces the list),
 * ownership of single list items, {@code Update}-operation entries for other writers, schema
 * validation and defaulting, admission webhooks, and the timestamps in managedFields. Tests that
 * depend on any of these need a real API server.
 *
 * <p>JSON merge patches (what fabric8's {@code patchStatus()} sends) are applied as RFC 7386
 * defines them: the plain mock merges a list into the stored one by appending, so a list that
 * shrinks (a status's diagnostics, fixed) never does.
 *
 * <p>It can also refuse writes on purpose ({@link #refuse}), to test a run that fails halfway;
 * serve a custom kind only while its CRD object exists ({@link #serveOnlyWithCrd}: the plain mock
 * serves every kind it was given, CRD or not); and prune the status of a kind to the fields a
 * structural schema names ({@link #pruneStatus}: the plain mock keeps any field).
 */
public class ServerSideApplyDispatcher extends KubernetesCrudDispatcher {
  /** The owner of fields written by plain creates and updates, for conflicts. */
  public static final String BEFORE_FIRST_APPLY = "before-first-apply";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<String> writes = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, MockResponse> refusals = Collections.synchronizedMap(new HashMap<>());
  private final Map<String, MockResponse> readRefusals =
      Collections.synchronizedMap(new HashMap<>());
  private final Set<String> servedOnlyWithCrd = ConcurrentHashMap.newKeySet();
  private final Map<String, Set<String>> statusFields = new ConcurrentHashMap<>();

  /** A dispatcher that serves the custom resources {@code contexts} describe. */
  public ServerSideApplyDispatcher(List<CustomResourceDefinitionContext> contexts) {
    super(contexts);
  }

  /** Every write request so far, as {@code METHOD path}, in order. */
  public List<String> writes() {
    synchronized (writes) {
      return List.copyOf(writes);
    }
  }

  /** Forgets the writes recorded so far. */
  public void clearWrites() {
    writes.clear();
  }

  /**
   * Refuses every write (POST, PUT, PATCH, DELETE) whose path contains {@code pathPart} with {@code
   * status} and a Kubernetes Status carrying {@code message}, until {@link #allow}.
   */
  public void refuse(String pathPart, int status, String message) {
    refusals.put(pathPart, status(status, message));
  }

  /** Stops refusing writes (and reads) to {@code pathPart}. */
  public void allow(String pathPart) {
    refusals.remove(pathPart);
    readRefusals.remove(pathPart);
  }

  /**
   * Refuses every read (GET, watches included) whose path contains {@code pathPart} as {@link
   * #refuse} refuses writes: to test an account RBAC lets read less than it needs.
   */
  public void refuseReads(String pathPart, int status, String message) {
    readRefusals.put(pathPart, status(status, message));
  }

  /**
   * Serves the custom kind of the CRD {@code crdName} ({@code latticemodels.lattice.dev}) only
   * while a CRD object of that name exists in the mock, as a real API server does: until it is
   * created, and once it is deleted, every request for the kind is answered 404 (the objects stored
   * meanwhile stay, hidden; a real server deletes them with their CRD).
   */
  public void serveOnlyWithCrd(String crdName) {
    servedOnlyWithCrd.add(crdName);
  }

  /**
   * Keeps only the top-level {@code status} fields {@code fields} in the status the mock stores for
   * objects of the CRD {@code crdName}, as the API server prunes fields a structural schema does
   * not name (without {@code x-kubernetes-preserve-unknown-fields}): the write succeeds, the other
   * fields are dropped. Applies to JSON merge patches of the status subresource, the writes the
   * operator makes.
   */
  public void pruneStatus(String crdName, Set<String> fields) {
    statusFields.put(crdName, Set.copyOf(fields));
  }

  /**
   * The CRD name ({@code plural.group}) of a request for a custom kind, {@code
   * /apis/<group>/<version>/[namespaces/<ns>/]<plural>[/<name>[/status]]}, or null.
   */
  private static String crdOf(String path) {
    String[] parts = path.split("/");
    // "", "apis", group, version, plural | "namespaces", ns, plural
    if (parts.length < 5 || !parts[1].equals("apis") || !parts[2].contains(".")) {
      return null;
    }
    int plural = parts[4].equals("namespaces") ? 6 : 4;
    return parts.length > plural ? parts[plural] + "." + parts[2] : null;
  }

  private boolean crdExists(String crdName) {
    return super.handleGet("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/" + crdName)
            .code()
        == 200;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String full = request.getPath();
    String path = full.contains("?") ? full.substring(0, full.indexOf('?')) : full;
    String crd = crdOf(path);
    if (crd != null && servedOnlyWithCrd.contains(crd) && !crdExists(crd)) {
      return status(404, "the server could not find the requested resource");
    }
    HttpMethod m = request.method();
    if (m == HttpMethod.GET) {
      synchronized (readRefusals) {
        for (Map.Entry<String, MockResponse> r : readRefusals.entrySet()) {
          if (full.contains(r.getKey())) {
            return r.getValue();
          }
        }
      }
    }
    if (m == HttpMethod.POST
        || m == HttpMethod.PUT
        || m == HttpMethod.PATCH
        || m == HttpMethod.DELETE) {
      synchronized (refusals) {
        for (Map.Entry<String, MockResponse> r : refusals.entrySet()) {
          if (request.getPath().contains(r.getKey())) {
            return r.getValue();
          }
        }
      }
      writes.add(m + " " + request.getPath());
    }
    return super.dispatch(request);
  }

  @Override
  public MockResponse handlePatch(RecordedRequest request) {
    String type = request.getHeader("Content-Type");
    if (type != null && type.startsWith("application/merge-patch")) {
      try {
        return mergePatch(request);
      } catch (JsonProcessingException e) {
        return status(400, "the merge patch is not JSON: " + e.getOriginalMessage());
      }
    }
    if (type == null || !type.startsWith("application/apply-patch")) {
      return super.handlePatch(request);
    }
    try {
      return apply(request);
    } catch (JsonProcessingException e) {
      return status(400, "the apply patch is not YAML: " + e.getOriginalMessage());
    }
  }

  private MockResponse apply(RecordedRequest request) throws JsonProcessingException {
    String full = request.getPath();
    int q = full.indexOf('?');
    String path = q < 0 ? full : full.substring(0, q);
    Map<String, String> params = query(q < 0 ? "" : full.substring(q + 1));
    String manager = params.get("fieldManager");
    if (manager == null || manager.isEmpty()) {
      return status(
          400,
          "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value:"
              + " is required for apply patch");
    }
    boolean force = "true".equals(params.get("force"));
    boolean dryRun = params.containsKey("dryRun");
    ObjectNode applied = (ObjectNode) YAML.readTree(request.getBody().readUtf8());
    ObjectNode owned = fields(applied);

    MockResponse got = super.handleGet(path);
    if (got.code() == 404) {
      ObjectNode created = applied.deepCopy();
      setEntry(created, manager, applied.path("apiVersion").asText(), owned);
      if (dryRun) {
        return new MockResponse().setResponseCode(201).setBody(created.toString());
      }
      String collection = path.substring(0, path.lastIndexOf('/'));
      return super.handleCreate(request(HttpMethod.POST, collection, created));
    }
    ObjectNode live = (ObjectNode) JSON.readTree(got.getBody().readUtf8());

    // conflicts: a differing value in a field another manager owns
    List<String> conflicts = new ArrayList<>();
    Map<String, JsonNode> others = new HashMap<>();
    JsonNode entries = live.path("metadata").path("managedFields");
    if (!entries.isArray() || entries.isEmpty()) {
      others.put(BEFORE_FIRST_APPLY, fields(live));
    } else {
      for (JsonNode e : entries) {
        if (!manager.equals(e.path("manager").asText())) {
          others.put(e.path("manager").asText(), e.path("fieldsV1"));
        }
      }
    }
    for (Map.Entry<String, JsonNode> o : others.entrySet()) {
      conflicts(applied, live, o.getValue(), "", o.getKey(), conflicts);
    }
    if (!conflicts.isEmpty() && !force) {
      return status(
          409,
          "Apply failed with "
              + conflicts.size()
              + " conflict"
              + (conflicts.size() == 1 ? "" : "s")
              + ": "
              + String.join(", ", conflicts));
    }

    ObjectNode next = live.deepCopy();
    JsonNode before = ownedBy(live, manager);
    if (before != null) {
      removeDropped(next, before, applied);
    }
    merge(next, applied);
    ArrayNode kept = JSON.createArrayNode();
    for (JsonNode e : entries) {
      String m = e.path("manager").asText();
      if (!m.equals(manager) && !(force && !conflicts.isEmpty())) {
        kept.add(e);
      }
    }
    ((ObjectNode) next.path("metadata")).set("managedFields", kept);
    setEntry(next, manager, applied.path("apiVersion").asText(), owned);
    if (dryRun) {
      return new MockResponse().setResponseCode(200).setBody(next.toString());
    }
    return super.handleUpdate(request(HttpMethod.PUT, path, next));
  }

  // ---------------------------------------------------------------- JSON merge patch

  /**
   * A JSON merge patch as RFC 7386 defines it (the plain mock merges lists by appending, so a list
   * never shrinks), then the status pruned as {@link #pruneStatus} asks, stored with a PUT.
   */
  private MockResponse mergePatch(RecordedRequest request) throws JsonProcessingException {
    String full = request.getPath();
    String path = full.contains("?") ? full.substring(0, full.indexOf('?')) : full;
    JsonNode patch = JSON.readTree(request.getBody().readUtf8());
    boolean status = path.endsWith("/status");
    MockResponse got =
        super.handleGet(status ? path.substring(0, path.length() - "/status".length()) : path);
    if (got.code() != 200) {
      return got;
    }
    JsonNode live = JSON.readTree(got.getBody().readUtf8());
    JsonNode merged = merge(live, patch);
    Set<String> keep = status ? statusFields.get(crdOf(path)) : null;
    if (keep != null && merged.path("status").isObject()) {
      ((ObjectNode) merged.path("status")).retain(keep);
    }
    return super.handleUpdate(request(HttpMethod.PUT, path, merged));
  }

  /** {@code patch} merged into {@code target} (RFC 7386): objects by key, null removes. */
  static JsonNode merge(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode out =
        target != null && target.isObject()
            ? ((ObjectNode) target).deepCopy()
            : JSON.createObjectNode();
    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      if (e.getValue().isNull()) {
        out.remove(e.getKey());
      } else {
        out.set(e.getKey(), merge(out.get(e.getKey()), e.getValue()));
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- fieldsV1

  /** The fields {@code doc} sets, as a {@code fieldsV1} tree (lists are leaves). */
  static ObjectNode fields(JsonNode doc) {
    ObjectNode out = JSON.createObjectNode();
    for (Map.Entry<String, JsonNode> e : doc.properties()) {
      String k = e.getKey();
      if (k.equals("apiVersion") || k.equals("kind") || k.equals("status")) {
        continue;
      }
      if (k.equals("metadata")) {
        ObjectNode meta = JSON.createObjectNode();
        for (String sub : List.of("labels", "annotations")) {
          if (e.getValue().path(sub).isObject()) {
            meta.set("f:" + sub, fields(e.getValue().path(sub)));
          }
        }
        if (!meta.isEmpty()) {
          out.set("f:metadata", meta);
        }
        continue;
      }
      out.set("f:" + k, e.getValue().isObject() ? fields(e.getValue()) : JSON.createObjectNode());
    }
    return out;
  }

  private static JsonNode ownedBy(JsonNode live, String manager) {
    for (JsonNode e : live.path("metadata").path("managedFields")) {
      if (manager.equals(e.path("manager").asText())) {
        return e.path("fieldsV1");
      }
    }
    return null;
  }

  private static void setEntry(
      ObjectNode doc, String manager, String apiVersion, ObjectNode owned) {
    ObjectNode metadata = (ObjectNode) doc.path("metadata");
    ArrayNode entries =
        metadata.path("managedFields").isArray()
            ? (ArrayNode) metadata.path("managedFields")
            : metadata.putArray("managedFields");
    for (Iterator<JsonNode> it = entries.iterator(); it.hasNext(); ) {
      if (manager.equals(it.next().path("manager").asText())) {
        it.remove();
      }
    }
    ObjectNode entry = entries.addObject();
    entry.put("manager", manager).put("operation", "Apply").put("apiVersion", apiVersion);
    entry.put("fieldsType", "FieldsV1").set("fieldsV1", owned);
  }

  /** Records each field of {@code applied} that differs in {@code live} and {@code owner} owns. */
  private static void conflicts(
      JsonNode applied, JsonNode live, JsonNode owned, String at, String owner, List<String> out) {
    for (Map.Entry<String, JsonNode> e : applied.properties()) {
      String k = e.getKey();
      if (at.isEmpty() && (k.equals("apiVersion") || k.equals("kind"))) {
        continue;
      }
      if (at.isEmpty() && k.equals("metadata")) {
        for (String sub : List.of("labels", "annotations")) {
          conflicts(
              e.getValue().path(sub),
              live.path("metadata").path(sub),
              owned.path("f:metadata").path("f:" + sub),
              ".metadata." + sub,
              owner,
              out);
        }
        continue;
      }
      JsonNode o = owned.get("f:" + k);
      JsonNode have = live.get(k);
      if (o == null || have == null) {
        continue;
      }
      if (e.getValue().isObject() && have.isObject()) {
        conflicts(e.getValue(), have, o, at + "." + k, owner, out);
      } else if (!e.getValue().equals(have)) {
        out.add("conflict with \"" + owner + "\": " + at + "." + k);
      }
    }
  }

  /**
   * Removes from {@code doc} the fields {@code before} lists that {@code applied} no longer has.
   */
  private static void removeDropped(ObjectNode doc, JsonNode before, JsonNode applied) {
    for (Map.Entry<String, JsonNode> e : before.properties()) {
      if (!e.getKey().startsWith("f:")) {
        continue;
      }
      String k = e.getKey().substring(2);
      JsonNode now = applied.get(k);
      JsonNode have = doc.get(k);
      if (have == null) {
        continue;
      }
      if (now == null) {
        doc.remove(k);
      } else if (have.isObject() && now.isObject()) {
        removeDropped((ObjectNode) have, e.getValue(), now);
      }
    }
  }

  /** Sets every field of {@code applied} in {@code doc}: objects merged, anything else replaced. */
  private static void merge(ObjectNode doc, JsonNode applied) {
    for (Map.Entry<String, JsonNode> e : applied.properties()) {
      JsonNode have = doc.get(e.getKey());
      if (have != null && have.isObject() && e.getValue().isObject()) {
        merge((ObjectNode) have, e.getValue());
      } else {
        doc.set(e.getKey(), e.getValue().deepCopy());
      }
    }
  }

  // ---------------------------------------------------------------- plumbing

  private static Map<String, String> query(String query) {
    Map<String, String> out = new HashMap<>();
    for (String p : query.split("&")) {
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? p : p.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(k, v);
    }
    return out;
  }

  private static RecordedRequest request(HttpMethod method, String path, JsonNode body) {
    Headers headers = Headers.builder().add("Content-Type", "application/json").build();
    return new RecordedRequest(
        "HTTP/1.1", method, path, headers, new Buffer().writeUtf8(body.toString()));
  }

  private static MockResponse status(int code, String message) {
    ObjectNode s = JsonNodeFactory.instance.objectNode();
    s.put("apiVersion", "v1").put("kind", "Status").put("status", "Failure");
    s.put("message", message).put("code", code);
    return new MockResponse().setResponseCode(code).setBody(s.toString());
  }
}
