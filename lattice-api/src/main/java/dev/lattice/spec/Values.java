package dev.lattice.spec;

import dev.lattice.graph.DiagnosticCode;
import dev.lattice.model.Exposure;
import dev.lattice.model.PeerAuth;
import dev.lattice.model.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Reads the values both kinds share: protocols, mTLS modes, exposures, directions. */
final class Values {
  private static final List<String> PROTOCOLS = List.of("TCP", "UDP", "SCTP");
  private static final List<String> PEER_AUTHS = List.of("STRICT", "PERMISSIVE", "Webhook");

  private Values() {}

  /** A port's mTLS mode as written: STRICT, PERMISSIVE, or the platform's Webhook. */
  enum PeerAuthValue {
    STRICT(PeerAuth.STRICT),
    PERMISSIVE(PeerAuth.PERMISSIVE),
    /** Plaintext from the API server only: PERMISSIVE plus a kube-apiserver exposure. */
    WEBHOOK(PeerAuth.PERMISSIVE);

    final PeerAuth mode;

    PeerAuthValue(PeerAuth mode) {
      this.mode = mode;
    }
  }

  /** {@code key}'s protocol: TCP, UDP or SCTP, upper-case as Kubernetes writes them. */
  static Optional<Protocol> protocol(Fields f, String key, Problems problems) {
    return f.text(key)
        .flatMap(
            text -> {
              if (PROTOCOLS.contains(text)) {
                return Optional.of(Protocol.valueOf(text));
              }
              String upper = text.toUpperCase(Locale.ROOT);
              problems.report(
                  DiagnosticCode.SPEC_INVALID_VALUE,
                  f.path(key),
                  f.valueAt(key),
                  key
                      + " \""
                      + Texts.abbreviate(text)
                      + "\" is not TCP, UDP or SCTP"
                      + (PROTOCOLS.contains(upper)
                          ? "; protocols are upper-case, write " + upper
                          : Texts.didYouMean(upper, PROTOCOLS)));
              return Optional.empty();
            });
  }

  /**
   * {@code key}'s mTLS mode: STRICT or PERMISSIVE (any case, as the platform's {@code Strict} and
   * {@code Permissive}), or {@code Webhook}: plaintext from the API server only.
   */
  static Optional<PeerAuthValue> peerAuth(Fields f, String key, Problems problems) {
    return f.text(key)
        .flatMap(
            text -> {
              for (PeerAuthValue v : PeerAuthValue.values()) {
                if (v.name().equalsIgnoreCase(text)) {
                  return Optional.of(v);
                }
              }
              problems.report(
                  DiagnosticCode.SPEC_INVALID_VALUE,
                  f.path(key),
                  f.valueAt(key),
                  key
                      + " \""
                      + Texts.abbreviate(text)
                      + "\" is not STRICT, PERMISSIVE or Webhook"
                      + Texts.didYouMean(text, PEER_AUTHS));
              return Optional.empty();
            });
  }

  /**
   * {@code key}'s list of outside sources: {@code world}, {@code kube-apiserver} or a CIDR
   * (anything with a digit, '.', ':' or '/' is read as one; resolution checks its syntax).
   */
  static List<Exposure> exposedTo(Fields f, String key, Problems problems) {
    List<Exposure> out = new ArrayList<>();
    List<Node> items = f.list(key).orElse(List.of());
    for (int i = 0; i < items.size(); i++) {
      Node item = items.get(i);
      String path = f.path(key) + "[" + i + "]";
      Optional<String> text = Fields.text(item, path, "an item of " + key, problems);
      if (text.isEmpty()) {
        continue;
      }
      String t = text.get();
      if (t.equals("world")) {
        out.add(Exposure.world().at(item.at()));
      } else if (t.equals("kube-apiserver")) {
        out.add(Exposure.kubeApiserver().at(item.at()));
      } else if (t.chars().anyMatch(c -> Character.isDigit(c) || c == ':' || c == '/')) {
        out.add(Exposure.cidr(t).at(item.at()));
      } else {
        problems.report(
            DiagnosticCode.SPEC_INVALID_VALUE,
            path,
            item.at(),
            "\""
                + Texts.abbreviate(t)
                + "\" is not an outside source; write world,"
                + " kube-apiserver or a CIDR such as 10.20.0.0/16"
                + Texts.didYouMean(t, List.of("world", "kube-apiserver")));
      }
    }
    return out;
  }
}
