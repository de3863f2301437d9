package dev.lattice.graph;

import dev.lattice.model.Declaration;
import dev.lattice.model.ServiceId;

/** {@code ns/name.dependsOn[peer]}, made when a diagnostic needs it. */
final class DeclarationPath {
  private final ServiceId id;
  private final Declaration declaration;

  DeclarationPath(ServiceId id, Declaration declaration) {
    this.id = id;
    this.declaration = declaration;
  }

  @Override
  public String toString() {
    return id + ".dependsOn[" + declaration.peer() + "]";
  }
}
