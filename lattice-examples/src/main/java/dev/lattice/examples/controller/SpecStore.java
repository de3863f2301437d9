package dev.lattice.examples.controller;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Spec files held in memory, by file name: what a controller would read from a ConfigMap, a Git
 * checkout or the API server's LatticeService objects. Every change bumps a generation, so a
 * reconcile loop knows when to recompile. Thread-safe.
 */
public final class SpecStore {
  private final Map<String, String> files = new TreeMap<>();
  private long generation;

  /** What the store held at one generation: file name to YAML text, sorted by name. */
  public record Snapshot(long generation, Map<String, String> files) {
    /** A snapshot; the map is copied. */
    public Snapshot {
      files = Map.copyOf(files);
    }
  }

  /** Adds or replaces {@code name}; a write of the same text is not a change. */
  public synchronized void put(String name, String yaml) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(yaml, "yaml");
    if (!yaml.equals(files.put(name, yaml))) {
      generation++;
    }
  }

  /** Removes {@code name}, if present. */
  public synchronized void remove(String name) {
    if (files.remove(name) != null) {
      generation++;
    }
  }

  /** The current files and generation. */
  public synchronized Snapshot snapshot() {
    return new Snapshot(generation, files);
  }
}
