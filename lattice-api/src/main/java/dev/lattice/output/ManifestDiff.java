package dev.lattice.output;

import java.util.ArrayList;
import java.util.List;

/**
 * What a controller applies to move a cluster from one manifest to the next: resources to create or
 * update (new, or with a changed document) and keys to delete (present before, gone now, and
 * labelled as managed by Lattice — nothing else is ever pruned).
 *
 * <pre>{@code
 * ManifestDiff d = ManifestDiff.between(applied, rendered);
 * d.upserts().forEach(client::apply);
 * d.deletes().forEach(client::delete);
 * }</pre>
 */
public final class ManifestDiff {
  private final List<Resource> upserts;
  private final List<ResourceKey> deletes;

  private ManifestDiff(List<Resource> upserts, List<ResourceKey> deletes) {
    this.upserts = List.copyOf(upserts);
    this.deletes = List.copyOf(deletes);
  }

  /** A diff of sorted {@code upserts} and {@code deletes}. */
  static ManifestDiff of(List<Resource> upserts, List<ResourceKey> deletes) {
    return new ManifestDiff(upserts, deletes);
  }

  /**
   * The changes that replacing {@code before} with {@code after} makes: both sorted, holding the
   * only resources that may differ. Linear in their sizes, whatever the size of the manifests.
   */
  static ManifestDiff ofReplaced(List<Resource> before, List<Resource> after) {
    List<Resource> upserts = new ArrayList<>();
    List<ResourceKey> deletes = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < before.size() || j < after.size()) {
      int c =
          i == before.size()
              ? 1
              : j == after.size() ? -1 : before.get(i).key().compareTo(after.get(j).key());
      if (c < 0) {
        Resource gone = before.get(i++);
        if (isManaged(gone)) {
          deletes.add(gone.key());
        }
      } else if (c > 0) {
        upserts.add(after.get(j++));
      } else {
        Resource was = before.get(i++);
        Resource now = after.get(j++);
        if (was.document() != now.document() && !was.document().equals(now.document())) {
          upserts.add(now);
        }
      }
    }
    return new ManifestDiff(upserts, deletes);
  }

  /** The changes from {@code previous} to {@code next}; linear in their sizes (both are sorted). */
  public static ManifestDiff between(Manifest previous, Manifest next) {
    List<Resource> upserts = new ArrayList<>();
    List<ResourceKey> deletes = new ArrayList<>();
    List<Resource> a = previous.resources();
    List<Resource> b = next.resources();
    int i = 0;
    int j = 0;
    while (i < a.size() || j < b.size()) {
      int c = i == a.size() ? 1 : j == b.size() ? -1 : a.get(i).key().compareTo(b.get(j).key());
      if (c < 0) {
        Resource gone = a.get(i++);
        if (isManaged(gone)) {
          deletes.add(gone.key());
        }
      } else if (c > 0) {
        upserts.add(b.get(j++));
      } else {
        Resource before = a.get(i++);
        Resource after = b.get(j++);
        if (before.document() != after.document() && !before.document().equals(after.document())) {
          upserts.add(after);
        }
      }
    }
    return new ManifestDiff(upserts, deletes);
  }

  private static boolean isManaged(Resource r) {
    return Labels.MANAGED_BY_VALUE.equals(
        r.document().path("metadata").path("labels").path(Labels.MANAGED_BY).asText(null));
  }

  /** Resources to create or replace, sorted. */
  public List<Resource> upserts() {
    return upserts;
  }

  /** Keys of managed resources to delete, sorted. */
  public List<ResourceKey> deletes() {
    return deletes;
  }

  /** Whether nothing changes. */
  public boolean isEmpty() {
    return upserts.isEmpty() && deletes.isEmpty();
  }

  @Override
  public String toString() {
    return "ManifestDiff(" + upserts.size() + " upserts, " + deletes.size() + " deletes)";
  }
}
