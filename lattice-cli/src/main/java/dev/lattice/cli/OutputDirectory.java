package dev.lattice.cli;

import dev.lattice.output.Manifest;
import dev.lattice.output.Resource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes a manifest as one file per resource, {@code DIR/<namespace or
 * _cluster>/<kind>-<name>.yaml}. Every file is written to a temporary sibling and moved into place,
 * so a reader never sees half a file; files an earlier render wrote (listed in {@code
 * DIR/.lattice-files}) that this render no longer produces are deleted; files Lattice did not write
 * are never touched. The caller renders fully before calling, so a failed render never gets here
 * and leaves DIR as it was.
 */
final class OutputDirectory {
  static final String INDEX = ".lattice-files";
  static final String CLUSTER = "_cluster";

  private OutputDirectory() {}

  /** The relative path of a resource's file. */
  static String relativePath(Resource r) {
    String dir = r.namespace().isEmpty() ? CLUSTER : r.namespace();
    return dir + "/" + r.kind().toLowerCase(Locale.ROOT) + "-" + r.name() + ".yaml";
  }

  /** Writes {@code manifest} under {@code dir}; returns the files deleted as stale. */
  static List<String> write(Path dir, Manifest manifest, String format) throws IOException {
    Files.createDirectories(dir);
    Set<String> previous = readIndex(dir);
    Set<String> written = new TreeSet<>();
    for (Resource r : manifest.resources()) {
      String rel = relativePath(r);
      if (format.equals("json")) {
        rel = rel.substring(0, rel.length() - ".yaml".length()) + ".json";
      }
      String content = format.equals("json") ? Manifest.toJson(r.document()) : r.toYaml();
      Path target = dir.resolve(rel);
      writeAtomically(target, content);
      written.add(rel);
    }
    List<String> deleted = new ArrayList<>();
    for (String rel : previous) {
      if (!written.contains(rel)) {
        Path stale = dir.resolve(rel).normalize();
        if (stale.startsWith(dir.normalize()) && Files.deleteIfExists(stale)) {
          deleted.add(rel);
          Path parent = stale.getParent();
          try (var entries = Files.list(parent)) {
            if (!parent.equals(dir) && entries.findAny().isEmpty()) {
              Files.delete(parent);
            }
          }
        }
      }
    }
    writeAtomically(
        dir.resolve(INDEX), String.join("\n", written) + (written.isEmpty() ? "" : "\n"));
    return deleted;
  }

  private static Set<String> readIndex(Path dir) throws IOException {
    Path index = dir.resolve(INDEX);
    Set<String> files = new TreeSet<>();
    if (Files.isRegularFile(index)) {
      for (String line : Files.readAllLines(index, StandardCharsets.UTF_8)) {
        if (!line.isBlank() && !line.contains("..")) {
          files.add(line.trim());
        }
      }
    }
    return files;
  }

  private static void writeAtomically(Path target, String content) throws IOException {
    Files.createDirectories(target.getParent());
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    if (Files.isRegularFile(target) && java.util.Arrays.equals(Files.readAllBytes(target), bytes)) {
      return; // unchanged: keep the file (and its timestamp) as it is
    }
    Path tmp = Files.createTempFile(target.getParent(), ".lattice-", ".tmp");
    try {
      Files.write(tmp, bytes);
      try {
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
