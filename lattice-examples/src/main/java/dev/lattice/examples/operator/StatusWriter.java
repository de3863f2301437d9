package dev.lattice.examples.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.kubernetes.ApplyReport;
import dev.lattice.kubernetes.ClusterSpecs;
import dev.lattice.kubernetes.ClusterSpecs.SpecObject;
import dev.lattice.kubernetes.SpecKind;
import dev.lattice.output.ResourceKey;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The operator's part of each spec object's status ({@code status.policies}): whether the specs are
 * in force and why not, and the object's own diagnostics. Writes it with a merge patch when it
 * changed; when a kind's statuses cannot be written (no RBAC grant, or a CRD whose status schema
 * drops the field) it says why once, logs each changed status instead until the next full sync, and
 * asks again then.
 */
final class StatusWriter {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private final KubernetesClient client;

  /** Kinds whose statuses are not written until the next full sync, and why. */
  private final Map<SpecKind, String> statusNotWritten = new EnumMap<>(SpecKind.class);

  StatusWriter(KubernetesClient client) {
    this.client = client;
  }

  /** Forgets which kinds' statuses could not be written: a full sync asks the server again. */
  void askAgain() {
    statusNotWritten.clear();
  }

  /** Kinds whose statuses are not written, and why. */
  Map<SpecKind, String> notWritten() {
    return Map.copyOf(statusNotWritten);
  }

  /** The status last logged for each object whose kind's statuses are not written. */
  private final Map<ResourceKey, JsonNode> logged = new HashMap<>();

  /**
   * Writes the status of each of {@code objects} that changed, adding a log line to {@code
   * unwritten} for each whose kind's statuses cannot be written; the number of statuses written.
   */
  int write(
      List<GenericKubernetesResource> objects,
      ClusterSpecs specs,
      boolean accepted,
      List<Diagnostic> diagnostics,
      List<ApplyReport> reports,
      List<String> unwritten) {
    Map<ResourceKey, SpecObject> byKey = new HashMap<>();
    specs.objects().forEach(s -> byKey.put(s.key(), s));
    List<String> faulty = new ArrayList<>();
    List<String> clusterErrors = new ArrayList<>();
    Map<String, List<Diagnostic>> byOrigin = new HashMap<>();
    for (Diagnostic d : diagnostics) {
      d.location()
          .ifPresent(l -> byOrigin.computeIfAbsent(l.file(), k -> new ArrayList<>()).add(d));
      if (d.isError()) {
        if (d.location().isPresent()) {
          String f = d.location().get().file();
          if (!faulty.contains(f)) {
            faulty.add(f);
          }
        } else {
          clusterErrors.add(d.message());
        }
      }
    }
    Optional<ApplyReport.Failure> failure =
        reports.stream().flatMap(r -> r.failure().stream()).findFirst();
    int writes = 0;
    Set<ResourceKey> seen = new TreeSet<>();
    for (GenericKubernetesResource o : objects) {
      SpecObject spec = byKey.get(ClusterReconciler.key(o));
      SpecKind kind = SpecKind.of(o.getKind()).orElseThrow();
      List<Diagnostic> own = byOrigin.getOrDefault(spec.origin(), List.of());
      boolean ownErrors = own.stream().anyMatch(Diagnostic::isError);
      boolean inForce = accepted && failure.isEmpty();
      String message;
      if (inForce) {
        message = "in force";
      } else if (ownErrors) {
        message =
            "refused: this object has errors; the cluster keeps the policies of the last specs"
                + " that compiled";
      } else if (!accepted) {
        message =
            "not in force: "
                + (!faulty.isEmpty()
                    ? "errors in " + String.join(", ", faulty)
                    : !clusterErrors.isEmpty()
                        ? String.join("; ", clusterErrors)
                        : "the specs do not compile")
                + "; the cluster keeps the policies of the last specs that compiled";
      } else {
        message = "not in force yet: " + failure.get().message() + " (retrying)";
      }
      ObjectNode status = status(o.getMetadata().getGeneration(), inForce, message, own);
      // compared as the server returns it (numbers as parsed from JSON)
      JsonNode want = JSON.unmarshal(status.toString(), JsonNode.class);
      if (statusNotWritten.containsKey(kind)) {
        seen.add(spec.key());
        if (!want.equals(logged.put(spec.key(), want))) {
          unwritten.add(line(spec, status));
        }
        continue;
      }
      JsonNode current =
          JSON.convertValue(o.getAdditionalProperties().get("status"), JsonNode.class);
      if (current != null && want.equals(current.get(ClusterReconciler.STATUS_KEY))) {
        continue;
      }
      Optional<Boolean> kept = writeStatus(kind, o, status);
      if (kept.isEmpty()) {
        // deleted since the pass listed it: its deletion starts the next pass
        continue;
      }
      if (!kept.get()) {
        seen.add(spec.key());
        if (!want.equals(logged.put(spec.key(), want))) {
          unwritten.add(line(spec, status));
        }
        continue;
      }
      writes++;
    }
    logged.keySet().retainAll(seen);
    return writes;
  }

  /**
   * Merge-patches {@code status.policies} of {@code o}: true when the server kept it, false when
   * its kind's statuses cannot be written (recorded), empty when the object is gone.
   */
  private Optional<Boolean> writeStatus(SpecKind kind, GenericKubernetesResource o, ObjectNode s) {
    GenericKubernetesResource patch =
        new GenericKubernetesResourceBuilder()
            .withApiVersion(o.getApiVersion())
            .withKind(o.getKind())
            .withNewMetadata()
            .withName(o.getMetadata().getName())
            .withNamespace(o.getMetadata().getNamespace())
            .endMetadata()
            .build();
    ObjectNode wrapper = JsonNodeFactory.instance.objectNode();
    wrapper.set(ClusterReconciler.STATUS_KEY, s);
    patch.setAdditionalProperty("status", JSON.convertValue(wrapper, Map.class));
    GenericKubernetesResource written;
    try {
      written =
          kind.in(client).inNamespace(o.getMetadata().getNamespace()).resource(patch).patchStatus();
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        return Optional.empty();
      }
      if (e.getCode() == HttpURLConnection.HTTP_FORBIDDEN) {
        statusNotWritten.put(
            kind,
            "the operator may not patch "
                + kind.plural()
                + "/status (RBAC): grant get, patch and update on it in API group "
                + SpecKind.GROUP
                + " (operator/rbac.yaml does)");
        return Optional.of(false);
      }
      throw e;
    }
    JsonNode after =
        JSON.convertValue(written.getAdditionalProperties().get("status"), JsonNode.class);
    if (after == null || !after.has(ClusterReconciler.STATUS_KEY)) {
      statusNotWritten.put(
          kind,
          "the "
              + kind.crdName()
              + " CRD installed drops status."
              + ClusterReconciler.STATUS_KEY
              + " (its status schema is not operator/crds.yaml's: the Lattice platform's, say);"
              + " the operator reports on "
              + kind.kind()
              + " objects in its log only");
      return Optional.of(false);
    }
    return Optional.of(true);
  }

  /** A status the operator could not write, as a log line. */
  private static String line(SpecObject spec, ObjectNode status) {
    StringBuilder b =
        new StringBuilder(spec.origin()).append(": ").append(status.path("message").asText());
    for (JsonNode d : status.path("diagnostics")) {
      b.append("\n  ")
          .append(d.path("path").asText())
          .append(": ")
          .append(d.path("severity").asText())
          .append('[')
          .append(d.path("code").asText())
          .append("]: ")
          .append(d.path("message").asText());
    }
    return b.toString();
  }

  /** The status the operator writes: generation seen, in force or not, why, the diagnostics. */
  static ObjectNode status(Long generation, boolean inForce, String message, List<Diagnostic> own) {
    ObjectNode s = JsonNodeFactory.instance.objectNode();
    s.put("observedGeneration", generation == null ? 0 : generation);
    s.put("inForce", inForce);
    s.put("message", message);
    ArrayNode list = s.putArray("diagnostics");
    for (Diagnostic d : own) {
      list.addObject()
          .put("severity", d.severity().label())
          .put("code", d.code().id())
          .put("path", d.path())
          .put("message", d.message());
    }
    s.put(
        "summary",
        String.format(
            Locale.ROOT,
            "%d errors, %d warnings",
            own.stream().filter(Diagnostic::isError).count(),
            own.stream()
                .filter(d -> !d.isError() && d.severity().label().equals("warning"))
                .count()));
    return s;
  }
}
