/**
 * What a change to the specs opens and closes: {@link dev.lattice.verify.diff.ConnectivityDiff}
 * judges two renderings with their own {@link dev.lattice.verify.Verifier}s — every service pair
 * and port, the requests HTTP rules name, every declared egress target and every outside source —
 * and lists each (caller, callee, port[, request]) whose verdict changes, per layer, with the
 * declarations responsible on each side; {@link dev.lattice.verify.diff.DiffReport} writes it as
 * text, Markdown (a pull-request comment) or JSON.
 */
package dev.lattice.verify.diff;
