package dev.lattice.model;

/** The mutual-TLS mode of a port in the mesh. */
public enum PeerAuth {
  /** Only mesh (mTLS) connections are accepted; the default. */
  STRICT,
  /** Plaintext connections without a mesh identity are accepted too. */
  PERMISSIVE
}
