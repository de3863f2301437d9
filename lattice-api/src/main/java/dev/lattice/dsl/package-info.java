/**
 * The fluent DSL: {@code service("api").dependsOn("db").outbound()} reads as "api calls db".
 *
 * <p>Start from the static methods of {@link dev.lattice.dsl.Lattice}. Builders here check each
 * value as it is given and throw {@link java.lang.IllegalArgumentException} for a programmer error
 * (a port of 70000, a name with capitals); problems that need the whole graph (an unknown peer, a
 * one-sided edge) are reported as diagnostics by {@code ServiceGraph.resolve()}.
 */
package dev.lattice.dsl;
