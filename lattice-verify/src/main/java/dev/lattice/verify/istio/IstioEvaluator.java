package dev.lattice.verify.istio;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.model.ServiceId;
import dev.lattice.verify.world.KubeService;
import dev.lattice.verify.world.MeshServiceEntry;
import dev.lattice.verify.world.Peer;
import dev.lattice.verify.world.WaypointProxy;
import dev.lattice.verify.world.World;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides, from the rendered Istio documents alone, whether Istio ambient lets traffic through at
 * its two enforcement points: the destination's ztunnel (L4: SEMANTICS IZ1–IZ7) and a waypoint (L7:
 * IW1–IW5), with the evaluation order of I1 (CUSTOM, DENY, ALLOW; AUDIT ignored), the allow-nothing
 * and allow-all forms of I2, the rule structure and string matching of I3 and I4, identity-less
 * plaintext (I5), policy scope (I6) and dry-run (I7).
 *
 * <pre>{@code
 * IstioEvaluator istio = IstioEvaluator.of(istioDocuments, world);
 * IstioVerdict v = istio.atZtunnel(apiPod, Caller.of(webPod), 8080);
 * IstioVerdict w = istio.atWaypoint(waypoint, apiService, Caller.of(webPod), 80,
 *     Request.http("GET", "/api/x", null));
 * }</pre>
 *
 * <p>Thread-safe; the policies that apply to each pod are computed once and cached.
 */
public final class IstioEvaluator {
  private final World world;
  private final String root;
  private final List<AuthzPolicy> policies;
  private final List<PeerAuthn> peerAuths;
  private final List<ZtunnelPolicy> ztunnel;
  private final Map<String, List<String>> targetingService;
  private final List<String> findings;
  private final Map<String, PodPolicies> pods = new ConcurrentHashMap<>();

  private IstioEvaluator(Collection<? extends JsonNode> documents, World world) {
    this.world = Objects.requireNonNull(world, "world");
    this.root = world.settings().rootNamespace();
    List<AuthzPolicy> ps = new ArrayList<>();
    List<PeerAuthn> pas = new ArrayList<>();
    for (JsonNode d : documents) {
      if (AuthzPolicy.isAuthorizationPolicy(d)) {
        ps.add(AuthzPolicy.parse(d));
      } else if (PeerAuthn.isPeerAuthentication(d)) {
        pas.add(PeerAuthn.parse(d));
      }
    }
    pas.sort(PeerAuthn::oldestFirst);
    this.policies = List.copyOf(ps);
    this.peerAuths = List.copyOf(pas);
    List<String> notes = new ArrayList<>();
    List<ZtunnelPolicy> zs = new ArrayList<>();
    for (AuthzPolicy p : ps) {
      if (p.hasSelector && !p.targetRefs.isEmpty()) {
        notes.add(
            p.ref()
                + " sets both selector and targetRefs: the API server rejects it"
                + " (CEL); judged here by its targetRefs");
      }
      ZtunnelPolicy z = ZtunnelPolicy.convert(p, root, notes);
      if (z != null) {
        zs.add(z);
        notes.addAll(z.notes);
      }
      if (p.dryRun && !p.targetRefs.isEmpty()) {
        notes.add(p.ref() + " is dry-run: not enforced at waypoints either (I7)");
      }
    }
    this.ztunnel = List.copyOf(zs);
    this.findings = List.copyOf(notes);
    // IW1's note on a denial names the policies that target the Service: indexed once, since a
    // denial per connection (a diff, a replay) would otherwise scan every policy
    Map<String, List<String>> targeting = new HashMap<>();
    for (AuthzPolicy p : ps) {
      for (AuthzPolicy.TargetRef t : p.targetRefs) {
        if (t.kind.equals("Service") && t.canonicalGroup().equals("core")) {
          targeting
              .computeIfAbsent(p.namespace + "/" + t.name, k -> new ArrayList<>())
              .add(p.ref());
        }
      }
    }
    this.targetingService = targeting;
  }

  /**
   * An evaluator of the AuthorizationPolicies and PeerAuthentications among {@code documents}
   * (other kinds are skipped).
   */
  public static IstioEvaluator of(Collection<? extends JsonNode> documents, World world) {
    return new IstioEvaluator(documents, world);
  }

  /** The world it judges in. */
  public World world() {
    return world;
  }

  /**
   * What the evaluator noticed: dropped HTTP rules at ztunnel (IZ3, IZ4), unsupported actions,
   * dry-run policies.
   */
  public List<String> findings() {
    return findings;
  }

  // ------------------------------------------------------------------ ztunnel

  /**
   * The destination ztunnel's decision on a connection from {@code caller} to {@code destination}
   * on its container port {@code port} (IZ6). Not applicable when ztunnel does not capture the
   * destination. Policies with {@code targetRefs} never reach ztunnel (IZ1); behind a waypoint the
   * caller is the waypoint (IZ5); plaintext callers have no identity (I5) and meet
   * PeerAuthentication (IZ7).
   */
  public IstioVerdict atZtunnel(Peer destination, Caller caller, int port) {
    String point = "ztunnel of " + destination.name();
    if (!destination.isCaptured()) {
      return new IstioVerdict(
          IstioVerdict.Outcome.NOT_APPLICABLE,
          point,
          destination.name() + " is not captured by ztunnel (not in the ambient mesh)",
          null);
    }
    PodPolicies pp =
        pods.computeIfAbsent(
            destination.name() + "@" + destination.ip(), k -> new PodPolicies(destination));
    ZtunnelPolicy.Conn c =
        new ZtunnelPolicy.Conn(
            caller.peer().ip(),
            caller.spiffeId(),
            caller.identityNamespace(),
            caller.identityServiceAccount(),
            destination.ip(),
            port);
    String conn = caller + " -> " + destination.name() + " port " + port;
    for (ZtunnelPolicy z : pp.policies) {
      if (!z.deny) {
        continue;
      }
      int i = z.firstMatch(c);
      if (i >= 0) {
        String why =
            z.ref.startsWith("PeerAuthentication")
                ? z.ref
                    + " rejects plaintext (no identity) on port "
                    + port
                    + " (IZ7; "
                    + String.join("; ", pp.peerAuthNotes)
                    + ")"
                : "DENY "
                    + z.ref
                    + " rules["
                    + z.ruleIndexes.get(i)
                    + "] matches: "
                    + z.describeRule(i);
        return new IstioVerdict(IstioVerdict.Outcome.DENY, point, conn + " denied: " + why, null);
      }
    }
    List<String> allowRefs = new ArrayList<>();
    for (ZtunnelPolicy z : pp.policies) {
      if (z.deny) {
        continue;
      }
      allowRefs.add(z.ref);
      int i = z.firstMatch(c);
      if (i >= 0) {
        return new IstioVerdict(
            IstioVerdict.Outcome.ALLOW,
            point,
            conn
                + " allowed by "
                + z.ref
                + " rules["
                + z.ruleIndexes.get(i)
                + "]: "
                + z.describeRule(i),
            null);
      }
    }
    if (allowRefs.isEmpty()) {
      return new IstioVerdict(
          IstioVerdict.Outcome.ALLOW,
          point,
          conn
              + " allowed: no ALLOW policy applies to "
              + destination.name()
              + " and no DENY"
              + " matches (I1)"
              + plaintextNote(caller, pp),
          null);
    }
    StringBuilder why =
        new StringBuilder(
            conn + " denied: no rule of the ALLOW policies " + allowRefs + " matches (I1)");
    for (ZtunnelPolicy z : pp.policies) {
      if (!z.deny && !z.notes.isEmpty()) {
        why.append("; ").append(String.join("; ", z.notes));
      }
    }
    if (!caller.hasIdentity()) {
      why.append(
          "; plaintext has no identity, so principals, namespaces and serviceAccounts"
              + " never match it (I5)");
    } else if (caller.peer().kind() == Peer.Kind.WAYPOINT) {
      why.append("; behind a waypoint ztunnel sees the waypoint's identity ")
          .append(caller.principal().orElse(""))
          .append(", not the client's (IZ5)");
    }
    destination.service().ifPresent(id -> why.append(targetRefNote(id)));
    return new IstioVerdict(IstioVerdict.Outcome.DENY, point, why.toString(), null);
  }

  private String plaintextNote(Caller caller, PodPolicies pp) {
    if (caller.hasIdentity() || pp.peerAuthNotes.isEmpty()) {
      return "";
    }
    return "; plaintext accepted (" + String.join("; ", pp.peerAuthNotes) + ")";
  }

  /** IW1: a policy targeting a Service is enforced only by a waypoint bound to it. */
  private String targetRefNote(ServiceId id) {
    List<String> refs = targetingService.getOrDefault(id.namespace() + "/" + id.name(), List.of());
    if (refs.isEmpty()) {
      return "";
    }
    return "; "
        + refs
        + " target Service "
        + id
        + " and are enforced only by its waypoint,"
        + " not by ztunnel (IW1)";
  }

  /** I6: whether a ztunnel policy applies to {@code pod}: mesh-wide, its namespace, or selected. */
  private boolean applies(ZtunnelPolicy z, Peer pod) {
    return switch (z.scope) {
      case GLOBAL -> true;
      case NAMESPACE -> z.namespace.equals(pod.namespace());
      case WORKLOAD_SELECTOR ->
          (z.namespace.equals(pod.namespace()) || z.namespace.equals(root))
              && pod.labels().entrySet().containsAll(z.selector.entrySet());
    };
  }

  /**
   * Whether some policy ztunnel enforces applies to {@code pod} (I6): an AuthorizationPolicy, or
   * the DENY policies a PeerAuthentication derives. A tool that judges only what a change touches
   * ({@code lattice diff}) asks this of the AuthorizationPolicies that changed (it judges
   * everything when a PeerAuthentication changes, since which one wins (IZ7) depends on all of
   * them).
   */
  public boolean governsZtunnelOf(Peer pod) {
    for (ZtunnelPolicy z : ztunnel) {
      if (applies(z, pod)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether some AuthorizationPolicy of this evaluator (dry-run ones included) attaches to {@code
   * waypoint} for traffic to {@code service} (IW1): the decisions {@link #atWaypoint(WaypointProxy,
   * KubeService, Caller, int, Request)} makes read no other document.
   */
  public boolean attachesAt(WaypointProxy waypoint, KubeService service) {
    for (AuthzPolicy p : policies) {
      if (attaches(p, waypoint, "Service", "core", service.namespace(), service.name())) {
        return true;
      }
    }
    return false;
  }

  /** As {@link #attachesAt(WaypointProxy, KubeService)}, for traffic to a ServiceEntry's hosts. */
  public boolean attachesAt(WaypointProxy waypoint, MeshServiceEntry entry) {
    for (AuthzPolicy p : policies) {
      if (attaches(
          p, waypoint, "ServiceEntry", "networking.istio.io", entry.namespace(), entry.name())) {
        return true;
      }
    }
    return false;
  }

  /** The ztunnel policies applying to one pod (I6), PeerAuthentication-derived ones included. */
  private final class PodPolicies {
    final List<ZtunnelPolicy> policies = new ArrayList<>();
    final List<String> peerAuthNotes = new ArrayList<>();

    PodPolicies(Peer pod) {
      Map<String, String> labels = pod.labels();
      for (ZtunnelPolicy z : ztunnel) {
        if (applies(z, pod)) {
          policies.add(z);
        }
      }
      policies.addAll(
          PeerAuthPolicies.forWorkload(peerAuths, pod.namespace(), labels, root, peerAuthNotes));
    }
  }

  // ------------------------------------------------------------------ waypoint

  /**
   * A waypoint's decision on traffic from {@code caller} addressed to {@code service} on its
   * Service port {@code port} (IW4). Only policies attached by {@code targetRefs} to the waypoint's
   * Gateway, to the Service, or to the {@code istio-waypoint} GatewayClass from the root namespace
   * apply (IW1). With a null {@code request} the decision is existential (A5): allowed when opaque
   * TCP or some HTTP request drawn from the policies would be allowed.
   */
  public IstioVerdict atWaypoint(
      WaypointProxy waypoint, KubeService service, Caller caller, int port, Request request) {
    List<AuthzPolicy> attached = new ArrayList<>();
    List<String> dry = new ArrayList<>();
    for (AuthzPolicy p : policies) {
      if (attaches(p, waypoint, "Service", "core", service.namespace(), service.name())) {
        if (p.dryRun) {
          dry.add(p.ref());
        } else {
          attached.add(p);
        }
      }
    }
    String host = service.hostname(world.settings().clusterDomain());
    return WaypointDecision.decide(
        world.customAuthorizerAllows(),
        waypoint,
        "Service " + service.id(),
        attached,
        dry,
        caller,
        service.clusterIp(),
        port,
        host,
        request);
  }

  /**
   * A waypoint's decision on traffic to a ServiceEntry host (mesh-routed egress), port {@code
   * port}.
   */
  public IstioVerdict atWaypoint(
      WaypointProxy waypoint,
      MeshServiceEntry entry,
      String host,
      Caller caller,
      int port,
      Request request) {
    List<AuthzPolicy> attached = new ArrayList<>();
    List<String> dry = new ArrayList<>();
    for (AuthzPolicy p : policies) {
      if (attaches(
          p, waypoint, "ServiceEntry", "networking.istio.io", entry.namespace(), entry.name())) {
        if (p.dryRun) {
          dry.add(p.ref());
        } else {
          attached.add(p);
        }
      }
    }
    return WaypointDecision.decide(
        world.customAuthorizerAllows(),
        waypoint,
        "ServiceEntry " + entry.namespace() + "/" + entry.name(),
        attached,
        dry,
        caller,
        null,
        port,
        host,
        request);
  }

  /**
   * {@code ShouldAttachPolicy} for a waypoint handling traffic to one target (policyattachment.go).
   */
  private boolean attaches(
      AuthzPolicy p, WaypointProxy wp, String kind, String group, String ns, String name) {
    for (AuthzPolicy.TargetRef t : p.targetRefs) {
      if (t.kind.equals(kind)
          && t.canonicalGroup().equals(group)
          && t.name.equals(name)
          && p.namespace.equals(ns)) {
        return true;
      }
      if (p.namespace.equals(root)
          && t.kind.equals("GatewayClass")
          && t.canonicalGroup().equals("gateway.networking.k8s.io")
          && t.name.equals("istio-waypoint")) {
        return true;
      }
      if (!p.namespace.equals(wp.namespace())) {
        continue;
      }
      if (!t.namespace.isEmpty() && !t.namespace.equals(wp.namespace())) {
        continue;
      }
      if (t.kind.equals("Gateway")
          && t.canonicalGroup().equals("gateway.networking.k8s.io")
          && t.name.equals(wp.name())) {
        return true;
      }
    }
    return false;
  }
}
