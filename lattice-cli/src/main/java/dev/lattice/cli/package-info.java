/**
 * The {@code lattice} command over a repository of YAML specs, on picocli: one class per command
 * ({@link dev.lattice.cli.RenderCommand}, {@link dev.lattice.cli.CheckCommand}, {@link
 * dev.lattice.cli.ExplainCommand}, {@link dev.lattice.cli.GraphCommand}), each declaring its
 * options, defaults, help text and exit codes in its annotations. A command that reads specs
 * extends {@link dev.lattice.cli.SpecCommand} (the paths, the settings flags, loading with
 * diagnostics) and is listed in {@link dev.lattice.cli.LatticeCommand}. {@link
 * dev.lattice.cli.Main} is the entry point; {@link dev.lattice.cli.Main#run} runs a command
 * in-process for tests and embedding.
 */
package dev.lattice.cli;
