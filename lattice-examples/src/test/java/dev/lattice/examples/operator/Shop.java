package dev.lattice.examples.operator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lattice.cilium.CiliumRenderer;
import dev.lattice.graph.Topology;
import dev.lattice.istio.IstioRenderer;
import dev.lattice.kubernetes.SpecKind;
import dev.lattice.model.Settings;
import dev.lattice.output.Labels;
import dev.lattice.output.Manifest;
import dev.lattice.output.Resource;
import dev.lattice.output.ResourceKey;
import dev.lattice.spec.Specs;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The shop's specs as custom resources, and what the cluster must hold for them. */
final class Shop {
  private Shop() {}

  static final KubernetesSerialization JSON = new KubernetesSerialization();

  static final String WEB =
      """
      apiVersion: lattice.dev/v1alpha1
      kind: LatticeService
      metadata: {name: web, namespace: shop}
      spec:
        workload:
          service:
            ports:
              http: {port: 80, targetPort: 3000}
          resources:
            api: {}
            cart: {}
      """;
  static final String API =
      """
      apiVersion: lattice.dev/v1alpha1
      kind: LatticeService
      metadata: {name: api, namespace: shop}
      spec:
        workload:
          service:
            ports:
              http: {port: 80, targetPort: 8080}
          resources:
            web: {direction: inbound}
            db: {namespace: data}
      """;
  static final String CART =
      """
      apiVersion: lattice.dev/v1alpha1
      kind: LatticeService
      metadata: {name: cart, namespace: shop}
      spec:
        workload:
          service:
            ports:
              http: {port: 8080}
          resources:
            web: {direction: inbound}
      """;
  static final String DB =
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
  static final String PROMETHEUS =
      """
      apiVersion: lattice.dev/v1alpha1
      kind: LatticeMeshMember
      metadata: {name: prometheus, namespace: monitoring}
      spec:
        target: {selector: {app: prometheus}}
        dependencies: [{name: db, namespace: data}]
      """;

  static final List<String> ALL = List.of(WEB, API, CART, DB, PROMETHEUS);

  /** Creates {@code yaml} (one object) in the cluster. */
  static void create(KubernetesClient client, String yaml) {
    GenericKubernetesResource o = JSON.unmarshal(yaml, GenericKubernetesResource.class);
    op(client, o.getKind()).inNamespace(o.getMetadata().getNamespace()).resource(o).create();
  }

  /** Replaces the spec of the object {@code yaml} describes with {@code yaml}'s. */
  static void update(KubernetesClient client, String yaml) {
    GenericKubernetesResource o = JSON.unmarshal(yaml, GenericKubernetesResource.class);
    op(client, o.getKind())
        .inNamespace(o.getMetadata().getNamespace())
        .withName(o.getMetadata().getName())
        .edit(
            live -> {
              live.setAdditionalProperty("spec", o.getAdditionalProperties().get("spec"));
              return live;
            });
  }

  static void delete(KubernetesClient client, String kind, String namespace, String name) {
    op(client, kind).inNamespace(namespace).withName(name).delete();
  }

  static GenericKubernetesResource get(KubernetesClient client, String kind, String ns, String n) {
    return op(client, kind).inNamespace(ns).withName(n).get();
  }

  /** The operator's part of the object's status ({@code status.policies}), or null. */
  static JsonNode status(KubernetesClient client, String kind, String ns, String n) {
    JsonNode status = wholeStatus(client, kind, ns, n);
    return status == null ? null : status.get(ClusterReconciler.STATUS_KEY);
  }

  /** The object's whole status, or null. */
  static JsonNode wholeStatus(KubernetesClient client, String kind, String ns, String n) {
    return JSON.convertValue(
        get(client, kind, ns, n).getAdditionalProperties().get("status"), JsonNode.class);
  }

  /** The Lattice documents of the YAML files directly in {@code dir}, in file name order. */
  static List<String> documents(Path dir) {
    List<String> docs = new ArrayList<>();
    try (var files = Files.list(dir)) {
      for (var f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        for (String doc : Files.readString(f, StandardCharsets.UTF_8).split("(?m)^---\n")) {
          if (doc.contains("apiVersion: lattice.dev/v1alpha1")) {
            docs.add(doc);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return docs;
  }

  /** The CRD of {@code kind} from this module's {@code operator/crds.yaml}. */
  static CustomResourceDefinition crd(SpecKind kind) {
    try (var in = Shop.class.getResourceAsStream("/operator/crds.yaml")) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      for (String doc : text.split("(?m)^---\n")) {
        if (doc.contains("name: " + kind.crdName())) {
          return JSON.unmarshal(doc, CustomResourceDefinition.class);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalArgumentException("no CRD of " + kind + " in operator/crds.yaml");
  }

  private static MixedOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>>
      op(KubernetesClient client, String kind) {
    return SpecKind.of(kind).orElseThrow().in(client);
  }

  /** A full render of {@code specs}, loaded as files are: what the cluster must hold. */
  static Manifest render(List<String> specs) {
    Topology t =
        Specs.parse("specs.yaml", String.join("---\n", specs))
            .orThrow()
            .resolve(Settings.defaults())
            .orThrow();
    return CiliumRenderer.create().render(t).plus(IstioRenderer.create().render(t));
  }

  /**
   * The managed objects of the rendered kinds in the cluster, reduced to what Lattice renders (spec
   * and labels), by key: comparable with {@link #documents}.
   */
  static Map<ResourceKey, JsonNode> managed(KubernetesClient client) {
    Map<ResourceKey, JsonNode> out = new TreeMap<>();
    String[][] kinds = {
      {"cilium.io", "v2", "CiliumNetworkPolicy", "ciliumnetworkpolicies", "true"},
      {"cilium.io", "v2", "CiliumClusterwideNetworkPolicy", "ciliumclusterwidenetworkpolicies", ""},
      {"security.istio.io", "v1", "AuthorizationPolicy", "authorizationpolicies", "true"},
      {"security.istio.io", "v1", "PeerAuthentication", "peerauthentications", "true"},
      {"networking.istio.io", "v1", "ServiceEntry", "serviceentries", "true"},
      {"gateway.networking.k8s.io", "v1", "Gateway", "gateways", "true"}
    };
    for (String[] k : kinds) {
      ResourceDefinitionContext ctx =
          new ResourceDefinitionContext.Builder()
              .withGroup(k[0])
              .withVersion(k[1])
              .withKind(k[2])
              .withPlural(k[3])
              .withNamespaced(!k[4].isEmpty())
              .build();
      var op = client.genericKubernetesResources(ctx);
      var items = (k[4].isEmpty() ? op.list() : op.inAnyNamespace().list()).getItems();
      for (GenericKubernetesResource o : items) {
        ObjectNode tree = JSON.convertValue(o, ObjectNode.class);
        if (!Labels.MANAGED_BY_VALUE.equals(
            tree.path("metadata").path("labels").path(Labels.MANAGED_BY).asText(null))) {
          continue;
        }
        String ns = o.getMetadata().getNamespace();
        out.put(
            ResourceKey.of(k[0], k[2], ns == null ? "" : ns, o.getMetadata().getName()),
            reduce(tree));
      }
    }
    return out;
  }

  /** {@code manifest}'s documents reduced as {@link #managed} reduces the cluster's. */
  static Map<ResourceKey, JsonNode> documents(Manifest manifest) {
    Map<ResourceKey, JsonNode> out = new TreeMap<>();
    for (Resource r : manifest.resources()) {
      out.put(r.key(), reduce(r.document()));
    }
    return out;
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Labels and spec, re-read from text so that number node types compare equal. */
  private static JsonNode reduce(JsonNode doc) {
    ObjectNode out = MAPPER.createObjectNode();
    out.set("labels", doc.path("metadata").path("labels"));
    out.set("spec", doc.path("spec"));
    try {
      return MAPPER.readTree(out.toString());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
