package dev.lattice.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.MaxValuesExceededException;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.OverwrittenOptionException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns picocli's parse errors into the command's own one-line usage errors ({@code lattice:
 * unknown option --layr for 'lattice render' (see lattice help render)}), exit code 2: the option
 * as the user typed it, what is wrong, and where to look.
 */
final class UsageErrors implements CommandLine.IParameterExceptionHandler {
  private final PrintStream err;

  UsageErrors(PrintStream err) {
    this.err = err;
  }

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    err.println("lattice: " + message(e, Arrays.asList(args)));
    return Main.USAGE;
  }

  static String message(ParameterException e, List<String> args) {
    CommandLine command = e.getCommandLine();
    String name = command.getCommandName();
    if (e instanceof UnmatchedArgumentException) {
      List<String> unmatched = ((UnmatchedArgumentException) e).getUnmatched();
      String first = unmatched.isEmpty() ? "" : unmatched.get(0);
      if (command.getParent() == null) {
        return "unknown command '"
            + first
            + "' (commands: "
            + String.join(", ", HelpLayout.commandNames(command))
            + ", help)";
      }
      int eq = first.indexOf('=');
      String option = first.startsWith("--") && eq > 0 ? first.substring(0, eq) : first;
      return "unknown option "
          + option
          + " for 'lattice "
          + name
          + "' (see lattice help "
          + name
          + ")";
    }
    if (e instanceof MissingParameterException) {
      for (ArgSpec a : ((MissingParameterException) e).getMissing()) {
        List<String> typed = typed(a, args);
        if (!typed.isEmpty()) {
          return typed.get(typed.size() - 1) + " needs a value";
        }
      }
      String required =
          command.getCommandSpec().options().stream()
              .filter(OptionSpec::required)
              .map(OptionSpec::longestName)
              .collect(Collectors.joining(" and "));
      return name + " needs " + required + " (see lattice help " + name + ")";
    }
    if (e instanceof OverwrittenOptionException) {
      List<String> typed = typed(((OverwrittenOptionException) e).getOverwritten(), args);
      Set<String> distinct = new LinkedHashSet<>(typed);
      if (distinct.size() > 1) {
        return String.join(" and ", distinct) + " are the same option; give one";
      }
      return (typed.isEmpty() ? "an option" : typed.get(0)) + " is given twice";
    }
    if (e instanceof MaxValuesExceededException) {
      for (OptionSpec o : command.getCommandSpec().options()) {
        if (o.arity().max() == 0) {
          for (String a : args) {
            for (String n : o.names()) {
              if (a.startsWith(n + "=")) {
                return n + " takes no value";
              }
            }
          }
        }
      }
    }
    return e.getMessage();
  }

  /** The names under which the user typed option {@code a}, in order. */
  private static List<String> typed(ArgSpec a, List<String> args) {
    List<String> out = new ArrayList<>();
    if (!(a instanceof OptionSpec)) {
      return out;
    }
    for (String arg : args) {
      if (arg.equals("--")) {
        break;
      }
      for (String n : ((OptionSpec) a).names()) {
        if (arg.equals(n) || arg.startsWith(n + "=")) {
          out.add(n);
        }
      }
    }
    return out;
  }
}
