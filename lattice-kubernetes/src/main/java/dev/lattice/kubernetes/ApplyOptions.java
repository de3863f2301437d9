package dev.lattice.kubernetes;

import java.util.Objects;

/**
 * How {@link Applier} writes: the field manager it applies as, whether it takes over fields other
 * managers own ({@code force}), whether it deletes what Lattice manages but no longer renders
 * ({@code prune}), and whether it only reports what it would do ({@code dryRun}).
 *
 * <pre>{@code
 * ApplyOptions.defaults()                 // manager "lattice", no force, prune, write
 * ApplyOptions.defaults().dryRun(true)    // report what would change, write nothing
 * ApplyOptions.defaults().force(true)     // take over fields that kubectl or another tool set
 * }</pre>
 *
 * @param fieldManager the server-side apply field manager, {@value #FIELD_MANAGER} by default
 * @param force whether to take over conflicting fields other managers own; off unless asked for
 * @param prune whether {@link Applier#apply(dev.lattice.output.Manifest, ApplyOptions)} deletes
 *     managed objects the manifest no longer holds
 * @param dryRun whether to only report: nothing is written
 */
public record ApplyOptions(String fieldManager, boolean force, boolean prune, boolean dryRun) {
  /** The field manager Lattice applies as. */
  public static final String FIELD_MANAGER = "lattice";

  /** Options; the field manager must be non-blank. */
  public ApplyOptions {
    Objects.requireNonNull(fieldManager, "fieldManager");
    if (fieldManager.isBlank()) {
      throw new IllegalArgumentException("fieldManager must not be blank");
    }
  }

  /** Field manager {@code lattice}, no force, prune, and write. */
  public static ApplyOptions defaults() {
    return new ApplyOptions(FIELD_MANAGER, false, true, false);
  }

  /** These options with {@code force}. */
  public ApplyOptions force(boolean force) {
    return new ApplyOptions(fieldManager, force, prune, dryRun);
  }

  /** These options with {@code prune}. */
  public ApplyOptions prune(boolean prune) {
    return new ApplyOptions(fieldManager, force, prune, dryRun);
  }

  /** These options with {@code dryRun}. */
  public ApplyOptions dryRun(boolean dryRun) {
    return new ApplyOptions(fieldManager, force, prune, dryRun);
  }

  /** These options with another field manager. */
  public ApplyOptions fieldManager(String fieldManager) {
    return new ApplyOptions(fieldManager, force, prune, dryRun);
  }
}
