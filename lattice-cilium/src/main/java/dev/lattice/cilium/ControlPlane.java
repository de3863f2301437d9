package dev.lattice.cilium;

import dev.lattice.model.Settings;
import java.util.Map;

/**
 * What every Istio proxy pod that Lattice writes a policy for (a waypoint, a gateway) needs to run,
 * and nothing more: its agent dials istiod for configuration (xDS) and certificates (CA) on TCP
 * 15012, at the address {@code istiod.<istio namespace>.svc}, which it looks up through kube-dns.
 *
 * <p>Istio's proxy templates ({@code manifests/charts/istio-control/istio-discovery/files/
 * waypoint.yaml} and {@code kube-gateway.yaml}) set {@code CA_ADDR} to {@code
 * istiod.<istioNamespace>.svc:15012}, and the mesh config's default discovery address is {@code
 * istiod.istio-system.svc:15012} ({@code pkg/config/mesh/mesh.go}); a waypoint is not captured by
 * ztunnel ({@code istio.io/dataplane-mode: none}), so the lookup goes to kube-dns, where Cilium's
 * DNS proxy refuses names its rules do not allow (C13). So: egress to istiod's pods on 15012, and a
 * {@code rules.dns} entry for that one name with its search-path expansions (never a plain port-53
 * rule, C14).
 */
final class ControlPlane {
  /** istiod's pod labels. */
  private static final Map<String, String> ISTIOD = Map.of("app", "istiod");

  private ControlPlane() {}

  /** The name the proxy agent dials istiod by (the discovery and CA address, less the port). */
  static String istiodHost(Settings settings) {
    return "istiod." + settings.rootNamespace() + ".svc";
  }

  /** Egress to istiod on 15012 and the lookup of its name. */
  static void allow(Settings settings, Rules rules, DnsNames dns) {
    rules.allowEgress(Peer.pods(settings.rootNamespace(), ISTIOD), L4Port.ISTIOD);
    dns.fqdn(istiodHost(settings));
  }
}
