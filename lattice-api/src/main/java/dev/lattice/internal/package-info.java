/**
 * Internal: helpers shared by Lattice's own packages. Not part of the API; anything here may change
 * without notice.
 */
package dev.lattice.internal;
