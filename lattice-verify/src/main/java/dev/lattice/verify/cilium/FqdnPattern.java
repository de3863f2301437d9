package dev.lattice.verify.cilium;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A {@code matchName} or {@code matchPattern} of {@code toFQDNs} or of a DNS rule (SEMANTICS C13).
 * As {@code pkg/fqdn/matchpattern} of Cilium 1.18: names compare as lower-case FQDNs; {@code *}
 * matches zero or more DNS characters within one label; a lone {@code *} matches every name. A
 * leading {@code **.} (one or more labels) arrives only in Cilium 1.19: here {@code **} is two
 * {@code *}s, so it still stays within one label.
 */
final class FqdnPattern {
  private static final String DNS_CHARS = "[-a-zA-Z0-9_]";
  private static final Pattern NAME_CHARS = Pattern.compile("^[-a-zA-Z0-9_.]+$");
  private static final Pattern PATTERN_CHARS = Pattern.compile("^[-a-zA-Z0-9_.*]+$");

  private final String text;
  private final boolean isPattern;
  private final String exact;
  private final Pattern regex;

  private FqdnPattern(String text, boolean isPattern, String exact, Pattern regex) {
    this.text = text;
    this.isPattern = isPattern;
    this.exact = exact;
    this.regex = regex;
  }

  /**
   * Parses {@code {matchName: ...}} or {@code {matchPattern: ...}}.
   *
   * @throws IllegalArgumentException as {@code FQDNSelector.sanitize} rejects it
   */
  static FqdnPattern parse(JsonNode node) {
    String name = node.path("matchName").asText("");
    String pattern = node.path("matchPattern").asText("");
    if (!name.isEmpty() && !pattern.isEmpty()) {
      throw new IllegalArgumentException(
          "only one of MatchName or MatchPattern is allowed in an FQDNSelector");
    }
    if (!name.isEmpty()) {
      if (!NAME_CHARS.matcher(name.trim()).matches()) {
        throw new IllegalArgumentException("invalid characters in MatchName \"" + name + "\"");
      }
      return new FqdnPattern("matchName " + name, false, fqdn(name), null);
    }
    if (pattern.isEmpty()) {
      throw new IllegalArgumentException("an FQDNSelector needs matchName or matchPattern");
    }
    String p = pattern.trim().toLowerCase(Locale.ROOT);
    if (!PATTERN_CHARS.matcher(p).matches()) {
      throw new IllegalArgumentException(
          "only alphanumeric ASCII characters, the hyphen \"-\", \".\" and \"*\" are allowed in"
              + " a matchPattern, got \""
              + pattern
              + "\"");
    }
    return new FqdnPattern("matchPattern " + pattern, true, null, Pattern.compile(toRegex(p)));
  }

  /** {@code matchpattern.ToRegexp} on a sanitized (FQDN) pattern. */
  private static String toRegex(String pattern) {
    if (pattern.equals("*")) {
      return "^(" + DNS_CHARS + "+[.])+$";
    }
    String p = fqdn(pattern);
    StringBuilder sb = new StringBuilder("^");
    for (char c : p.toCharArray()) {
      if (c == '*') {
        sb.append(DNS_CHARS).append('*');
      } else if (c == '.') {
        sb.append("[.]");
      } else {
        sb.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return sb.append('$').toString();
  }

  private static String fqdn(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n : n + ".";
  }

  boolean matches(String name) {
    String n = fqdn(name);
    return isPattern ? regex.matcher(n).matches() : exact.equals(n);
  }

  @Override
  public String toString() {
    return text;
  }
}
