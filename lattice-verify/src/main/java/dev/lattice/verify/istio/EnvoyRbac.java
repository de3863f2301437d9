package dev.lattice.verify.istio;

import dev.lattice.model.IpPrefix;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How a waypoint's Envoy matches one AuthorizationPolicy rule against a request (SEMANTICS IW2–IW5,
 * I3, I4). As {@code pilot/pkg/security/authz/model}: a rule becomes permissions (one per {@code
 * to}, ORed) and principals (one per {@code from}, ORed), each an AND of its fields, with the
 * {@code when} conditions added to every one; the rule matches when a permission and a principal
 * do. An unknown {@code when} key makes the rule invalid (skipped, IW5). For TCP traffic an
 * HTTP-only attribute makes an ALLOW rule skipped, and is dropped from a DENY rule, which then
 * matches more (IW3, {@code checkError}). Ports compare with the listener's port, the service port
 * (IW4, {@code AmbientDestinationPortAdapations}).
 */
final class EnvoyRbac {
  /** What the waypoint knows of one request. */
  static final class Ctx {
    final String spiffeId;
    final String sourceIp;
    final String destinationIp;
    final int port;
    final boolean http;
    final String method;
    final String path;
    final String host;

    Ctx(
        String spiffeId,
        String sourceIp,
        String destinationIp,
        int port,
        boolean http,
        String method,
        String path,
        String host) {
      this.spiffeId = spiffeId;
      this.sourceIp = sourceIp;
      this.destinationIp = destinationIp;
      this.port = port;
      this.http = http;
      this.method = method;
      this.path = path;
      this.host = host;
    }
  }

  /** The outcome of one rule: matched, did not match, or skipped (with why). */
  static final class Result {
    final boolean matches;
    final String skipped;

    Result(boolean matches, String skipped) {
      this.matches = matches;
      this.skipped = skipped;
    }
  }

  private static final Set<String> KNOWN_WHEN =
      Set.of(
          "destination.ip",
          "destination.port",
          "connection.sni",
          "source.ip",
          "remote.ip",
          "source.namespace",
          "source.principal",
          "request.auth.principal",
          "request.auth.audiences",
          "request.auth.presenter",
          "any");

  private static final Set<String> HTTP_ONLY =
      Set.of(
          "hosts",
          "methods",
          "paths",
          "requestPrincipals",
          "request.auth.principal",
          "request.auth.audiences",
          "request.auth.presenter");

  private EnvoyRbac() {}

  /**
   * Thrown for a value the generator cannot use (an HTTP-only key on TCP, a bad port or address).
   */
  private static final class GenError extends Exception {
    private static final long serialVersionUID = 1L;

    GenError(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Whether rule {@code r} of a policy with {@code deny} semantics matches (DENY/AUDIT/CUSTOM
   * widen, ALLOW narrows).
   */
  static Result match(AuthzPolicy p, AuthzPolicy.Rule r, boolean allowAction, Ctx c) {
    for (AuthzPolicy.Field w : r.when) {
      if (!known(w.key)) {
        return new Result(false, "unknown when key " + w.key + ": the rule is invalid (IW5)");
      }
    }
    try {
      // permissions: one per operation (or a single base one), each ANDed with the when keys
      boolean anyPermission = false;
      List<AuthzPolicy.Clause> tos =
          r.to.isEmpty() ? List.of(new AuthzPolicy.Clause(java.util.Map.of())) : r.to;
      for (AuthzPolicy.Clause to : tos) {
        boolean ok = true;
        for (String k : new String[] {"hosts", "methods", "paths", "ports"}) {
          AuthzPolicy.Field f = to.get(k);
          if (f != null && !field(k, f, allowAction, c, p.namespace)) {
            ok = false;
          }
        }
        for (AuthzPolicy.Field w : r.when) {
          if (isPermissionKey(w.key) && !field(w.key, w, allowAction, c, p.namespace)) {
            ok = false;
          }
        }
        anyPermission |= ok;
      }
      boolean anyPrincipal = false;
      List<AuthzPolicy.Clause> froms =
          r.from.isEmpty() ? List.of(new AuthzPolicy.Clause(java.util.Map.of())) : r.from;
      for (AuthzPolicy.Clause from : froms) {
        boolean ok = true;
        for (String k :
            new String[] {
              "ipBlocks",
              "remoteIpBlocks",
              "namespaces",
              "requestPrincipals",
              "principals",
              "serviceAccounts"
            }) {
          AuthzPolicy.Field f = from.get(k);
          if (f != null && !field(k, f, allowAction, c, p.namespace)) {
            ok = false;
          }
        }
        for (AuthzPolicy.Field w : r.when) {
          if (!isPermissionKey(w.key) && !field(w.key, w, allowAction, c, p.namespace)) {
            ok = false;
          }
        }
        anyPrincipal |= ok;
      }
      return new Result(anyPermission && anyPrincipal, null);
    } catch (GenError e) {
      return new Result(false, e.getMessage());
    }
  }

  private static boolean known(String key) {
    return KNOWN_WHEN.contains(key)
        || key.startsWith("request.headers[")
        || key.startsWith("request.auth.claims[")
        || key.startsWith("experimental.envoy.filters.");
  }

  private static boolean isPermissionKey(String key) {
    return key.equals("destination.ip")
        || key.equals("destination.port")
        || key.equals("connection.sni")
        || key.startsWith("experimental.envoy.filters.")
        || key.equals("any");
  }

  private static boolean httpOnly(String key) {
    return HTTP_ONLY.contains(key)
        || key.startsWith("request.headers[")
        || key.startsWith("request.auth.claims[");
  }

  /**
   * One key's values (ORed) and not-values (none may match). A value the generator rejects fails an
   * ALLOW rule (the caller skips it) and is dropped from other actions.
   */
  private static boolean field(
      String key, AuthzPolicy.Field f, boolean allowAction, Ctx c, String policyNamespace)
      throws GenError {
    List<Boolean> pos = new ArrayList<>();
    for (String v : f.values) {
      Boolean m = value(key, v, allowAction, c, policyNamespace);
      if (m != null) {
        pos.add(m);
      }
    }
    List<Boolean> neg = new ArrayList<>();
    for (String v : f.notValues) {
      Boolean m = value(key, v, allowAction, c, policyNamespace);
      if (m != null) {
        neg.add(m);
      }
    }
    boolean pm = pos.isEmpty() || pos.contains(Boolean.TRUE);
    boolean nm = neg.isEmpty() || !neg.contains(Boolean.TRUE);
    return pm && nm;
  }

  /** Whether one value matches; null when it is dropped (non-ALLOW action, generator error). */
  private static Boolean value(
      String key, String v, boolean allowAction, Ctx c, String policyNamespace) throws GenError {
    if (!c.http && httpOnly(key)) {
      if (allowAction) {
        throw new GenError(
            "\""
                + key
                + "\" is HTTP only and the traffic is TCP: the ALLOW rule"
                + " is skipped (IW3)");
      }
      return null;
    }
    switch (key) {
      case "ports":
      case "destination.port":
        {
          // unlike ztunnel, which silently discards a non-numeric port (IZ6), Envoy's generator
          // fails on it: an ALLOW rule is skipped, a DENY rule loses the value (checkError)
          int port;
          try {
            port = Integer.parseInt(v);
          } catch (NumberFormatException e) {
            return fail(allowAction, "port \"" + v + "\" is not a number");
          }
          if (port < 0 || port > 65535) {
            return fail(allowAction, "port " + v + " is out of range");
          }
          return port == c.port;
        }
      case "hosts":
        return StringMatch.of(v).matchesIgnoreCase(c.host);
      case "methods":
        return StringMatch.of(v).matches(c.method);
      case "paths":
        return pathMatches(v, c.path);
      case "ipBlocks":
      case "source.ip":
      case "remoteIpBlocks":
      case "remote.ip":
        {
          IpPrefix r = IpPrefix.tryParseRange(v).orElse(null);
          if (r == null) {
            return fail(allowAction, "\"" + v + "\" is not an address or CIDR");
          }
          return c.sourceIp != null && r.contains(c.sourceIp);
        }
      case "destination.ip":
        {
          IpPrefix r = IpPrefix.tryParseRange(v).orElse(null);
          if (r == null) {
            return fail(allowAction, "\"" + v + "\" is not an address or CIDR");
          }
          return c.destinationIp != null && r.contains(c.destinationIp);
        }
      case "principals":
      case "source.principal":
        return StringMatch.of(v).matchesPrincipal(c.spiffeId);
      case "namespaces":
      case "source.namespace":
        // srcNamespaceGenerator: regex .*/ns/<value, * as .*>/.* on the principal
        return c.spiffeId != null && Pattern.matches(".*/ns/" + quoteStars(v) + "/.*", c.spiffeId);
      case "serviceAccounts":
        {
          String[] sa = ZtunnelPolicy.serviceAccount(v, policyNamespace);
          return c.spiffeId != null
              && Pattern.matches(
                  "spiffe://.+/ns/"
                      + Pattern.quote(sa[0])
                      + "/(.+/|)sa/"
                      + Pattern.quote(sa[1])
                      + "(/.+)?",
                  c.spiffeId);
        }
      case "any":
        return true;
      default:
        // JWT fields, headers, SNI, envoy metadata: the judged requests carry none
        return false;
    }
  }

  private static Boolean fail(boolean allowAction, String why) throws GenError {
    if (allowAction) {
      throw new GenError(why + ": the ALLOW rule is skipped");
    }
    return null;
  }

  /** The namespace value as a regex: literal text, {@code *} as {@code .*}. */
  private static String quoteStars(String v) {
    StringBuilder out = new StringBuilder();
    String[] parts = v.split("\\*", -1);
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        out.append(".*");
      }
      if (!parts[i].isEmpty()) {
        out.append(Pattern.quote(parts[i]));
      }
    }
    return out.toString();
  }

  /**
   * Istio path matching: exact, {@code prefix*}, {@code *suffix}, {@code *}, and {@code {*}}/{@code
   * {**}} templates.
   */
  static boolean pathMatches(String pattern, String path) {
    if (path == null) {
      return false;
    }
    if (pattern.contains("{*}") || pattern.contains("{**}")) {
      StringBuilder re = new StringBuilder();
      int i = 0;
      while (i < pattern.length()) {
        if (pattern.startsWith("{**}", i)) {
          re.append(".*");
          i += 4;
        } else if (pattern.startsWith("{*}", i)) {
          re.append("[^/]+");
          i += 3;
        } else {
          re.append(Pattern.quote(String.valueOf(pattern.charAt(i))));
          i++;
        }
      }
      return Pattern.matches(re.toString(), path);
    }
    return StringMatch.of(pattern).matches(path);
  }
}
