package dev.lattice.crd;

import java.util.List;

/**
 * One {@code x-kubernetes-validations} entry, compiled: the rule, its message (or
 * messageExpression), the optional {@code fieldPath} (relative to the node, already split into
 * segments) and whether it is a transition rule (refers to {@code oldSelf}).
 */
final class CelRule {
  final String rule;
  final String message;
  final KubernetesCel.Compiled program;
  final KubernetesCel.Compiled messageExpression;
  final List<Segment> fieldPath;
  final String location;

  CelRule(
      String rule,
      String message,
      KubernetesCel.Compiled program,
      KubernetesCel.Compiled messageExpression,
      List<Segment> fieldPath,
      String location) {
    this.rule = rule;
    this.message = message;
    this.program = program;
    this.messageExpression = messageExpression;
    this.fieldPath = fieldPath;
    this.location = location;
  }

  boolean isTransitionRule() {
    return program.usesOldSelf;
  }

  /** The message when the rule yields false and no messageExpression applies. */
  String staticMessage() {
    return message != null && !message.isBlank() ? message : "failed rule: " + rule;
  }

  /** A {@code fieldPath} step: {@code .name}, {@code ['key']} or {@code [3]}. */
  static final class Segment {
    final String name;
    final int index;
    final boolean key;

    Segment(String name, int index, boolean key) {
      this.name = name;
      this.index = index;
      this.key = key;
    }

    FieldPath apply(FieldPath p) {
      if (name == null) {
        return p.index(index);
      }
      return key ? p.key(name) : p.field(name);
    }
  }

  /**
   * Parses a Kubernetes {@code fieldPath} ({@code .spec.ports}, {@code .labels['a.b/c']}, {@code
   * .items[0]}); null when it is malformed.
   */
  static List<Segment> parseFieldPath(String text) {
    List<Segment> out = new java.util.ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '.') {
        int start = ++i;
        while (i < text.length() && text.charAt(i) != '.' && text.charAt(i) != '[') {
          i++;
        }
        if (i == start) {
          return null;
        }
        out.add(new Segment(text.substring(start, i), -1, false));
      } else if (c == '[') {
        int end = text.indexOf(']', i);
        if (end < 0) {
          return null;
        }
        String inner = text.substring(i + 1, end);
        if (inner.length() >= 2 && inner.startsWith("'") && inner.endsWith("'")) {
          out.add(new Segment(inner.substring(1, inner.length() - 1), -1, true));
        } else if (Formats.allDigits(inner) && inner.length() < 10) {
          out.add(new Segment(null, Integer.parseInt(inner), false));
        } else {
          return null;
        }
        i = end + 1;
      } else {
        return null;
      }
    }
    return List.copyOf(out);
  }
}
