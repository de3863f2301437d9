package dev.lattice.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code lattice version}: the same as {@code lattice --version}. */
@Command(
    name = "version",
    hidden = true,
    description = "print the version",
    exitCodeList = {"0:printed"})
final class VersionCommand implements Callable<Integer> {
  private final Io io;

  VersionCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    io.out().println(new VersionProvider().getVersion()[0]);
    return Main.OK;
  }
}
