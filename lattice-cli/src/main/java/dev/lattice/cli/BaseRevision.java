package dev.lattice.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The spec paths as they are at a git revision, checked out into a temporary directory with {@code
 * git archive --format=zip} (only YAML files), for {@code lattice diff --base REV}. {@link
 * #label(String)} writes a path under that directory back as {@code REV:path/in/repo}. Closing it
 * deletes the directory.
 */
final class BaseRevision implements AutoCloseable {
  private static final long TIMEOUT_SECONDS = 120;

  private final String revision;
  private final Path dir;
  private final List<Path> paths = new ArrayList<>();
  private final List<String> missing = new ArrayList<>();
  private final List<Path> roots = new ArrayList<>();

  private BaseRevision(String revision, Path dir) {
    this.revision = revision;
    this.dir = dir;
  }

  /**
   * {@code given} (paths of the working tree) as they are at {@code revision} of the repositories
   * that hold them.
   *
   * @throws UsageException when git is missing, a path is not in a repository, or the revision does
   *     not exist
   */
  static BaseRevision checkout(String revision, List<Path> given) throws UsageException {
    if (revision.isBlank() || revision.startsWith("-")) {
      throw new UsageException(
          "--base takes a git revision (a branch, tag or commit), got \"" + revision + "\"");
    }
    Path dir;
    try {
      dir = Files.createTempDirectory("lattice-base-");
    } catch (IOException e) {
      throw new UsageException("cannot make a temporary directory for --base: " + e.getMessage());
    }
    BaseRevision b = new BaseRevision(revision, dir);
    try {
      for (Path p : given) {
        b.add(p);
      }
      return b;
    } catch (UsageException | RuntimeException e) {
      b.close();
      throw e;
    }
  }

  private void add(Path path) throws UsageException {
    Path abs = path.toAbsolutePath().normalize();
    Path where = Files.isDirectory(abs) ? abs : abs.getParent();
    Result top = git(where, "rev-parse", "--show-toplevel");
    if (top.code != 0) {
      throw new UsageException(
          path
              + " is not in a git repository, so --base "
              + revision
              + " has nothing to read ("
              + top.firstErrorLine()
              + ")");
    }
    Path root;
    Path rel;
    try {
      root = Path.of(top.out.trim()).toRealPath();
      rel = root.relativize(abs.toRealPath());
    } catch (IOException | IllegalArgumentException e) {
      throw new UsageException("cannot place " + path + " in its repository: " + e.getMessage());
    }
    Result rev = git(root, "rev-parse", "--verify", "--quiet", revision + "^{commit}");
    if (rev.code != 0) {
      throw new UsageException(
          "no revision \"" + revision + "\" in the repository " + root + " (see git log)");
    }
    int index = roots.indexOf(root);
    if (index < 0) {
      roots.add(root);
      index = roots.size() - 1;
    }
    Path into = dir.resolve(String.valueOf(index));
    String spec = rel.toString().isEmpty() ? "." : rel.toString().replace('\\', '/');
    if (!extract(root, spec, into)) {
      missing.add(path.toString());
      return;
    }
    Path old = into.resolve(rel.toString());
    if (Files.exists(old)) {
      paths.add(old);
    } else {
      missing.add(path.toString());
    }
  }

  /** Unzips the YAML files of {@code spec} at the revision under {@code into}; false if absent. */
  private boolean extract(Path root, String spec, Path into) throws UsageException {
    Path errors = dir.resolve("git-archive.err");
    Process p;
    try {
      ProcessBuilder pb =
          new ProcessBuilder("git", "archive", "--format=zip", revision, "--", spec)
              .directory(root.toFile())
              .redirectError(errors.toFile());
      pb.environment().put("GIT_TERMINAL_PROMPT", "0");
      p = pb.start();
    } catch (IOException e) {
      throw gitMissing(e);
    }
    InputStream raw = p.getInputStream();
    try (ZipInputStream zip = new ZipInputStream(raw)) {
      Path base = into.toAbsolutePath().normalize();
      ZipEntry e;
      while ((e = zip.getNextEntry()) != null) {
        String name = e.getName();
        if (e.isDirectory() || !(name.endsWith(".yaml") || name.endsWith(".yml"))) {
          continue;
        }
        Path target = base.resolve(name).normalize();
        if (!target.startsWith(base)) {
          throw new UsageException("git archive of " + revision + " holds an unsafe path: " + name);
        }
        Files.createDirectories(target.getParent());
        Files.copy(zip, target);
      }
      // the central directory after the last entry, which ZipInputStream never reads: closing
      // the pipe before git has written it would kill git with SIGPIPE
      raw.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      p.destroy();
      throw new UsageException("cannot read git archive of " + revision + ": " + e.getMessage());
    }
    try {
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new UsageException(
            "git archive " + revision + " took more than " + TIMEOUT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new UsageException("interrupted while reading " + revision);
    }
    if (p.exitValue() != 0) {
      String why = read(errors);
      if (why.contains("did not match any files")) {
        return false; // the specs did not exist at the revision: the old side lacks them
      }
      throw new UsageException(
          "git archive " + revision + " -- " + spec + " failed: " + firstLine(why));
    }
    return true;
  }

  private static UsageException gitMissing(IOException e) {
    return new UsageException(
        "cannot run git ("
            + e.getMessage()
            + "): --base needs git on the PATH; or compare two"
            + " checkouts with lattice diff OLD NEW");
  }

  private record Result(int code, String out, String err) {
    String firstErrorLine() {
      return firstLine(err.isBlank() ? "git exited " + code : err);
    }
  }

  private Result git(Path where, String... args) throws UsageException {
    List<String> cmd = new ArrayList<>();
    cmd.add("git");
    cmd.addAll(List.of(args));
    Path out = dir.resolve("git.out");
    Path err = dir.resolve("git.err");
    try {
      ProcessBuilder pb =
          new ProcessBuilder(cmd)
              .directory(where.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile());
      pb.environment().put("GIT_TERMINAL_PROMPT", "0");
      Process p = pb.start();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new UsageException("git " + String.join(" ", args) + " did not finish");
      }
      return new Result(p.exitValue(), read(out), read(err));
    } catch (IOException e) {
      throw gitMissing(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UsageException("interrupted while running git");
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static String firstLine(String s) {
    String t = s.strip();
    int nl = t.indexOf('\n');
    return nl < 0 ? t : t.substring(0, nl);
  }

  /** The old side's paths that exist at the revision. */
  List<Path> paths() {
    return paths;
  }

  /** The given paths that did not exist at the revision. */
  List<String> missing() {
    return missing;
  }

  /** {@code text} with every path under the checkout written {@code REV:path/in/repo}. */
  String label(String text) {
    String out = text;
    for (int i = 0; i < roots.size(); i++) {
      String prefix = dir.resolve(String.valueOf(i)).toString() + java.io.File.separator;
      out = out.replace(prefix, revision + ":");
    }
    return out;
  }

  @Override
  public void close() {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | UncheckedIOException e) {
      // a leftover temporary directory is not worth failing the diff for
    }
  }
}
