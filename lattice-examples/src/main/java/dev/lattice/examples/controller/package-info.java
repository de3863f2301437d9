/**
 * The controller example: a reconcile loop that watches an in-memory store of spec files,
 * recompiles when it changes, and applies the difference to an in-memory cluster — upserts and
 * deletes, never touching objects Lattice does not manage. Run {@link
 * dev.lattice.examples.controller.Reconciler#main} to watch it react to a few changes.
 */
package dev.lattice.examples.controller;
