package dev.lattice.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.lattice.diagnostics.Diagnostic;
import dev.lattice.graph.ServiceGraph;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A fuzz-style property without a fuzzing engine: seeded mutations of valid specs (truncation,
 * random bytes and characters, broken indentation, deep nesting, huge scalars, anchors and alias
 * bombs, type swaps) must only ever produce diagnostics — never an exception, a stack trace or a
 * class name in a message — and a graph without errors must resolve without throwing.
 *
 * <p>{@code -Dlattice.seed=N} replays one seed; {@code -Dlattice.tries=N} sets the cases per seed
 * (twice N). A failure prints the seed and case to replay.
 */
class SpecsRobustnessProperties {
  private static final long[] SEEDS = {1, 2, 3, 5, 8, 13, 21, 34};

  private static final List<String> CORPUS =
      List.of(
          """
          apiVersion: lattice.dev/v1alpha1
          kind: LatticeService
          metadata:
            name: api
            namespace: shop
          spec:
            serviceAccount: api
            selector: {app: api}
            ambient: true
            allowPeerTraffic: false
            workload:
              containers:
                main: {image: api:1.0}
              service:
                serviceType: ClusterIP
                ports:
                  http: {port: 80, targetPort: 8080, protocol: TCP, peerAuth: STRICT}
                  metrics: {port: 9090, peerAuth: PERMISSIVE, exposedTo: [10.0.0.0/8, world]}
              resources:
                web:
                  direction: inbound
                  params:
                    ports: [http]
                    http: [{methods: [GET], paths: [/api/*]}]
                db: {direction: outbound, namespace: data, id: postgres, params: {ports: [pg]}}
                all: {id: "*", direction: inbound}
                stripe:
                  type: external-service
                  params:
                    endpoints:
                      api: https://api.stripe.com/v1
                      v6: "[2001:db8::1]:443"
                      office: 2001:db8::/32:443
                      s3: "*.s3.amazonaws.com:443"
                kube: {type: external-service, id: "entity:kube-apiserver:443"}
                data: {type: volume, params: {size: 1Gi}}
          """,
          """
          apiVersion: lattice.dev/v1alpha1
          kind: LatticeMeshMember
          metadata: {name: gateway, namespace: edge}
          spec:
            target:
              selector: {app: gateway}
            ports:
              - {name: https, port: 8443, servicePort: 443, peerAuth: PERMISSIVE, exposedTo: [world]}
              - {name: hook, port: 9443, peerAuth: Webhook}
            allowedCallers: [{name: prometheus, namespace: monitoring}, {name: "*"}]
            dependencies: [{name: web, namespace: shop}]
            egress:
              - target: {fqdn: api.stripe.com}
                ports: [443]
              - target: {cidr: 10.0.0.0/8}
                ports: [5432]
                protocol: TCP
            dependsAll: true
            serviceAccount: gateway
          """,
          """
          defaults: &defaults
            direction: inbound
          ---
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: web}
          ---
          apiVersion: lattice.dev/v1alpha1
          kind: LatticeService
          metadata: {name: web, namespace: shop}
          spec:
            workload:
              service:
                serviceType: LoadBalancer
                ports:
                  http: &p {port: 8080}
                  alt: {<<: *p, port: 8081}
              resources:
                api: {}
                gw: {direction: inbound}
          """);

  private static final String NOISE =
      " \t\n\r:-[]{},&*!|>'\"%@`#?~\u00e9\u2028\ufeff\u0000\u0007\\";

  static LongStream seeds() {
    String replay = System.getProperty("lattice.seed", "");
    return replay.isBlank() ? LongStream.of(SEEDS) : LongStream.of(Long.parseLong(replay.trim()));
  }

  private static int cases() {
    String tries = System.getProperty("lattice.tries", "");
    return 2 * (tries.isBlank() ? 200 : Math.max(1, Integer.parseInt(tries.trim())));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void mutatedSpecsOnlyEverYieldDiagnostics(long seed, @TempDir Path tmp) throws Exception {
    Random random = new Random(seed);
    int cases = cases();
    for (int i = 0; i < cases; i++) {
      String input = mutate(random, CORPUS.get(random.nextInt(CORPUS.size())));
      SpecResult result;
      try {
        if (i % 25 == 0) {
          // through a file: raw bytes, some of them not UTF-8
          byte[] bytes = corruptBytes(random, input.getBytes(StandardCharsets.UTF_8));
          Path file = Files.write(tmp.resolve("case-" + i + ".yaml"), bytes);
          result = Specs.load(file);
        } else {
          result = Specs.parse("fuzz.yaml", input);
        }
        check(result);
      } catch (Throwable t) {
        fail(
            "seed "
                + seed
                + ", case "
                + i
                + " (replay with -Dlattice.seed="
                + seed
                + "): "
                + t
                + "\n--- input ---\n"
                + Texts.abbreviate(input.replace("\n", "⏎")),
            t);
      }
    }
  }

  private static void check(SpecResult result) {
    assertThat(result).isNotNull();
    for (Diagnostic d : result.diagnostics()) {
      assertThat(d.message())
          .isNotBlank()
          .doesNotContain("Exception", "org.yaml", "com.fasterxml", "java.", "\n\tat ");
      d.location()
          .ifPresent(
              l -> {
                assertThat(l.line()).isPositive();
                assertThat(l.column()).isPositive();
              });
    }
    assertThat(result.graph().isPresent()).isEqualTo(!result.hasErrors());
    assertThat(result.hasErrors())
        .isEqualTo(result.diagnostics().stream().anyMatch(Diagnostic::isError));
    if (result.graph().isPresent()) {
      ServiceGraph g = result.graph().get();
      assertThat(g.resolve()).isNotNull();
    }
  }

  // ---------------------------------------------------------------- mutations

  private static String mutate(Random r, String text) {
    StringBuilder s = new StringBuilder(text);
    // mostly one mutation, so that many cases get past the YAML syntax into the spec readers
    int n = r.nextInt(4) == 0 ? 2 + r.nextInt(3) : 1;
    for (int k = 0; k < n; k++) {
      int at = s.length() == 0 ? 0 : r.nextInt(s.length() + 1);
      switch (r.nextInt(12)) {
        case 0: // truncate
          s.setLength(at);
          break;
        case 1: // random characters
          for (int j = r.nextInt(8); j >= 0; j--) {
            s.insert(Math.min(at, s.length()), NOISE.charAt(r.nextInt(NOISE.length())));
          }
          break;
        case 2: // delete a range
          s.delete(at, Math.min(s.length(), at + r.nextInt(40)));
          break;
        case 3: // duplicate a line
          {
            List<String> lines = lines(s);
            if (!lines.isEmpty()) {
              int i = r.nextInt(lines.size());
              lines.add(i, lines.get(i));
              set(s, lines);
            }
          }
          break;
        case 4: // swap two lines
          {
            List<String> lines = lines(s);
            if (lines.size() > 1) {
              int i = r.nextInt(lines.size());
              int j = r.nextInt(lines.size());
              String t = lines.get(i);
              lines.set(i, lines.get(j));
              lines.set(j, t);
              set(s, lines);
            }
          }
          break;
        case 5: // break a line's indentation
          {
            List<String> lines = lines(s);
            if (!lines.isEmpty()) {
              int i = r.nextInt(lines.size());
              String indent = List.of(" ", "   ", "\t", "").get(r.nextInt(4));
              lines.set(i, r.nextBoolean() ? indent + lines.get(i) : lines.get(i).stripLeading());
              set(s, lines);
            }
          }
          break;
        case 6: // swap a value for one of another type
          {
            int colon = s.indexOf(": ", at);
            if (colon >= 0) {
              int end = s.indexOf("\n", colon);
              end = end < 0 ? s.length() : end;
              List<String> values =
                  List.of(
                      "0",
                      "65536",
                      "-1",
                      "80.5",
                      "1e999",
                      "99999999999999999999",
                      "true",
                      "yes",
                      "null",
                      "~",
                      "\"\"",
                      "[]",
                      "{}",
                      "[a, b]",
                      "{a: 1}",
                      "\"eighty\"",
                      "0x50",
                      "!!binary zzz",
                      "*nowhere",
                      "&a x",
                      "- a",
                      "|\n  block",
                      "'",
                      "\"");
              s.replace(colon + 2, end, values.get(r.nextInt(values.size())));
            }
          }
          break;
        case 7: // deep nesting
          {
            int depth = r.nextInt(150);
            String open = r.nextBoolean() ? "[" : "{a: ";
            String close = open.equals("[") ? "]" : "}";
            s.insert(
                at, "\nx: " + open.repeat(depth) + (r.nextBoolean() ? close.repeat(depth) : ""));
          }
          break;
        case 8: // a huge scalar
          s.insert(at, "\nhuge: " + "x".repeat(r.nextInt(200_000)) + "\n");
          break;
        case 9: // anchors and aliases, some of them bombs or loops
          {
            List<String> snippets =
                List.of(
                    "\nz: &z [1, 2]\ny: [*z, *z, *z]\n",
                    "\nl: &l [*l]\n",
                    "\nq: *unknown\n",
                    "\n"
                        + "a: &a [x,x,x,x,x,x,x,x,x,x]\n"
                        + "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
                        + "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
                        + "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
                        + "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
                        + "f: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n",
                    "\n<<: *nothing\n",
                    "\nm: &m {k: v}\nn: {<<: [*m, *m], k: w}\n",
                    "\n? [complex, key]\n: value\n");
            s.insert(at, snippets.get(r.nextInt(snippets.size())));
          }
          break;
        case 10: // document markers and directives
          s.insert(
              at,
              List.of("\n---\n", "\n...\n", "\n%YAML 1.2\n---\n", "---", "\n--- |\n  x\n")
                  .get(r.nextInt(5)));
          break;
        default: // flip the case of a letter
          if (at < s.length()) {
            char c = s.charAt(at);
            s.setCharAt(
                at, Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
          }
      }
    }
    return s.toString();
  }

  private static byte[] corruptBytes(Random r, byte[] bytes) {
    byte[] out = bytes.clone();
    for (int k = r.nextInt(4); k > 0 && out.length > 0; k--) {
      out[r.nextInt(out.length)] = (byte) r.nextInt(256);
    }
    return out;
  }

  private static List<String> lines(StringBuilder s) {
    return new ArrayList<>(List.of(s.toString().split("\n", -1)));
  }

  private static void set(StringBuilder s, List<String> lines) {
    s.setLength(0);
    s.append(String.join("\n", lines));
  }
}
