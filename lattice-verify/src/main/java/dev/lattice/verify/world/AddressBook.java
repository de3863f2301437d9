package dev.lattice.verify.world;

import dev.lattice.model.IpPrefix;
import java.util.Map;

/**
 * Who is at an address: the world's pods and fixed peers by IP, external names by the world's DNS,
 * and any other address as a peer of world identity.
 */
record AddressBook(Map<String, Peer> byIp, Dns dns) {

  Peer peerAt(String ip) {
    if (!IpPrefix.isAddress(ip)) {
      throw new IllegalArgumentException("\"" + ip + "\" is not an IP address");
    }
    Peer p = byIp.get(ip);
    if (p != null) {
      return p;
    }
    return Peers.outside(Peer.Kind.EXTERNAL, "address " + ip, ip, "reserved:world");
  }

  Peer externalHost(String name) {
    if (dns.isClusterName(name)) {
      throw new IllegalArgumentException(
          name + " lies under the cluster domain; query the service");
    }
    String ip = dns.resolve(name).orElseThrow();
    return Peers.outside(
        Peer.Kind.EXTERNAL, Dns.normalize(name) + " (" + ip + ")", ip, "reserved:world");
  }

  /** The first address of {@code r} past its network address that no cluster peer uses. */
  Peer addressIn(IpPrefix r) {
    int bits = r.isV6() ? 128 : 32;
    if (r.length() >= bits - 1) {
      return peerAt(r.addressAt(0));
    }
    for (long i = 1; i < 200; i++) {
      String ip = r.addressAt(i);
      if (!byIp.containsKey(ip)) {
        return peerAt(ip);
      }
    }
    return peerAt(r.addressAt(1));
  }
}
