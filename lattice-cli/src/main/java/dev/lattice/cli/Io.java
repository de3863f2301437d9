package dev.lattice.cli;

import java.io.PrintStream;

/**
 * Where a command writes: {@code out} (the result: policies, a graph, an explanation), {@code err}
 * (diagnostics, notes, progress), and whether {@code err} is a terminal a person watches.
 */
record Io(PrintStream out, PrintStream err, boolean errIsTerminal) {}
