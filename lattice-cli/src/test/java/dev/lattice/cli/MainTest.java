package dev.lattice.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** The command's contract, run in-process through {@link Main#run}. */
class MainTest extends CommandContract {

  @Override
  Run lattice(List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Main.run(args.toArray(String[]::new), o, e);
    }
    return new Run(
        "lattice " + String.join(" ", args),
        code,
        out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  @Override
  Run latticeWithoutReadOverride(List<String> args) {
    Path named = Path.of(args.get(args.size() - 1));
    Path probe = Files.isDirectory(named) ? named.resolve("locked.yaml") : named;
    Assumptions.assumeFalse(
        Files.isReadable(probe),
        "this JVM reads files whatever their mode (running as root); LatticeJarTest runs this case"
            + " in a child process without the read override");
    return lattice(args);
  }
}
