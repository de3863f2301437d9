/**
 * The graph and its resolution: {@link dev.lattice.graph.ServiceGraph} holds the declared services,
 * {@link dev.lattice.graph.ServiceGraph#resolve()} checks them as a whole and finds the {@link
 * dev.lattice.graph.Agreement}s — the edges both sides declared — into a {@link
 * dev.lattice.graph.Topology}, with every {@link dev.lattice.diagnostics.Diagnostic} found on the
 * way.
 */
@LatticeStyle
package dev.lattice.graph;

import dev.lattice.internal.LatticeStyle;
