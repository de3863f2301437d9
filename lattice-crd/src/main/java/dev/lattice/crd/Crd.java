package dev.lattice.crd;

import java.util.Map;
import java.util.Set;

/**
 * One loaded CustomResourceDefinition: its identity, scope and compiled schema per served version.
 */
final class Crd {
  final String file;
  final String group;
  final String kind;
  final boolean namespaced;

  /** Compiled {@code openAPIV3Schema} per served version name. */
  final Map<String, Schema> served;

  /** All version names, served or not, in file order (for messages). */
  final Set<String> allVersions;

  Crd(
      String file,
      String group,
      String kind,
      boolean namespaced,
      Map<String, Schema> served,
      Set<String> allVersions) {
    this.file = file;
    this.group = group;
    this.kind = kind;
    this.namespaced = namespaced;
    this.served = Map.copyOf(served);
    this.allVersions =
        java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(allVersions));
  }

  String key() {
    return key(group, kind);
  }

  static String key(String group, String kind) {
    return kind + "." + group;
  }
}
