package dev.lattice.output;

/**
 * A manifest brought up to date by replacing some of its resources, and the diff that the
 * replacement makes: what a controller applies after a change, without comparing whole manifests.
 *
 * <pre>{@code
 * TopologyUpdate t = topology.update(List.of(changed), List.of());
 * ManifestUpdate u = cilium.update(applied, t);
 * u.diff().upserts().forEach(client::apply);
 * u.diff().deletes().forEach(client::delete);
 * applied = u.manifest();
 * }</pre>
 */
public final class ManifestUpdate {
  private final Manifest previous;
  private final Manifest manifest;
  private final ManifestDiff diff;

  ManifestUpdate(Manifest previous, Manifest manifest, ManifestDiff diff) {
    this.previous = previous;
    this.manifest = manifest;
    this.diff = diff;
  }

  /** The manifest before. */
  public Manifest previous() {
    return previous;
  }

  /** The manifest after. */
  public Manifest manifest() {
    return manifest;
  }

  /** What changed: equal to {@code ManifestDiff.between(previous(), manifest())}. */
  public ManifestDiff diff() {
    return diff;
  }

  @Override
  public String toString() {
    return "ManifestUpdate(" + diff + ")";
  }
}
