package dev.lattice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lattice replay}: a flow export judged against the shop's specs. */
class ReplayCommandTest {
  @TempDir Path root;
  Path specs;

  @BeforeEach
  void writeSpecs() {
    specs = Fixtures.shop(root);
  }

  /** A connection's first packet as {@code hubble observe -o json} prints it. */
  static String syn(String from, String to, int port) {
    return "{\"flow\":{\"verdict\":\"FORWARDED\",\"IP\":{\"source\":\"10.244.1.1\","
        + "\"destination\":\"10.244.2.2\",\"ipVersion\":\"IPv4\"},\"l4\":{\"TCP\":{"
        + "\"source_port\":40000,\"destination_port\":"
        + port
        + ",\"flags\":{\"SYN\":true}}},\"source\":"
        + endpoint(from)
        + ",\"destination\":"
        + endpoint(to)
        + ",\"Type\":\"L3_L4\",\"traffic_direction\":\"EGRESS\",\"trace_reason\":\"NEW\","
        + "\"is_reply\":false},\"node_name\":\"kind-worker\",\"time\":\"2026-03-26T02:35:29Z\"}\n";
  }

  private static String endpoint(String id) {
    String ns = id.substring(0, id.indexOf('/'));
    String name = id.substring(id.indexOf('/') + 1);
    return "{\"namespace\":\""
        + ns
        + "\",\"labels\":[\"k8s:app.kubernetes.io/name="
        + name
        + "\",\"k8s:io.kubernetes.pod.namespace="
        + ns
        + "\"],\"pod_name\":\""
        + name
        + "-0\"}";
  }

  private static final String FLOWS =
      syn("shop/web", "shop/api", 8080)
          + syn("shop/api", "data/db", 5432)
          + syn("data/db", "shop/web", 8080);

  private Path flows(String content) throws IOException {
    return Files.writeString(root.resolve("flows.json"), content, StandardCharsets.UTF_8);
  }

  /** {@code lattice args...} reading {@code stdin} as its standard input. */
  private static Run withStdin(byte[] stdin, Object... args) {
    InputStream saved = System.in;
    System.setIn(new ByteArrayInputStream(stdin));
    try {
      return DiffCommandTest.lattice(args);
    } finally {
      System.setIn(saved);
    }
  }

  @Test
  void reportsWhatIsAllowedUndeclaredAndUnused() throws IOException {
    Run r = DiffCommandTest.lattice("replay", "--flows", flows(FLOWS), specs).exits(0);
    assertThat(r.out())
        .contains("3 lines, 3 flows, 3 connection attempts")
        .contains("2 observed connections are allowed by both layers")
        .contains("undeclared (1)")
        .contains("data/db -> shop/web 8080/TCP (http): 1 flow from line 3")
        .contains("# add to data/db (" + specs.resolve("data.yaml"));
    assertThat(r.err()).isEmpty();
  }

  @Test
  void jsonHasTheThreeListsWithFromToAndPort() throws IOException {
    Run r =
        DiffCommandTest.lattice("replay", "--format", "json", "--flows", flows(FLOWS), specs)
            .exits(0);
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("dropped").isArray()).isTrue();
    assertThat(j.get("unused").isArray()).isTrue();
    JsonNode u = j.get("undeclared").get(0);
    assertThat(u.get("from").asText()).isEqualTo("data/db");
    assertThat(u.get("to").asText()).isEqualTo("shop/web");
    assertThat(u.get("port").asInt()).isEqualTo(8080);
    assertThat(u.get("suggestions").has("shop/web")).isTrue();
  }

  @Test
  void readsStandardInputAndGzip() throws IOException {
    Run stdin = withStdin(FLOWS.getBytes(StandardCharsets.UTF_8), "replay", "--flows", "-", specs);
    stdin.exits(0);
    assertThat(stdin.out()).startsWith("replayed -: 3 lines");
    Path gz = root.resolve("flows.json.gz");
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
      o.write(FLOWS.getBytes(StandardCharsets.UTF_8));
    }
    Run zipped = DiffCommandTest.lattice("replay", "--flows", gz, specs).exits(0);
    assertThat(zipped.out()).contains("3 lines, 3 flows, 3 connection attempts");
  }

  @Test
  void aBadLineIsNamedByFileLineAndColumnWithNothingOnStdout() throws IOException {
    Path f = flows(FLOWS + "{\"flow\": {\"l4\": {\"TCP\": {\"destination_port\": -1}}}}\n" + FLOWS);
    Run r =
        DiffCommandTest.lattice("replay", "--flows", f, specs)
            .exits(1)
            .printsNothing()
            .showsNoStackTrace();
    assertThat(r.errLines())
        .containsExactly(
            f + ":4:48: error: flow.l4.TCP.destination_port must be a port 0..65535, got -1");
    Run notJson = DiffCommandTest.lattice("replay", "--flows", flows("hello\n"), specs).exits(1);
    assertThat(notJson.err())
        .startsWith(root.resolve("flows.json") + ":1:")
        .contains("not valid JSON");
  }

  @Test
  void usageErrorsExitTwo() throws IOException {
    assertThat(DiffCommandTest.lattice("replay", specs).isUsageError().err())
        .contains("replay needs --flows FILE");
    assertThat(
            DiffCommandTest.lattice("replay", "--flows", root.resolve("nope.json"), specs)
                .isUsageError()
                .err())
        .contains("no such file");
    assertThat(
            DiffCommandTest.lattice("replay", "--flows", flows(FLOWS), "--format", "yaml", specs)
                .isUsageError()
                .err())
        .contains("--format is text or json");
    assertThat(DiffCommandTest.lattice("replay", "--flows", root, specs).isUsageError().err())
        .contains("is a directory");
  }
}
