package dev.lattice.verify.istio;

import java.util.Locale;

/**
 * Istio's string matching of policy values (SEMANTICS I4): {@code *} presence (non-empty), {@code
 * abc*} prefix, {@code *abc} suffix, otherwise exact. As {@code stringToMatch} in {@code
 * authorization.go} and {@code StringMatcherWithPrefix} in the Envoy generator.
 */
final class StringMatch {
  enum Kind {
    EXACT,
    PREFIX,
    SUFFIX,
    PRESENCE
  }

  final Kind kind;
  final String value;
  final String text;

  private StringMatch(Kind kind, String value, String text) {
    this.kind = kind;
    this.value = value;
    this.text = text;
  }

  static StringMatch of(String v) {
    if (v.equals("*")) {
      return new StringMatch(Kind.PRESENCE, "", v);
    }
    if (v.startsWith("*")) {
      return new StringMatch(Kind.SUFFIX, v.substring(1), v);
    }
    if (v.endsWith("*")) {
      return new StringMatch(Kind.PREFIX, v.substring(0, v.length() - 1), v);
    }
    return new StringMatch(Kind.EXACT, v, v);
  }

  boolean matches(String s) {
    if (s == null) {
      return false;
    }
    switch (kind) {
      case PRESENCE:
        return !s.isEmpty();
      case PREFIX:
        return s.startsWith(value);
      case SUFFIX:
        return s.endsWith(value);
      default:
        return s.equals(value);
    }
  }

  boolean matchesIgnoreCase(String s) {
    if (s == null) {
      return false;
    }
    String l = s.toLowerCase(Locale.ROOT);
    String v = value.toLowerCase(Locale.ROOT);
    switch (kind) {
      case PRESENCE:
        return !l.isEmpty();
      case PREFIX:
        return l.startsWith(v);
      case SUFFIX:
        return l.endsWith(v);
      default:
        return l.equals(v);
    }
  }

  /**
   * Matching a principal: the identity must carry {@code spiffe://}, which is stripped first
   * (ztunnel {@code matches_principal}).
   */
  boolean matchesPrincipal(String spiffeId) {
    if (spiffeId == null || !spiffeId.startsWith("spiffe://")) {
      return false;
    }
    return matches(spiffeId.substring("spiffe://".length()));
  }

  @Override
  public String toString() {
    return text;
  }
}
