package dev.lattice.spec;

import dev.lattice.model.Egress;
import dev.lattice.model.IpPrefix;
import dev.lattice.model.Protocol;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Parses the endpoints of an {@code external-service} resource into egress targets. Only the syntax
 * is checked here; resolution checks the names, ranges and ports it yields (an upper-case host, a
 * CIDR with host bits set, port 0), at the endpoint's location.
 *
 * <p>An IPv6 CIDR holds colons, so {@code CIDR:port} is split at the last colon <em>after</em> the
 * slash: a prefix length never contains one ({@code 2001:db8::/32:443}).
 */
final class Endpoints {
  /** The forms an endpoint may take, for messages. */
  static final String FORMS =
      "https://host[:port][/path] (port 443 by default), http://host[:port][/path] (80),"
          + " tcp://host:port, udp://host:port, grpc://host:port, host:port, *.domain:port,"
          + " 1.2.3.4:port, [2001:db8::1]:port, or CIDR:port (10.0.0.0/8:5432,"
          + " 2001:db8::/32:443)";

  private static final List<String> SCHEMES = List.of("https", "http", "tcp", "udp", "grpc");

  private Endpoints() {}

  /** One endpoint: a target, its port, its protocol; or why it could not be read. */
  record Parsed(Egress.Target target, int port, Protocol protocol, String problem) {
    static Parsed of(Egress.Target target, int port, Protocol protocol) {
      return new Parsed(target, port, protocol, null);
    }

    static Parsed error(String problem) {
      return new Parsed(null, 0, null, problem);
    }

    boolean ok() {
      return problem == null;
    }
  }

  /** Parses {@code endpoint}, one of {@link #FORMS}. */
  static Parsed parse(String endpoint) {
    String s = endpoint.trim();
    if (s.isEmpty()) {
      return Parsed.error("is empty");
    }
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i)) || Character.isISOControl(s.charAt(i))) {
        return Parsed.error("contains a space or a control character");
      }
    }
    int schemeEnd = s.indexOf("://");
    if (schemeEnd >= 0) {
      return url(s.substring(0, schemeEnd).toLowerCase(Locale.ROOT), s.substring(schemeEnd + 3));
    }
    int slash = s.indexOf('/');
    if (slash >= 0) {
      int colon = s.lastIndexOf(':');
      if (colon < slash) {
        return Parsed.error(
            "has no port; a CIDR endpoint takes its port after the prefix length, e.g."
                + " 10.0.0.0/8:5432");
      }
      String address = s.substring(0, slash);
      if (!IpPrefix.isAddress(address)) {
        return Parsed.error("is not a CIDR: \"" + address + "\" is not an IP address");
      }
      return withPort(new Egress.Cidr(s.substring(0, colon)), s.substring(colon + 1), Protocol.TCP);
    }
    return hostPort(s, -1, Protocol.TCP);
  }

  /** {@code scheme://[user@]host[:port][/path]}. */
  private static Parsed url(String scheme, String rest) {
    if (!SCHEMES.contains(scheme)) {
      return Parsed.error(
          "has the scheme "
              + scheme
              + "://, which Lattice does not read; use tcp://host:port"
              + " for other TCP protocols");
    }
    int end = rest.length();
    for (char c : new char[] {'/', '?', '#'}) {
      int i = rest.indexOf(c);
      if (i >= 0 && i < end) {
        end = i;
      }
    }
    boolean web = scheme.startsWith("http");
    if (end < rest.length() && !web) {
      return Parsed.error("has a path, which only http:// and https:// endpoints take");
    }
    String authority = rest.substring(0, end);
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      authority = authority.substring(at + 1);
    }
    int defaultPort = scheme.equals("https") ? 443 : scheme.equals("http") ? 80 : -1;
    return hostPort(authority, defaultPort, scheme.equals("udp") ? Protocol.UDP : Protocol.TCP);
  }

  /** {@code host[:port]} or {@code [v6][:port]}; {@code defaultPort} -1 means it is required. */
  private static Parsed hostPort(String s, int defaultPort, Protocol protocol) {
    String host;
    String port;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0) {
        return Parsed.error("opens '[' for an IPv6 address but never closes it");
      }
      host = s.substring(1, close);
      String after = s.substring(close + 1);
      if (!after.isEmpty() && !after.startsWith(":")) {
        return Parsed.error("has \"" + after + "\" after the IPv6 address; write [address]:port");
      }
      port = after.isEmpty() ? null : after.substring(1);
      if (IpPrefix.tryParseRange(host).filter(IpPrefix::isV6).isEmpty()) {
        return Parsed.error("has \"" + host + "\" in brackets, which is not an IPv6 address");
      }
    } else {
      int colon = s.indexOf(':');
      if (colon >= 0 && s.indexOf(':', colon + 1) >= 0) {
        return Parsed.error("looks like an IPv6 address without brackets; write [address]:port");
      }
      host = colon >= 0 ? s.substring(0, colon) : s;
      port = colon >= 0 ? s.substring(colon + 1) : null;
    }
    if (host.isEmpty()) {
      return Parsed.error("has no host");
    }
    if (port == null) {
      if (defaultPort < 0) {
        return Parsed.error("has no port; write host:port");
      }
      port = Integer.toString(defaultPort);
    }
    Optional<IpPrefix> address = IpPrefix.tryParseRange(host);
    if (address.isPresent()) {
      return withPort(
          new Egress.Cidr(host + (address.get().isV6() ? "/128" : "/32")), port, protocol);
    }
    if (host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
      return Parsed.error("has \"" + host + "\", which is not a valid IPv4 address");
    }
    return withPort(new Egress.Fqdn(host), port, protocol);
  }

  private static Parsed withPort(Egress.Target target, String port, Protocol protocol) {
    if (port.isEmpty() || port.length() > 9 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return Parsed.error("has the port \"" + Texts.abbreviate(port) + "\", which is not a number");
    }
    return Parsed.of(target, Integer.parseInt(port), protocol);
  }

  /**
   * Parses a resource id {@code entity:<name>[:port]}; without a port, the entity is reached on
   * 443, as the Lattice platform does. Returns the name and port, or the problem.
   */
  static Parsed entity(String id) {
    String rest = id.substring("entity:".length());
    String[] parts = rest.split(":", -1);
    if (parts.length > 2 || parts[0].isEmpty()) {
      return Parsed.error("is not entity:<name>[:port] (e.g. entity:kube-apiserver:443)");
    }
    return withPort(
        new Egress.Entity(parts[0]), parts.length == 2 ? parts[1] : "443", Protocol.TCP);
  }
}
