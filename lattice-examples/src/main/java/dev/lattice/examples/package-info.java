/**
 * Runnable examples of Lattice's three uses. {@link dev.lattice.examples.RenderExample} is the
 * Java-only quick start: a graph written with the DSL, rendered to both layers. The
 * platform-tooling example is the storefront spec repository ({@code
 * lattice-examples/specs/storefront}) rendered by the {@code lattice} command into {@code
 * lattice-examples/golden/storefront}; the testing example is {@code StorefrontTest}; the
 * controller example is {@link dev.lattice.examples.controller}.
 */
package dev.lattice.examples;
