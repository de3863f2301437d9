/**
 * The {@code lattice} command: {@code render}, {@code check}, {@code explain} and {@code graph}
 * over a repository of YAML specs. {@link dev.lattice.cli.Main} is the entry point; {@link
 * dev.lattice.cli.Main#run} runs a command in-process for tests and embedding.
 */
package dev.lattice.cli;
