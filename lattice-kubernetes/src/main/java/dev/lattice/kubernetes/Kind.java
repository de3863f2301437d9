package dev.lattice.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;

/**
 * A kind of object Lattice writes: its API group and version, kind, plural (the URL's resource
 * name) and scope. Known here rather than discovered, so applying needs no discovery round-trips
 * and no permission to read the API's discovery documents.
 */
record Kind(String group, String version, String kind, String plural, boolean namespaced) {

  /** The kinds the renderers write, in the order of {@code dev.lattice.output.ResourceKey}. */
  static final List<Kind> RENDERED =
      List.of(
          new Kind("security.istio.io", "v1", "AuthorizationPolicy", "authorizationpolicies", true),
          new Kind(
              "cilium.io",
              "v2",
              "CiliumClusterwideNetworkPolicy",
              "ciliumclusterwidenetworkpolicies",
              false),
          new Kind("cilium.io", "v2", "CiliumNetworkPolicy", "ciliumnetworkpolicies", true),
          new Kind("gateway.networking.k8s.io", "v1", "Gateway", "gateways", true),
          new Kind("security.istio.io", "v1", "PeerAuthentication", "peerauthentications", true),
          new Kind("networking.istio.io", "v1", "ServiceEntry", "serviceentries", true));

  /** The client's description of the kind. */
  ResourceDefinitionContext context() {
    return new ResourceDefinitionContext.Builder()
        .withGroup(group)
        .withVersion(version)
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(namespaced)
        .build();
  }

  /** Operations on objects of this kind. */
  MixedOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>>
      in(KubernetesClient client) {
    return client.genericKubernetesResources(context());
  }
}
