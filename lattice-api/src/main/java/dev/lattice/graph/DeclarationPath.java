package dev.lattice.graph;

import dev.lattice.model.Declaration;
import dev.lattice.model.ServiceId;

/**
 * {@code ns/name.dependsOn[peer]} or {@code ns/name.ports[name]}: a model path, made into text only
 * when a diagnostic needs it (it is needed for one declaration or port in thousands).
 */
final class DeclarationPath {
  private final Object owner;
  private final String list;
  private final Object key;

  DeclarationPath(ServiceId id, Declaration declaration) {
    this(id, ".dependsOn[", declaration.peer());
  }

  /** {@code owner + list + key + "]"}, for example {@code ns/name.ports[http]}. */
  DeclarationPath(Object owner, String list, Object key) {
    this.owner = owner;
    this.list = list;
    this.key = key;
  }

  @Override
  public String toString() {
    return owner + list + key + "]";
  }
}
