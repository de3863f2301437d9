package dev.lattice.internal;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Internal: syntax checks shared by the DSL (which throws) and resolution (which reports). Each
 * check returns {@code null} when the value is fine, or a sentence saying what is wrong and what
 * would be right.
 */
public final class Names {
  private static final Pattern HTTP_METHOD = Pattern.compile("[A-Z]+");

  private Names() {}

  // Hand-written matchers, not regular expressions: resolution checks every name of every
  // service and declaration, and a Matcher per name was a visible part of resolving 50,000
  // services (see BENCHMARKS.md).

  /** {@code [a-z0-9]([-a-z0-9]*[a-z0-9])?} */
  private static boolean isDnsLabel(String s) {
    int n = s.length();
    if (n == 0 || s.charAt(0) == '-' || s.charAt(n - 1) == '-') {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
        return false;
      }
    }
    return true;
  }

  /** {@code [a-z]([-a-z0-9]*[a-z0-9])?} */
  private static boolean isDns1035Label(String s) {
    return isDnsLabel(s) && s.charAt(0) >= 'a' && s.charAt(0) <= 'z';
  }

  /** {@code ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]} */
  private static boolean isLabelName(String s) {
    int n = s.length();
    if (n == 0 || !isAlphanumeric(s.charAt(0)) || !isAlphanumeric(s.charAt(n - 1))) {
      return false;
    }
    for (int i = 1; i < n - 1; i++) {
      char c = s.charAt(i);
      if (!(isAlphanumeric(c) || c == '-' || c == '_' || c == '.')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAlphanumeric(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  /** A DNS-1123 label: namespaces, service names, port names. */
  public static String dnsLabel(String what, String value) {
    if (value == null || value.isEmpty()) {
      return what + " must not be empty";
    }
    if (value.length() > 63) {
      return what + " \"" + value + "\" is " + value.length() + " characters; at most 63 fit";
    }
    if (!isDnsLabel(value)) {
      String lower = value.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
      return what
          + " \""
          + value
          + "\" is not a DNS-1123 label (lower-case letters, digits and '-', starting and"
          + " ending with a letter or digit)"
          + (isDnsLabel(lower) ? "; did you mean \"" + lower + "\"?" : "");
    }
    return null;
  }

  /**
   * A service name: a DNS-1035 label, because it names a Kubernetes Service (Lattice's DNS rules
   * allow {@code <name>.<namespace>.svc}, and a waypoint's policy targets the Service by name), and
   * the API server accepts no Service whose name starts with a digit.
   */
  public static String serviceName(String what, String value) {
    String label = dnsLabel(what, value);
    if (label != null) {
      return label;
    }
    if (!isDns1035Label(value)) {
      return what
          + " \""
          + value
          + "\" starts with a digit, but it names a Kubernetes Service, whose name is a DNS-1035"
          + " label (starting with a lower-case letter); rename it, e.g. \"svc-"
          + (value.length() > 59 ? value.substring(0, 59) : value)
          + "\"";
    }
    return null;
  }

  /** A DNS-1123 subdomain: service accounts. */
  public static String dnsSubdomain(String what, String value) {
    if (value == null || value.isEmpty()) {
      return what + " must not be empty";
    }
    if (value.length() > 253) {
      return what + " is " + value.length() + " characters; at most 253 fit";
    }
    for (String label : value.split("\\.", -1)) {
      if (label.isEmpty() || !isDnsLabel(label)) {
        return what
            + " \""
            + value
            + "\" is not a DNS-1123 subdomain (dot-separated lower-case labels of letters,"
            + " digits and '-')";
      }
    }
    return null;
  }

  /** A Kubernetes label key: an optional DNS subdomain prefix and '/', then a name of ≤63. */
  public static String labelKey(String key) {
    if (key == null || key.isEmpty()) {
      return "a label key must not be empty";
    }
    String name = key;
    int slash = key.indexOf('/');
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      name = key.substring(slash + 1);
      if (dnsSubdomain("label prefix", prefix) != null) {
        return "label key \"" + key + "\" has an invalid prefix \"" + prefix + "\"";
      }
    }
    if (name.length() > 63 || !isLabelName(name)) {
      return "label key \""
          + key
          + "\" is not valid (a name of at most 63 letters, digits, '-', '_' or '.', starting"
          + " and ending with a letter or digit, after an optional \"prefix/\")";
    }
    return null;
  }

  /** A Kubernetes label value: empty, or ≤63 of letters, digits, '-', '_', '.'. */
  public static String labelValue(String key, String value) {
    if (value == null) {
      return "label \"" + key + "\" has no value";
    }
    if (!value.isEmpty() && (value.length() > 63 || !isLabelName(value))) {
      return "label value \""
          + value
          + "\" of \""
          + key
          + "\" is not valid (at most 63 letters, digits, '-', '_' or '.', starting and"
          + " ending with a letter or digit)";
    }
    return null;
  }

  /** A port number: 1..65535. */
  public static String port(String what, int port) {
    if (port < 1 || port > 65535) {
      return what + " must be 1..65535, got " + port;
    }
    return null;
  }

  /** An HTTP method as Istio matches it: case-sensitive, so upper-case letters. */
  public static String httpMethod(String method) {
    if (method == null || !HTTP_METHOD.matcher(method).matches()) {
      String hint =
          method != null && HTTP_METHOD.matcher(method.toUpperCase(Locale.ROOT)).matches()
              ? "; methods are case-sensitive, write \"" + method.toUpperCase(Locale.ROOT) + "\""
              : "";
      return "HTTP method \"" + method + "\" is not valid (upper-case letters, e.g. GET)" + hint;
    }
    return null;
  }

  /**
   * An HTTP path in Istio's syntax: exact ({@code /health}), prefix ({@code /api/*}), suffix
   * ({@code *.png}) or {@code *} (any).
   */
  public static String httpPath(String path) {
    if (path == null || path.isEmpty()) {
      return "an HTTP path must not be empty";
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c <= ' ' || c == 0x7f) {
        return "HTTP path \"" + path + "\" contains whitespace or a control character";
      }
    }
    if (path.equals("*")) {
      return null;
    }
    int star = path.indexOf('*');
    int stars = path.length() - path.replace("*", "").length();
    if (stars > 1 || (star > 0 && star != path.length() - 1)) {
      return "HTTP path \""
          + path
          + "\" has a '*' in the middle; Istio matches exact paths, a prefix (\"/api/*\") or a"
          + " suffix (\"*.png\")";
    }
    if (star != 0 && !path.startsWith("/")) {
      return "HTTP path \"" + path + "\" must start with '/' (or be a suffix like \"*.png\")";
    }
    return null;
  }

  /** An exact DNS name ({@code api.stripe.com}) or a wildcard one ({@code *.s3.amazonaws.com}). */
  public static String fqdn(String name) {
    if (name == null || name.isEmpty()) {
      return "an FQDN must not be empty";
    }
    String rest = name.startsWith("*.") ? name.substring(2) : name;
    if (!name.equals(name.toLowerCase(Locale.ROOT))) {
      return "FQDN \""
          + name
          + "\" has upper-case letters; write \""
          + name.toLowerCase(Locale.ROOT)
          + "\"";
    }
    if (rest.endsWith(".")) {
      return "FQDN \"" + name + "\" ends with '.'; write it without the trailing dot";
    }
    if (rest.length() > 253 || rest.indexOf('.') < 0) {
      return "FQDN \""
          + name
          + "\" is not a fully qualified name (at least two dot-separated labels, e.g."
          + " api.example.com or *.example.com)";
    }
    String[] labels = rest.split("\\.", -1);
    if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
      return "\""
          + name
          + "\" looks like an IP address, not a DNS name; declare it as a CIDR"
          + " (e.g. "
          + rest
          + "/32)";
    }
    for (String label : labels) {
      if (label.isEmpty() || label.length() > 63 || !isDnsLabel(label)) {
        return "FQDN \""
            + name
            + "\" is not a valid DNS name"
            + (rest.contains("*") ? "; only a leading \"*.\" wildcard is supported" : "");
      }
    }
    return null;
  }

  /**
   * An IPv4 or IPv6 CIDR with its prefix length, host bits clear, narrower than the whole address
   * space: {@code 0.0.0.0/0} and {@code ::/0} are refused, because "every address" is the entity
   * {@code world} (which, unlike a /0 of one family, covers both), and a /0 written where a range
   * was meant opens a port or an egress to the whole internet.
   */
  public static String cidr(String cidr) {
    String problem = Cidrs.check(cidr);
    if (problem == null && cidr.endsWith("/0")) {
      return "CIDR \""
          + cidr
          + "\" is every "
          + (Cidrs.isV6(cidr) ? "IPv6" : "IPv4")
          + " address; to mean the internet, use world (egress: the entity world; exposedTo:"
          + " [world]), which covers IPv4 and IPv6, or write the narrower range you mean";
    }
    return problem;
  }
}
