package dev.lattice.verify.istio;

import java.util.Objects;

/**
 * What a waypoint sees of the traffic: an HTTP request (method, path, host) or opaque TCP, for
 * which HTTP-only attributes are unavailable (SEMANTICS IW3).
 */
public final class Request {
  private static final Request TCP = new Request(false, null, null, null);

  private final boolean http;
  private final String method;
  private final String path;
  private final String host;

  private Request(boolean http, String method, String path, String host) {
    this.http = http;
    this.method = method;
    this.path = path;
    this.host = host;
  }

  /** Opaque TCP traffic. */
  public static Request tcp() {
    return TCP;
  }

  /** An HTTP request; {@code host} may be null (the waypoint then uses the target's host name). */
  public static Request http(String method, String path, String host) {
    return new Request(
        true, Objects.requireNonNull(method, "method"), Objects.requireNonNull(path, "path"), host);
  }

  /** Whether it is HTTP. */
  public boolean isHttp() {
    return http;
  }

  /** The method (case-sensitive), or null for TCP. */
  public String method() {
    return method;
  }

  /** The path, or null for TCP. */
  public String path() {
    return path;
  }

  /** The Host header, or null. */
  public String host() {
    return host;
  }

  /** This request with {@code host}, when it has none. */
  Request withDefaultHost(String defaultHost) {
    return !http || host != null ? this : new Request(true, method, path, defaultHost);
  }

  @Override
  public String toString() {
    return http ? method + " " + path + (host == null ? "" : " (Host " + host + ")") : "TCP";
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Request)) {
      return false;
    }
    Request r = (Request) o;
    return r.http == http
        && Objects.equals(r.method, method)
        && Objects.equals(r.path, path)
        && Objects.equals(r.host, host);
  }

  @Override
  public int hashCode() {
    return Objects.hash(http, method, path, host);
  }
}
