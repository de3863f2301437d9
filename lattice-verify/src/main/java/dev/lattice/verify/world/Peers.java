package dev.lattice.verify.world;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Makes the peers outside the pod network, and the pod-template hashes of world pods. */
final class Peers {
  private Peers() {}

  /** A peer outside the cluster's pods, whose identity is the {@code reserved} labels. */
  static Peer outside(Peer.Kind kind, String name, String ip, String... reserved) {
    Map<String, String> identity = new TreeMap<>();
    for (String r : reserved) {
      identity.put(r, "");
    }
    return new Peer(kind, name, ip, "", Map.of(), "", List.of(), false, null, null, identity);
  }

  /**
   * A stable {@code pod-template-hash} for {@code seed}, in the alphabet Kubernetes uses, so a
   * policy that selects on it (which Cilium leaves out of identities, C5) selects nothing.
   */
  static String templateHash(String seed) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
      String alphabet = "bcdfghjklmnpqrstvwxz2456789";
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < 10; i++) {
        sb.append(alphabet.charAt((d[i] & 0xff) % alphabet.length()));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
