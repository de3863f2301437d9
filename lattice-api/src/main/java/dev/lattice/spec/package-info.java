/**
 * YAML specs in: {@link dev.lattice.spec.Specs} reads {@code LatticeService}, {@code
 * LatticeMeshMember}, {@code LatticeJob} and {@code LatticeModel} documents from files, directories
 * or text into a {@code ServiceGraph}, with every problem a located diagnostic (a {@link
 * dev.lattice.spec.SpecResult}).
 *
 * <p>SnakeYAML stays inside this package: its parser's events become a small located tree (every
 * key and value with its line and column), which the readers of the four kinds turn into model
 * values; a spec already parsed into a Jackson tree (a custom resource from a cluster) becomes the
 * same tree. Everything else is package-private.
 */
package dev.lattice.spec;
