package dev.lattice.verify.world;

import dev.lattice.model.IpPrefix;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The world's DNS: Service names under the cluster domain resolve to ClusterIPs, other names under
 * the cluster domain do not exist (NXDOMAIN), and every name outside it resolves to a stable fake
 * public address. Names the topology declares (exact FQDN egress, ServiceEntry hosts) get
 * sequential addresses from {@code 100.64.0.0/11}; any other name a hashed one from {@code
 * 100.96.0.0/11}. Addresses inside CIDRs the topology declares are skipped, so a CIDR rule never
 * admits an FQDN's address by accident. Deterministic, and a pure function of its inputs.
 */
public final class Dns {
  private static final IpPrefix REGISTERED = IpPrefix.parse("100.64.0.0/11");
  private static final IpPrefix HASHED = IpPrefix.parse("100.96.0.0/11");

  private final String clusterDomain;
  private final Map<String, String> serviceNames;
  private final Map<String, String> registered;
  private final List<IpPrefix> avoid;

  Dns(
      String clusterDomain,
      Map<String, String> serviceNames,
      Collection<String> externalNames,
      List<IpPrefix> avoid) {
    this.clusterDomain = normalize(clusterDomain);
    this.serviceNames = new TreeMap<>();
    serviceNames.forEach((k, v) -> this.serviceNames.put(normalize(k), v));
    // a declared range that swallows a whole block cannot be avoided; allocate there anyway
    this.avoid = avoid.stream().filter(r -> !r.covers(REGISTERED) && !r.covers(HASHED)).toList();
    this.registered = new TreeMap<>();
    long next = 1;
    for (String n : new java.util.TreeSet<>(externalNames.stream().map(Dns::normalize).toList())) {
      if (isClusterName(n) || registered.containsKey(n)) {
        continue;
      }
      String ip;
      do {
        ip = REGISTERED.addressAt(next++);
      } while (avoided(ip));
      registered.put(n, ip);
    }
  }

  /** {@code name} in canonical form: lower case, without a trailing dot. */
  public static String normalize(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }

  /** The cluster DNS domain. */
  public String clusterDomain() {
    return clusterDomain;
  }

  /** Whether {@code name} lies under the cluster domain. */
  public boolean isClusterName(String name) {
    String n = normalize(name);
    return n.equals(clusterDomain) || n.endsWith("." + clusterDomain);
  }

  /** Whether the name exists (resolves to an address). */
  public boolean exists(String name) {
    return resolve(name).isPresent();
  }

  /** The address {@code name} resolves to, or empty for NXDOMAIN. */
  public Optional<String> resolve(String name) {
    String n = normalize(name);
    if (isClusterName(n)) {
      return Optional.ofNullable(serviceNames.get(n));
    }
    String r = registered.get(n);
    if (r != null) {
      return Optional.of(r);
    }
    return Optional.of(hashed(n));
  }

  /**
   * The names a resolver in {@code clientNamespace} queries, in order, for {@code name} (ndots 5,
   * the pod's search list).
   */
  public List<String> queries(String name, String clientNamespace) {
    List<String> out = new ArrayList<>();
    if (name.endsWith(".")) {
      out.add(normalize(name));
      return out;
    }
    String n = normalize(name);
    long dots = n.chars().filter(c -> c == '.').count();
    List<String> search =
        List.of(clientNamespace + ".svc." + clusterDomain, "svc." + clusterDomain, clusterDomain);
    if (dots >= 5) {
      out.add(n);
    }
    for (String s : search) {
      out.add(n + "." + s);
    }
    if (dots < 5) {
      out.add(n);
    }
    return out;
  }

  /** The external names the topology declared and their addresses, sorted. */
  public Map<String, String> registeredNames() {
    return java.util.Collections.unmodifiableMap(registered);
  }

  private String hashed(String n) {
    for (int attempt = 0; ; attempt++) {
      byte[] d = sha256(n + "#" + attempt);
      long offset = (((d[0] & 0xffL) << 16) | ((d[1] & 0xffL) << 8) | (d[2] & 0xffL)) & 0x1fffffL;
      if (offset == 0) {
        continue;
      }
      String ip = HASHED.addressAt(offset);
      if (!avoided(ip) && !registered.containsValue(ip)) {
        return ip;
      }
    }
  }

  private boolean avoided(String ip) {
    for (IpPrefix r : avoid) {
      if (r.contains(ip)) {
        return true;
      }
    }
    return false;
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
