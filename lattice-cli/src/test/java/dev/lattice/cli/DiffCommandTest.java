package dev.lattice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lattice diff}: its formats, its exit codes and {@code --base} on a real git repository.
 */
class DiffCommandTest {
  @TempDir Path root;

  static Run lattice(Object... args) {
    List<String> list = new ArrayList<>();
    for (Object a : args) {
      list.add(String.valueOf(a));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Main.run(list.toArray(String[]::new), o, e);
    }
    return new Run(
        "lattice " + String.join(" ", list),
        code,
        out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  /** The shop before the api admits web: web's call is one-sided. */
  static final String BEFORE = Fixtures.SHOP.replaceAll("(?s)      web:\n.*?(?=      db:)", "");

  /** The shop before (web's call one-sided) and after (the api admits it). */
  private Path[] versions() {
    Path before = root.resolve("before");
    Path after = Fixtures.shop(root);
    Fixtures.write(before, "shop.yaml", BEFORE);
    Fixtures.write(before, "data.yaml", Fixtures.DATA);
    return new Path[] {before, after};
  }

  @Test
  void theSameSpecsTwiceChangeNothing() {
    Path specs = Fixtures.shop(root);
    Run r = lattice("diff", "--fail-on-open", specs, specs).exits(0);
    assertThat(r.out()).contains("0 opened, 0 closed").contains("no change");
  }

  @Test
  void printsWhatOpensWithTheDeclarationsResponsible() {
    Path[] v = versions();
    Run r = lattice("diff", v[0], v[1]).exits(0).showsNoStackTrace();
    assertThat(r.out())
        .startsWith("1 opened, 0 closed")
        .contains("shop/web -> shop/api 80/TCP (http, target port 8080)")
        .contains("cilium deny -> allow")
        .contains("istio  deny -> allow")
        .contains("shop/api: inbound shop/web http [GET /api/*] (" + v[1].resolve("shop.yaml"));
    // the reverse change closes it
    assertThat(lattice("diff", v[1], v[0]).exits(0).out()).startsWith("0 opened, 1 closed");
  }

  @Test
  void failOnOpenExitsThreeAndJsonHasTheOpenedList() throws IOException {
    Path[] v = versions();
    Run r = lattice("diff", "--fail-on-open", "--format", "json", v[0], v[1]).exits(3);
    JsonNode j = new ObjectMapper().readTree(r.out());
    JsonNode opened = j.get("opened").get(0);
    assertThat(opened.get("from").asText()).isEqualTo("shop/web");
    assertThat(opened.get("to").asText()).isEqualTo("shop/api");
    assertThat(opened.get("port").asInt()).isEqualTo(80);
    assertThat(opened.get("layers").toString()).isEqualTo("[\"cilium\",\"istio\"]");
    assertThat(j.get("closed").isArray()).isTrue();
    // closing only does not fail
    lattice("diff", "--fail-on-open", v[1], v[0]).exits(0);
  }

  @Test
  void markdownIsAPullRequestComment() {
    Path[] v = versions();
    Run r = lattice("diff", "--format", "markdown", v[0], v[1]).exits(0);
    assertThat(r.out())
        .startsWith("### Lattice: 1 opened, 0 closed\n")
        .contains("| from | to | port | request | Cilium (L4) | Istio | declared |")
        .contains("| `shop/web` | `shop/api` | 80/TCP (http, target port 8080) |")
        .contains("<details><summary>Why, layer by layer</summary>");
  }

  @Test
  void specErrorsInEitherVersionExitOneWithNothingOnStdout() {
    Path[] v = versions();
    Path broken = root.resolve("broken");
    Fixtures.write(broken, "api.yaml", Fixtures.PORT_OUT_OF_RANGE);
    Run r = lattice("diff", v[0], broken).exits(1).printsNothing().showsNoStackTrace();
    assertThat(r.err()).contains("errors in " + broken + ":").contains("api.yaml:8:9: error[");
  }

  @Test
  void usageErrorsExitTwo() {
    Path[] v = versions();
    assertThat(lattice("diff", v[0]).isUsageError().err()).contains("two spec paths, OLD and NEW");
    assertThat(lattice("diff", "--format", "html", v[0], v[1]).isUsageError().err())
        .contains("--format is text, markdown or json");
    assertThat(lattice("diff", "--base", "HEAD").isUsageError().err())
        .contains("needs the spec PATHs");
    assertThat(lattice("diff", v[0], root.resolve("nope")).isUsageError().err())
        .contains("no such file or directory");
  }

  // ------------------------------------------------------------------ --base

  private static void git(Path dir, String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "git",
                "-c",
                "user.email=ci@example.org",
                "-c",
                "user.name=ci",
                "-c",
                "commit.gpgsign=false"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("git %s: %s", String.join(" ", args), output).isZero();
  }

  private static boolean hasGit() {
    try {
      Process p = new ProcessBuilder("git", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  @Test
  void baseComparesTheWorkingTreeWithARevision() throws Exception {
    Assumptions.assumeTrue(hasGit(), "git is not installed here");
    Path repo = root.resolve("repo");
    Path specs = repo.resolve("specs");
    Fixtures.write(specs, "shop.yaml", BEFORE);
    Fixtures.write(specs, "data.yaml", Fixtures.DATA);
    git(repo, "init", "-q");
    git(repo, "add", ".");
    git(repo, "commit", "-q", "-m", "specs");
    Fixtures.write(specs, "shop.yaml", Fixtures.SHOP);

    Run r = lattice("diff", "--base", "HEAD", "--format", "json", specs).exits(0);
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("opened").size()).isEqualTo(1);
    JsonNode declared = j.get("opened").get(0).get("declarations");
    assertThat(declared.get("before").get(0).get("at").asText())
        .isEqualTo("HEAD:specs/shop.yaml:10:7");
    assertThat(declared.get("after").toString()).contains(specs.resolve("shop.yaml") + ":");

    // a file that did not exist at the revision: everything in it is new
    Fixtures.write(repo, "extra/data.yaml", Fixtures.DATA);
    Run added = lattice("diff", "--base", "HEAD", repo.resolve("extra")).exits(0);
    assertThat(added.err()).contains("does not exist at HEAD: everything in it is new");

    assertThat(lattice("diff", "--base", "no-such-branch", specs).isUsageError().err())
        .contains("no revision \"no-such-branch\"");
  }

  @Test
  void baseOutsideARepositoryIsAUsageError() throws Exception {
    Assumptions.assumeTrue(hasGit(), "git is not installed here");
    Path specs = Fixtures.shop(root);
    Path ceiling = root.toAbsolutePath();
    Run r = lattice("diff", "--base", "HEAD", specs);
    // the temporary directory might sit inside some repository; only judge when it does not
    Assumptions.assumeFalse(r.code() == 0, "the temporary directory is inside a git repository");
    assertThat(r.isUsageError().err())
        .contains("is not in a git repository")
        .contains(ceiling.toString());
  }
}
