/**
 * YAML specs in: {@link dev.lattice.spec.Specs} reads {@code LatticeService}, {@code
 * LatticeMeshMember}, {@code LatticeJob} and {@code LatticeModel} documents from files, directories
 * or text into a {@code ServiceGraph}, with every problem a located diagnostic (a {@link
 * dev.lattice.spec.SpecResult}).
 *
 * <p>Jackson stays inside this package: the streaming YAML parser feeds a small located tree (every
 * key and value with its line and column), which the readers of the four kinds turn into model
 * values. Everything else is package-private.
 */
package dev.lattice.spec;
