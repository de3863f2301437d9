package dev.lattice.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lattice help [COMMAND]}: the overview, or one command's options and exit codes. */
@Command(name = "help", description = "lattice help <command>: its options and exit codes")
final class HelpCommand implements Callable<Integer> {
  private final Io io;

  @Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "COMMAND", arity = "0..1", description = "the command to explain")
  String command;

  HelpCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() throws UsageException {
    CommandLine root = spec.root().commandLine();
    if (command == null) {
      io.out().print(root.getUsageMessage());
      return Main.OK;
    }
    List<String> names = HelpLayout.commandNames(root);
    CommandLine sub = root.getSubcommands().get(command);
    if (sub == null || !names.contains(command)) {
      throw new UsageException(
          "no help for '" + command + "' (commands: " + String.join(", ", names) + ")");
    }
    io.out().print(sub.getUsageMessage());
    return Main.OK;
  }
}
