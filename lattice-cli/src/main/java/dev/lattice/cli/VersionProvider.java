package dev.lattice.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code lattice --version}: the version the jar's manifest carries. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Main.class.getPackage().getImplementationVersion();
    return new String[] {"lattice " + (v == null ? "(development build)" : v)};
  }
}
