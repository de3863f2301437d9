package dev.lattice.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lattice.cilium.CiliumRenderer;
import dev.lattice.graph.Topology;
import dev.lattice.istio.IstioRenderer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link RenderExample}: the quick start runs and prints both layers of the DESIGN §4 sketch. */
class RenderExampleTest {

  @Test
  void printsBothLayersAndTheLabelTheWaypointNeeds() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        RenderExample.run(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isZero();

    Topology topology = RenderExample.shop().resolve().orThrow();
    String cilium = CiliumRenderer.create().render(topology).toYaml();
    String istio = IstioRenderer.create().render(topology).toYaml();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("# ---- L4: Cilium (")
        .contains(cilium)
        .contains("# ---- L7: Istio ambient (")
        .contains(istio)
        .contains("kind: ServiceEntry")
        .contains("- api.stripe.com");
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "note: Service shop/api needs label istio.io/use-waypoint=waypoint: its HTTP rules are"
                + " enforced by the waypoint shop/waypoint; until the label is applied, calls bypass"
                + " the waypoint and its pods deny them (fail closed)\n"
                + "  apply: kubectl label service -n shop api istio.io/use-waypoint=waypoint\n");
  }
}
