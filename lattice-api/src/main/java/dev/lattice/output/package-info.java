/**
 * What renderers produce and how it is written: {@link dev.lattice.output.Resource}s (Kubernetes
 * documents as Jackson trees) collected in a sorted {@link dev.lattice.output.Manifest}, written
 * byte-for-byte deterministically as a multi-document YAML stream or JSON, and compared with {@link
 * dev.lattice.output.ManifestDiff} so a controller can apply and prune.
 */
package dev.lattice.output;
