package dev.lattice.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parsed command line of one command: its options (each at most once) and its paths. {@code
 * --name value} and {@code --name=value} both work; {@code --} ends the options.
 */
final class Args {
  final Map<String, String> options = new LinkedHashMap<>();
  final List<String> paths = new ArrayList<>();

  /**
   * Parses {@code args} given the options that take a value and the flags that do not.
   *
   * @throws UsageException for an unknown option, a missing value or a repeated option
   */
  static Args parse(List<String> args, Set<String> valued, Set<String> flags, String command)
      throws UsageException {
    Args out = new Args();
    boolean optionsDone = false;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (optionsDone || !a.startsWith("-") || a.equals("-")) {
        out.paths.add(a);
        continue;
      }
      if (a.equals("--")) {
        optionsDone = true;
        continue;
      }
      String name = a;
      String value = null;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        name = a.substring(0, eq);
        value = a.substring(eq + 1);
      }
      if (flags.contains(name)) {
        if (value != null) {
          throw new UsageException(name + " takes no value");
        }
        value = "true";
      } else if (valued.contains(name)) {
        if (value == null) {
          if (i + 1 >= args.size()) {
            throw new UsageException(name + " needs a value");
          }
          value = args.get(++i);
        }
      } else {
        throw new UsageException(
            "unknown option "
                + name
                + " for 'lattice "
                + command
                + "' (see lattice help "
                + command
                + ")");
      }
      if (out.options.put(name, value) != null) {
        throw new UsageException(name + " is given twice");
      }
    }
    return out;
  }

  String get(String name) {
    return options.get(name);
  }

  boolean has(String name) {
    return options.containsKey(name);
  }
}
