/**
 * What observed traffic says about rendered policies: {@link dev.lattice.verify.replay.Replay}
 * streams Hubble flow exports ({@code hubble observe -o json}), maps each observed connection
 * attempt to the declared services by pod labels and namespace, as the rendered selectors do, and
 * asks the {@link dev.lattice.verify.Verifier} whether each layer would let it through. The result
 * lists what would be dropped, what is observed with no declaration on either side (with the
 * declarations to add), the agreements no flow used, and what lies outside the graph.
 */
package dev.lattice.verify.replay;
