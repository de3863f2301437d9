package dev.lattice.spec;

import dev.lattice.diagnostics.DiagnosticCode;
import dev.lattice.model.Exposure;
import dev.lattice.model.MeshMode;
import dev.lattice.model.PeerAuth;
import dev.lattice.model.Protocol;
import dev.lattice.model.Service;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Reads the values both kinds share: enumerations, protocols, mTLS modes, exposures. */
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

  /**
   * {@code key}'s value, one of {@code allowed} (in any letter case when {@code anyCase}); any
   * other value is reported with the likely intent.
   */
  static Optional<String> oneOf(
      Fields f, String key, List<String> allowed, boolean anyCase, Problems problems) {
    return f.text(key)
        .flatMap(
            text -> {
              Optional<String> sameLetters =
                  allowed.stream().filter(a -> a.equalsIgnoreCase(text)).findFirst();
              if (allowed.contains(text) || (anyCase && sameLetters.isPresent())) {
                return sameLetters;
              }
              String choices =
                  String.join(", ", allowed.subList(0, allowed.size() - 1))
                      + " or "
                      + allowed.get(allowed.size() - 1);
              problems.report(
                  DiagnosticCode.SPEC_INVALID_VALUE,
                  f.path(key),
                  f.valueAt(key),
                  key
                      + " \""
                      + Texts.abbreviate(text)
                      + "\" is not "
                      + choices
                      + sameLetters
                          .map(a -> "; values are case-sensitive, write " + a)
                          .orElseGet(() -> Texts.didYouMean(text, allowed)));
              return Optional.empty();
            });
  }

  /** {@code key}'s protocol: TCP, UDP or SCTP, upper-case as Kubernetes writes them. */
  static Optional<Protocol> protocol(Fields f, String key, Problems problems) {
    return oneOf(f, key, PROTOCOLS, false, problems).map(Protocol::valueOf);
  }

  /**
   * {@code key}'s mTLS mode: STRICT or PERMISSIVE (any case, as the platform's {@code Strict} and
   * {@code Permissive}), or {@code Webhook}: plaintext from the API server only.
   */
  static Optional<PeerAuthValue> peerAuth(Fields f, String key, Problems problems) {
    return oneOf(f, key, PEER_AUTHS, true, problems)
        .map(v -> PeerAuthValue.valueOf(v.toUpperCase(Locale.ROOT)));
  }

  /**
   * The fields both kinds read the same way: {@code serviceAccount}, {@code ambient} and {@code
   * allowPeerTraffic}.
   */
  static void identity(Fields spec, Service.Builder service) {
    spec.nonEmptyText(
            "serviceAccount", "leave serviceAccount out to use the service's name, or name one")
        .ifPresent(service::serviceAccount);
    spec.bool("ambient").ifPresent(a -> service.mesh(a ? MeshMode.AMBIENT : MeshMode.NONE));
    spec.bool("allowPeerTraffic").ifPresent(service::allowPeerTraffic);
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
