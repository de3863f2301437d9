package dev.lattice.verify.istio;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What PeerAuthentication becomes at ztunnel (SEMANTICS IZ7): DENY policies that reject plaintext
 * (no identity), per workload. As {@code convertedSelectorPeerAuthentications} and {@code
 * convertPeerAuthentication} in {@code pilot/pkg/serviceregistry/ambient/authorization.go}: the
 * oldest mesh-, namespace- and workload-level policy each count; an effective STRICT mode sends the
 * static strict policy; a workload policy with port-level exceptions is converted into a DENY
 * policy of its own. Port-level keys are container ports.
 *
 * <p>Two upstream details SEMANTICS IZ7 does not spell out, followed here as the source has them:
 * under a STRICT parent, a workload policy with mode UNSET relaxes ports only when one of them is
 * PERMISSIVE (DISABLE alone leaves the static STRICT policy in place); and a STRICT port-level mode
 * under a PERMISSIVE/DISABLE workload policy is skipped whenever the mesh policy is STRICT and
 * there is no namespace policy (Go precedence {@code A || B && C || D}), so it is not enforced.
 */
final class PeerAuthPolicies {
  private PeerAuthPolicies() {}

  static final String STATIC_STRICT = "istio_converted_static_strict";

  /**
   * The PeerAuthentication-derived DENY policies ztunnel applies to a pod with {@code labels} in
   * {@code namespace}.
   */
  static List<ZtunnelPolicy> forWorkload(
      List<PeerAuthn> all,
      String namespace,
      Map<String, String> labels,
      String rootNamespace,
      List<String> explain) {
    PeerAuthn mesh = null;
    PeerAuthn ns = null;
    PeerAuthn workload = null;
    for (PeerAuthn pa : all) {
      if (pa.selector == null) {
        if (pa.namespace.equals(rootNamespace)) {
          mesh = mesh == null ? pa : mesh;
        } else if (pa.namespace.equals(namespace)) {
          ns = ns == null ? pa : ns;
        }
      } else if (!pa.namespace.equals(rootNamespace)
          && pa.namespace.equals(namespace)
          && labels.entrySet().containsAll(pa.selector.entrySet())) {
        workload = workload == null ? pa : workload;
      }
    }
    boolean strict = false;
    if (mesh != null) {
      strict = mesh.mode == PeerAuthn.Mode.STRICT;
      explain.add("mesh-wide " + mesh.ref() + ": " + mesh.mode);
    }
    if (ns != null && ns.mode != PeerAuthn.Mode.UNSET) {
      strict = ns.mode == PeerAuthn.Mode.STRICT;
      explain.add("namespace-wide " + ns.ref() + ": " + ns.mode);
    }
    boolean portKey = false;
    if (workload != null) {
      explain.add(
          "workload "
              + workload.ref()
              + ": "
              + workload.mode
              + (workload.portLevel.isEmpty() ? "" : ", ports " + workload.portLevel));
      if (workload.mode == PeerAuthn.Mode.STRICT) {
        strict = true;
      }
      if (workload.mode == PeerAuthn.Mode.PERMISSIVE || workload.mode == PeerAuthn.Mode.DISABLE) {
        strict = false;
      }
      if (!workload.portLevel.isEmpty()) {
        switch (workload.mode) {
          case STRICT:
            if (workload.portLevel.values().stream().anyMatch(PeerAuthPolicies::nonStrict)) {
              portKey = true;
              strict = false;
            }
            break;
          case PERMISSIVE:
          case DISABLE:
            if (workload.portLevel.containsValue(PeerAuthn.Mode.STRICT)) {
              portKey = true;
            }
            break;
          default:
            if (strict) {
              // only PERMISSIVE counts here (not DISABLE), as upstream does
              if (workload.portLevel.containsValue(PeerAuthn.Mode.PERMISSIVE)) {
                portKey = true;
                strict = false;
              }
            } else if (workload.portLevel.containsValue(PeerAuthn.Mode.STRICT)) {
              portKey = true;
            }
        }
      }
    }
    List<ZtunnelPolicy> out = new ArrayList<>();
    if (strict) {
      ZtunnelPolicy.Match m = new ZtunnelPolicy.Match();
      m.notPrincipals.add(StringMatch.of("*"));
      out.add(
          new ZtunnelPolicy(
              "PeerAuthentication STRICT (" + rootNamespace + "/" + STATIC_STRICT + ")",
              rootNamespace,
              ZtunnelPolicy.Scope.WORKLOAD_SELECTOR,
              true,
              List.of(List.of(List.of(m))),
              List.of(0),
              List.of(),
              Map.of()));
    }
    if (portKey) {
      ZtunnelPolicy converted = convert(workload, ns, mesh, rootNamespace);
      if (converted != null) {
        out.add(converted);
      }
    }
    if (mesh == null && ns == null && workload == null) {
      explain.add("no PeerAuthentication applies: Istio's default is PERMISSIVE");
    }
    return out;
  }

  private static boolean nonStrict(PeerAuthn.Mode m) {
    return m == PeerAuthn.Mode.PERMISSIVE || m == PeerAuthn.Mode.DISABLE;
  }

  private static boolean strict(PeerAuthn p) {
    return p != null && p.mode == PeerAuthn.Mode.STRICT;
  }

  private static boolean unset(PeerAuthn p) {
    return p != null && p.mode == PeerAuthn.Mode.UNSET;
  }

  /**
   * {@code convertPeerAuthentication}: the workload policy with port-level modes as a DENY policy.
   */
  private static ZtunnelPolicy convert(
      PeerAuthn cfg, PeerAuthn nsCfg, PeerAuthn rootCfg, String rootNamespace) {
    if (cfg.namespace.equals(rootNamespace) || cfg.selector == null || cfg.portLevel.isEmpty()) {
      return null;
    }
    PeerAuthn.Mode mode = cfg.mode;
    List<List<ZtunnelPolicy.Match>> clauses = new ArrayList<>();
    List<List<List<ZtunnelPolicy.Match>>> groups = new ArrayList<>();
    if (mode == PeerAuthn.Mode.STRICT) {
      clauses.add(List.of(noIdentity()));
    }
    boolean foundNonStrict = false;
    for (Map.Entry<Integer, PeerAuthn.Mode> e : cfg.portLevel.entrySet()) {
      int port = e.getKey();
      PeerAuthn.Mode pm = e.getValue();
      if (pm == PeerAuthn.Mode.STRICT) {
        // Go precedence: #1 || (#2a && #2b) || #3
        boolean parentStrict =
            mode == PeerAuthn.Mode.STRICT
                || (mode == PeerAuthn.Mode.UNSET && nsCfg != null && strict(nsCfg))
                || ((nsCfg == null || unset(nsCfg)) && strict(rootCfg));
        if (parentStrict) {
          continue;
        }
        ZtunnelPolicy.Match m = noIdentity();
        m.destinationPorts.add(port);
        groups.add(List.of(List.of(m)));
      } else if (nonStrict(pm)) {
        if (nonStrict(mode)) {
          continue;
        }
        if (mode == PeerAuthn.Mode.UNSET
            && ((nsCfg != null && !strict(nsCfg))
                || (nsCfg == null && rootCfg != null && !strict(rootCfg))
                || (nsCfg == null && rootCfg == null))) {
          continue;
        }
        foundNonStrict = true;
        ZtunnelPolicy.Match m = new ZtunnelPolicy.Match();
        m.notDestinationPorts.add(port);
        clauses.add(List.of(m));
      }
    }
    if (mode == PeerAuthn.Mode.STRICT && !foundNonStrict) {
      return null;
    }
    if (clauses.isEmpty() && groups.isEmpty()) {
      return null;
    }
    boolean merge =
        (strict(rootCfg) && (nsCfg == null || unset(nsCfg) || strict(nsCfg))) || strict(nsCfg);
    if (merge && foundNonStrict) {
      clauses.add(List.of(noIdentity()));
    }
    if (!clauses.isEmpty()) {
      groups.add(clauses);
    }
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < groups.size(); i++) {
      idx.add(i);
    }
    return new ZtunnelPolicy(
        cfg.ref() + " (port-level mTLS " + cfg.portLevel + ")",
        cfg.namespace,
        ZtunnelPolicy.Scope.WORKLOAD_SELECTOR,
        true,
        groups,
        idx,
        List.of(),
        cfg.selector);
  }

  private static ZtunnelPolicy.Match noIdentity() {
    ZtunnelPolicy.Match m = new ZtunnelPolicy.Match();
    m.notPrincipals.add(StringMatch.of("*"));
    return m;
  }
}
