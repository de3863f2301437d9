package dev.lattice.verify.istio;

import dev.lattice.verify.world.WaypointProxy;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A waypoint's decision over the policies attached to it for one target (IW1–IW5): I1's order
 * (CUSTOM, DENY, ALLOW; AUDIT never decides) on one request, or, with no request given, on the
 * request shapes drawn from the policies (A5).
 */
final class WaypointDecision {
  private static final List<String> STANDARD_METHODS =
      List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

  private WaypointDecision() {}

  static IstioVerdict decide(
      boolean customAuthorizerAllows,
      WaypointProxy wp,
      String target,
      List<AuthzPolicy> attached,
      List<String> dry,
      Caller caller,
      String destinationIp,
      int port,
      String host,
      Request request) {
    String point = "waypoint " + wp.namespace() + "/" + wp.name();
    String dryNote = dry.isEmpty() ? "" : "; dry-run, not enforced (I7): " + dry;
    if (request != null) {
      Request r = request.withDefaultHost(host);
      Decision d = decide(customAuthorizerAllows, attached, ctx(caller, destinationIp, port, r), r);
      return new IstioVerdict(
          d.outcome(),
          point,
          caller + " -> " + target + " port " + port + " " + r + ": " + d.reason() + dryNote,
          r);
    }
    // A5: no request given: allowed when some request shape is allowed
    List<Request> shapes = shapes(attached, host);
    Decision first = null;
    for (Request r : shapes) {
      Decision d = decide(customAuthorizerAllows, attached, ctx(caller, destinationIp, port, r), r);
      if (first == null) {
        first = d;
      }
      if (d.outcome() == IstioVerdict.Outcome.ALLOW) {
        return new IstioVerdict(
            d.outcome(),
            point,
            caller
                + " -> "
                + target
                + " port "
                + port
                + ": allowed for "
                + r
                + " (A5: no request given; allowed if some request shape is): "
                + d.reason()
                + dryNote,
            r);
      }
    }
    return new IstioVerdict(
        IstioVerdict.Outcome.DENY,
        point,
        caller
            + " -> "
            + target
            + " port "
            + port
            + ": no request shape is allowed (A5: tried "
            + shapes.size()
            + " shapes: TCP and HTTP requests drawn from the policies); for TCP: "
            + Objects.requireNonNull(first).reason()
            + dryNote,
        shapes.get(0));
  }

  private static EnvoyRbac.Ctx ctx(Caller c, String destinationIp, int port, Request r) {
    return new EnvoyRbac.Ctx(
        c.spiffeId(),
        c.peer().ip(),
        destinationIp,
        port,
        r.isHttp(),
        r.method(),
        r.path(),
        r.host());
  }

  private record Decision(IstioVerdict.Outcome outcome, String reason) {}

  /** I1 at a waypoint: CUSTOM (A3), then DENY, then ALLOW; AUDIT never decides. */
  private static Decision decide(
      boolean customAuthorizerAllows, List<AuthzPolicy> attached, EnvoyRbac.Ctx c, Request r) {
    List<String> skipped = new ArrayList<>();
    for (AuthzPolicy.Action action : List.of(AuthzPolicy.Action.CUSTOM, AuthzPolicy.Action.DENY)) {
      for (AuthzPolicy p : attached) {
        if (p.action != action) {
          continue;
        }
        for (AuthzPolicy.Rule rule : p.rules) {
          EnvoyRbac.Result res = EnvoyRbac.match(p, rule, false, c);
          if (res.skipped != null) {
            skipped.add(p.ref() + " " + rule + ": " + res.skipped);
          }
          if (res.matches) {
            if (action == AuthzPolicy.Action.CUSTOM) {
              if (customAuthorizerAllows) {
                continue;
              }
              return new Decision(
                  IstioVerdict.Outcome.DENY,
                  "CUSTOM "
                      + p.ref()
                      + " "
                      + rule
                      + " matches and the external authorizer"
                      + " ("
                      + p.provider
                      + ") denies (A3)");
            }
            return new Decision(
                IstioVerdict.Outcome.DENY, "denied by DENY " + p.ref() + " " + rule);
          }
        }
      }
    }
    List<String> allowRefs = new ArrayList<>();
    for (AuthzPolicy p : attached) {
      if (p.action != AuthzPolicy.Action.ALLOW) {
        continue;
      }
      allowRefs.add(p.ref());
      for (AuthzPolicy.Rule rule : p.rules) {
        EnvoyRbac.Result res = EnvoyRbac.match(p, rule, true, c);
        if (res.skipped != null) {
          skipped.add(p.ref() + " " + rule + ": " + res.skipped);
        }
        if (res.matches) {
          return new Decision(IstioVerdict.Outcome.ALLOW, "allowed by " + p.ref() + " " + rule);
        }
      }
    }
    if (allowRefs.isEmpty()) {
      return new Decision(
          IstioVerdict.Outcome.ALLOW, "no ALLOW policy is attached and no DENY matches (I1)");
    }
    String s = skipped.isEmpty() ? "" : "; " + String.join("; ", new LinkedHashSet<>(skipped));
    return new Decision(
        IstioVerdict.Outcome.DENY,
        "no rule of the attached ALLOW policies " + allowRefs + " matches (I1)" + s);
  }

  /**
   * A5: opaque TCP, then HTTP requests built from the methods, paths and hosts the policies name.
   */
  private static List<Request> shapes(List<AuthzPolicy> attached, String defaultHost) {
    Set<String> methods = new LinkedHashSet<>(STANDARD_METHODS);
    Set<String> paths = new LinkedHashSet<>(List.of("/", "/lattice-verify-probe"));
    Set<String> hosts = new LinkedHashSet<>(List.of(defaultHost));
    for (AuthzPolicy p : attached) {
      for (AuthzPolicy.Rule r : p.rules) {
        for (AuthzPolicy.Clause to : r.to) {
          values(to.get("methods")).forEach(v -> methods.add(instantiate(v, "GET", "X")));
          values(to.get("paths")).forEach(v -> paths.add(instantiatePath(v)));
          values(to.get("hosts")).forEach(v -> hosts.add(instantiate(v, defaultHost, "a")));
        }
      }
    }
    List<Request> out = new ArrayList<>();
    out.add(Request.tcp());
    for (String h : hosts) {
      for (String m : methods) {
        for (String path : paths) {
          out.add(Request.http(m, path, h));
          if (out.size() > 4000) {
            return out;
          }
        }
      }
    }
    return out;
  }

  private static List<String> values(AuthzPolicy.Field f) {
    if (f == null) {
      return List.of();
    }
    List<String> all = new ArrayList<>(f.values);
    all.addAll(f.notValues);
    return all;
  }

  private static String instantiate(String v, String whenStar, String filler) {
    if (v.equals("*")) {
      return whenStar;
    }
    if (v.startsWith("*")) {
      return filler + v.substring(1);
    }
    if (v.endsWith("*")) {
      return v.substring(0, v.length() - 1) + filler;
    }
    return v;
  }

  private static String instantiatePath(String v) {
    if (v.contains("{")) {
      return v.replace("{**}", "x/y").replace("{*}", "x");
    }
    if (v.equals("*")) {
      return "/x";
    }
    if (v.startsWith("*")) {
      return "/x" + v.substring(1);
    }
    if (v.endsWith("*")) {
      return v.substring(0, v.length() - 1) + "x";
    }
    return v;
  }
}
