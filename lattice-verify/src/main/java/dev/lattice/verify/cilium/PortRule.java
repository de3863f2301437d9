package dev.lattice.verify.cilium;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.model.Protocol;
import dev.lattice.verify.world.Peer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One {@code toPorts} entry: ports with protocols, and optional L7 rules (SEMANTICS C11, C13, C14).
 * Validated as {@code PortRule.sanitize} in {@code pkg/policy/api/rule_validation.go} does.
 */
final class PortRule {
  private static final Pattern SVC_NAME = Pattern.compile("^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$");

  /** One {@code port}/{@code endPort}/{@code protocol}. */
  static final class PortProtocol {
    final String port;
    final int number;
    final int endPort;
    final String protocol;

    PortProtocol(String port, int number, int endPort, String protocol) {
      this.port = port;
      this.number = number;
      this.endPort = endPort;
      this.protocol = protocol;
    }

    boolean isNamed() {
      return number < 0;
    }

    boolean protocolMatches(Protocol p) {
      return protocol.equals("ANY") || protocol.equals(p.name());
    }

    /**
     * Whether it covers {@code port}/{@code proto} at {@code dstPod} (named ports resolve there).
     */
    boolean matches(int p, Protocol proto, Peer dstPod) {
      if (!protocolMatches(proto)) {
        return false;
      }
      if (isNamed()) {
        // named ports ignore endPort and resolve against the destination pod's container ports
        if (dstPod == null || !dstPod.isPod()) {
          return false;
        }
        return dstPod.namedPort(port, proto).map(cp -> cp.number() == p).orElse(false);
      }
      if (number == 0) {
        return true;
      }
      if (endPort > number) {
        return p >= number && p <= endPort;
      }
      return p == number;
    }

    /** Whether it names port {@code p} itself (not port 0, the wildcard). */
    boolean isSpecificTo(int p, Protocol proto) {
      return number != 0
          && !isNamed()
          && protocolMatches(proto)
          && (endPort > number ? p >= number && p <= endPort : p == number);
    }

    @Override
    public String toString() {
      String ports = endPort > number && !isNamed() ? port + "-" + endPort : port;
      return protocol + " " + ports;
    }
  }

  /** One {@code rules.http} entry: method, path and host are extended regular expressions. */
  static final class HttpMatch {
    final Pattern method;
    final Pattern path;
    final Pattern host;
    final String text;

    HttpMatch(String method, String path, String host) {
      this.method = method.isEmpty() ? null : Pattern.compile(method);
      this.path = path.isEmpty() ? null : Pattern.compile(path);
      this.host = host.isEmpty() ? null : Pattern.compile(host, Pattern.CASE_INSENSITIVE);
      this.text =
          (method.isEmpty() ? "*" : method)
              + " "
              + (path.isEmpty() ? "*" : path)
              + (host.isEmpty() ? "" : " host " + host);
    }

    boolean matches(String m, String p, String h) {
      return (method == null || method.matcher(m).matches())
          && (path == null || path.matcher(p).matches())
          && (host == null || (h != null && host.matcher(h).matches()));
    }

    @Override
    public String toString() {
      return text;
    }
  }

  final List<PortProtocol> ports;

  /** DNS rules, or null when the entry has none. */
  final List<FqdnPattern> dns;

  /** HTTP rules, or null when the entry has none. */
  final List<HttpMatch> http;

  /** Whether it has Kafka or other L7 rules (not modelled). */
  final boolean otherL7;

  private PortRule(
      List<PortProtocol> ports, List<FqdnPattern> dns, List<HttpMatch> http, boolean otherL7) {
    this.ports = List.copyOf(ports);
    this.dns = dns == null ? null : List.copyOf(dns);
    this.http = http == null ? null : List.copyOf(http);
    this.otherL7 = otherL7;
  }

  boolean hasL7() {
    return dns != null || http != null || otherL7;
  }

  /**
   * Parses a {@code toPorts} entry.
   *
   * @throws IllegalArgumentException as the agent's sanitize rejects it
   */
  static PortRule parse(JsonNode node, boolean ingress) {
    JsonNode rules = node.path("rules");
    List<FqdnPattern> dns = null;
    List<HttpMatch> http = null;
    int l7Types = 0;
    boolean otherL7 = false;
    if (rules.has("dns") && !rules.path("dns").isNull()) {
      l7Types++;
      if (ingress && rules.path("dns").size() > 0) {
        throw new IllegalArgumentException("DNS rules are not allowed on ingress");
      }
      dns = new ArrayList<>();
      for (JsonNode d : rules.path("dns")) {
        dns.add(FqdnPattern.parse(d));
      }
    }
    if (rules.has("http") && !rules.path("http").isNull()) {
      l7Types++;
      http = new ArrayList<>();
      for (JsonNode h : rules.path("http")) {
        http.add(
            new HttpMatch(
                h.path("method").asText(""), h.path("path").asText(""), h.path("host").asText("")));
      }
    }
    if (rules.has("kafka") && !rules.path("kafka").isNull()) {
      l7Types++;
      otherL7 = true;
    }
    if (rules.has("l7proto")) {
      l7Types++;
      otherL7 = true;
    } else if (rules.has("l7")) {
      throw new IllegalArgumentException(
          "'l7' may only be specified when a 'l7proto' is also specified");
    }
    if (l7Types > 1) {
      throw new IllegalArgumentException(
          "multiple L7 protocol rule types specified in single rule");
    }
    boolean hasDns = dns != null && !dns.isEmpty();
    boolean hasRules = dns != null || http != null || otherL7;
    List<PortProtocol> ports = new ArrayList<>();
    JsonNode ps = node.path("ports");
    if (ps.size() > 40) {
      throw new IllegalArgumentException("too many ports, the max is 40");
    }
    boolean haveZero = false;
    for (JsonNode p : ps) {
      PortProtocol pp = portProtocol(p, hasDns);
      if (pp.number == 0) {
        haveZero = true;
      }
      if (hasRules && !hasDns && !pp.protocol.equals("TCP")) {
        throw new IllegalArgumentException(
            "L7 rules can only apply to TCP (not " + pp.protocol + ") except for DNS rules");
      }
      ports.add(pp);
    }
    if (hasRules && haveZero) {
      throw new IllegalArgumentException("L7 rules can not be used when a port is 0");
    }
    if (dns != null && ports.isEmpty()) {
      throw new IllegalArgumentException("Port 53 must be specified for DNS rules");
    }
    return new PortRule(ports, dns, http, otherL7);
  }

  private static PortProtocol portProtocol(JsonNode p, boolean hasDns) {
    JsonNode portNode = p.path("port");
    String port = portNode.isMissingNode() || portNode.isNull() ? "" : portNode.asText("");
    if (port.isEmpty()) {
      // C11: a missing port makes the whole policy invalid
      throw new IllegalArgumentException("Port must be specified");
    }
    String proto = parseProtocol(p.path("protocol").asText(""));
    int endPort = p.path("endPort").asInt(0);
    String lower = port.toLowerCase(Locale.ROOT);
    if (isSvcName(lower)) {
      return new PortProtocol(lower, -1, 0, proto);
    }
    int n;
    try {
      n = Integer.decode(port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Unable to parse port \"" + port + "\"");
    }
    if (n < 0 || n > 65535) {
      throw new IllegalArgumentException("Unable to parse port \"" + port + "\": out of range");
    }
    if (hasDns && endPort > n) {
      throw new IllegalArgumentException("DNS rules do not support port ranges");
    }
    return new PortProtocol(port, n, endPort, proto);
  }

  /**
   * {@code iana.IsSvcName}: 1-15 characters of a-z, 0-9 and inner single hyphens, with a letter.
   */
  static boolean isSvcName(String s) {
    return SVC_NAME.matcher(s).matches()
        && !s.contains("--")
        && s.chars().anyMatch(Character::isLetter);
  }

  /** {@code ParseL4Proto}: empty is ANY; case is fixed up. */
  static String parseProtocol(String p) {
    String u = p.toUpperCase(Locale.ROOT);
    switch (u) {
      case "":
      case "ANY":
        return "ANY";
      case "TCP":
      case "UDP":
      case "SCTP":
      case "ICMP":
      case "ICMPV6":
      case "VRRP":
      case "IGMP":
        return u;
      default:
        throw new IllegalArgumentException("invalid protocol \"" + p + "\"");
    }
  }

  /**
   * The port entry covering {@code port}/{@code proto}, or null. With no ports but L7 rules: all
   * ports.
   */
  PortProtocol covering(int port, Protocol proto, Peer dstPod) {
    if (ports.isEmpty()) {
      return hasL7() ? new PortProtocol("0", 0, 0, "ANY") : null;
    }
    for (PortProtocol pp : ports) {
      if (pp.matches(port, proto, dstPod)) {
        return pp;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    List<String> ps = new ArrayList<>();
    ports.forEach(p -> ps.add(p.toString()));
    String s = ps.isEmpty() ? "all ports" : String.join(", ", ps);
    if (dns != null) {
      s += " dns " + dns;
    }
    if (http != null) {
      s += " http " + http;
    }
    if (otherL7) {
      s += " (L7 rules)";
    }
    return s;
  }
}
