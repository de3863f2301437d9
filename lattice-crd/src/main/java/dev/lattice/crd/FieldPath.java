package dev.lattice.crd;

/**
 * An immutable, lazily rendered field path: a chain of segments that is only turned into a string
 * when a violation is reported, so walking a valid document allocates little.
 */
final class FieldPath {
  static final FieldPath ROOT = new FieldPath(null, null, -1, Kind.ROOT);

  private enum Kind {
    ROOT,
    FIELD,
    INDEX,
    KEY
  }

  private final FieldPath parent;
  private final String name;
  private final int index;
  private final Kind kind;

  private FieldPath(FieldPath parent, String name, int index, Kind kind) {
    this.parent = parent;
    this.name = name;
    this.index = index;
    this.kind = kind;
  }

  /** {@code parent.name}: an object property. */
  FieldPath field(String field) {
    return new FieldPath(this, field, -1, Kind.FIELD);
  }

  /** {@code parent[i]}: a list item. */
  FieldPath index(int i) {
    return new FieldPath(this, null, i, Kind.INDEX);
  }

  /**
   * {@code parent[key]}: a map entry (an {@code additionalProperties} value), as Kubernetes prints
   * it.
   */
  FieldPath key(String key) {
    return new FieldPath(this, key, -1, Kind.KEY);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    render(sb);
    return sb.toString();
  }

  private void render(StringBuilder sb) {
    if (kind == Kind.ROOT) {
      return;
    }
    parent.render(sb);
    switch (kind) {
      case FIELD:
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(name);
        break;
      case INDEX:
        sb.append('[').append(index).append(']');
        break;
      default:
        sb.append('[').append(name).append(']');
        break;
    }
  }
}
