package dev.lattice.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.diagnostics.DiagnosticCode;
import dev.lattice.graph.ServiceGraph;
import dev.lattice.model.Service;
import dev.lattice.model.SourceLocation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** One load: reads files and texts, collects their services and every diagnostic. */
final class Loader {
  private final Problems problems = new Problems();
  private final List<Service> services = new ArrayList<>();
  private final List<String> inputs = new ArrayList<>();
  private int latticeDocuments;

  /** Reads a file, or every spec file under a directory; {@code path} names it in messages. */
  void path(Path path) {
    String name = path.toString();
    inputs.add(name);
    if (Files.isDirectory(path)) {
      List<Path> files = new ArrayList<>();
      walk(path, files);
      if (files.isEmpty()) {
        problems.report(
            DiagnosticCode.NO_SPECS,
            name,
            null,
            "directory "
                + name
                + " holds no *.yaml or *.yml files; name the directory that holds"
                + " the specs");
      }
      // a directory stream yields dir.resolve(name): the directory as given, then the file
      for (Path f : files) {
        file(f, f.toString());
      }
    } else if (Files.exists(path)) {
      file(path, name);
    } else {
      problems.report(
          DiagnosticCode.IO_ERROR, name, null, name + " does not exist; check the path");
    }
  }

  /** Reads {@code yaml} as the content of a file named {@code fileName}. */
  void text(String fileName, String yaml) {
    inputs.add(fileName);
    read(fileName, yaml);
  }

  /** The result: the diagnostics, and the graph unless one of them is an error. */
  SpecResult result() {
    // after an error (an empty directory, a file that did not parse) "no specs" would be noise
    if (latticeDocuments == 0 && !problems.hasErrors()) {
      problems.report(
          DiagnosticCode.NO_SPECS,
          inputs.isEmpty() ? "(no paths)" : String.join(", ", inputs),
          null,
          inputs.isEmpty()
              ? "no spec files were given; name the files or directories that hold the specs"
              : "no LatticeService, LatticeMeshMember, LatticeJob or LatticeModel found in "
                  + String.join(", ", inputs)
                  + "; Lattice needs at least one (kind: LatticeService, apiVersion: "
                  + DocumentReader.API_VERSION
                  + ")");
    }
    List<Diagnostic> diagnostics = problems.sorted();
    return new SpecResult(
        diagnostics, problems.hasErrors() ? null : ServiceGraph.of(services, diagnostics));
  }

  // ---------------------------------------------------------------- files

  /**
   * The {@code *.yaml} and {@code *.yml} files under {@code dir}, in name order at each level.
   * Hidden files and directories (a leading '.') are skipped, and so are links to directories,
   * which could loop.
   */
  private void walk(Path dir, List<Path> out) {
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      stream.forEach(entries::add);
    } catch (IOException | RuntimeException e) {
      problems.report(DiagnosticCode.IO_ERROR, dir.toString(), null, dir + " " + reason(e));
      return;
    }
    entries.sort(Comparator.comparing(p -> p.getFileName().toString()));
    for (Path p : entries) {
      String fileName = p.getFileName().toString();
      if (fileName.startsWith(".")) {
        continue;
      }
      if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        walk(p, out);
      } else if (isSpecFile(fileName) && Files.isRegularFile(p)) {
        out.add(p);
      }
    }
  }

  private static boolean isSpecFile(String fileName) {
    String lower = fileName.toLowerCase(Locale.ROOT);
    return lower.endsWith(".yaml") || lower.endsWith(".yml");
  }

  private void file(Path path, String name) {
    byte[] bytes;
    try {
      long size = Files.size(path);
      if (size > YamlReader.MAX_SIZE) {
        tooLarge(name, size);
        return;
      }
      try (InputStream in = Files.newInputStream(path)) {
        // the file may have grown since its size was read
        bytes = in.readNBytes(YamlReader.MAX_SIZE + 1);
      }
    } catch (IOException | RuntimeException e) {
      problems.report(DiagnosticCode.IO_ERROR, name, null, name + " " + reason(e));
      return;
    }
    bytes(name, bytes);
  }

  /** Reads {@code bytes} as the content of a file named {@code name}: decoded, then parsed. */
  void bytes(String name, byte[] bytes) {
    if (bytes.length > YamlReader.MAX_SIZE) {
      tooLarge(name, bytes.length);
      return;
    }
    decode(bytes, name).ifPresent(text -> read(name, text));
  }

  private void tooLarge(String name, long bytes) {
    problems.report(
        DiagnosticCode.YAML_TOO_LARGE,
        name,
        SourceLocation.of(name, 1, 1),
        YamlReader.tooLarge(String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0)));
  }

  private static String reason(Exception e) {
    if (e instanceof NoSuchFileException) {
      return "does not exist; check the path";
    }
    if (e instanceof AccessDeniedException) {
      return "cannot be read: permission denied";
    }
    if (e instanceof NotDirectoryException) {
      return "is not a directory";
    }
    String m = e.getMessage();
    return "cannot be read" + (m == null || m.isBlank() ? "" : " (" + m.trim() + ")");
  }

  /**
   * The text of a spec file: UTF-8 (a byte order mark is fine), or UTF-16 with its byte order mark.
   * Any other bytes are an error that says where the first undecodable byte is.
   */
  private Optional<String> decode(byte[] bytes, String name) {
    Charset charset = StandardCharsets.UTF_8;
    int skip = 0;
    if (bytes.length >= 2 && (bytes[0] & 0xff) == 0xfe && (bytes[1] & 0xff) == 0xff) {
      charset = StandardCharsets.UTF_16BE;
      skip = 2;
    } else if (bytes.length >= 2 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xfe) {
      charset = StandardCharsets.UTF_16LE;
      skip = 2;
    }
    CharsetDecoder decoder =
        charset
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, skip, bytes.length - skip);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    CoderResult r = decoder.decode(in, out, true);
    if (!r.isError()) {
      r = decoder.flush(out);
    }
    out.flip();
    if (r.isError()) {
      int line = 1;
      int column = 1;
      for (int i = 0; i < out.limit(); i++) {
        if (out.get(i) == '\n') {
          line++;
          column = 1;
        } else {
          column++;
        }
      }
      problems.report(
          DiagnosticCode.YAML_SYNTAX,
          name,
          SourceLocation.of(name, line, column),
          String.format(
              Locale.ROOT,
              "the file is not valid %s: byte 0x%02X (at offset %d) starts no character; save"
                  + " the file as UTF-8",
              charset == StandardCharsets.UTF_8 ? "UTF-8" : "UTF-16",
              in.position() < bytes.length ? bytes[in.position()] & 0xff : 0,
              in.position()));
      return Optional.empty();
    }
    return Optional.of(out.toString());
  }

  // ---------------------------------------------------------------- documents

  private void read(String name, String text) {
    YamlReader.Result r = YamlReader.read(name, text);
    problems.addAll(r.diagnostics());
    if (r.documents().isEmpty() && !r.failed()) {
      problems.report(
          DiagnosticCode.SPEC_EMPTY_FILE,
          name,
          SourceLocation.of(name, 1, 1),
          name
              + " holds no YAML document; add a LatticeService or LatticeMeshMember, or remove"
              + " the file");
    }
    for (Node document : r.documents()) {
      document(document, name);
    }
  }

  /** Reads {@code document}, a tree from elsewhere (a cluster's object), named {@code origin}. */
  void tree(String origin, JsonNode document) {
    inputs.add(origin);
    TreeReader.read(origin, document, problems).ifPresent(node -> document(node, origin));
  }

  private void document(Node document, String name) {
    DocumentReader.Outcome o = DocumentReader.read(document, name, problems);
    if (o.lattice()) {
      latticeDocuments++;
    }
    services.addAll(o.services());
  }
}
