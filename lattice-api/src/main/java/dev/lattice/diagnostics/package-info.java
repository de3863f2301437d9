/**
 * What Lattice reports about a declaration: a {@link dev.lattice.diagnostics.Diagnostic} has a
 * {@link dev.lattice.diagnostics.Severity}, a stable {@link
 * dev.lattice.diagnostics.DiagnosticCode}, a model path, a source location when it came from YAML,
 * and a message that says what to do. Callers that want an exception get one {@link
 * dev.lattice.diagnostics.LatticeException} carrying all of them. Spec loading, resolution and the
 * command line all report through these types.
 */
package dev.lattice.diagnostics;
