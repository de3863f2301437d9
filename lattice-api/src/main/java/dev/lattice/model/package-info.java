/**
 * The declared model: immutable values for services, their ports, their declarations of who they
 * call and who may call them, their egress and exposures, and the settings that name the cluster.
 *
 * <p>Values here hold what was declared, valid or not; {@code dev.lattice.graph} validates a whole
 * graph and reports every problem at once. Build values with the fluent DSL in {@code
 * dev.lattice.dsl} or load them from YAML with {@code dev.lattice.spec}.
 */
@LatticeStyle
package dev.lattice.model;

import dev.lattice.internal.LatticeStyle;
