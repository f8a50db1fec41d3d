package io.flockerdocker.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control CLI: argument errors, help, and node UUIDs that survive a restart. */
class ControlMainTest {
  @TempDir Path data;

  private static int run(ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
    return ControlMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void helpIsZeroAndBadArgumentsAreTwoWithOneLine() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertThat(run(out, err, "--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("usage: control");
    for (String[] bad : new String[][] {
        {}, {"--data"}, {"--data", "x", "--port", "70000"}, {"--data", "x", "--frob"},
        {"--data", "x", "--node", "n=1234"}, {"--data", "x", "--node", "a", "--node", "a"},
        {"--data", "x", "--move-delay-ms", "-1"}}) {
      err.reset();
      assertThat(run(out, err, bad)).as(String.join(" ", bad)).isEqualTo(2);
      assertThat(err.toString(StandardCharsets.UTF_8).strip()).doesNotContain("\n")
          .startsWith("control: ");
    }
  }

  @Test
  void nodeSpecsParse() {
    ControlArgs.NodeArg full = ControlArgs.node("n1=0B4A4B8E-7A2F-4D0C-9B0E-3F3C8F1E2A11:/x:y");
    assertThat(full.name()).isEqualTo("n1");
    assertThat(full.uuid()).isEqualTo("0b4a4b8e-7a2f-4d0c-9b0e-3f3c8f1e2a11");
    assertThat(full.root()).isEqualTo(Path.of("/x:y"));
    assertThat(ControlArgs.node("n2:/r").uuid()).isNull();
    assertThat(ControlArgs.node("n3").root()).isNull();
    assertThatThrownBy(() -> ControlArgs.node("=x")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void generatedNodeUuidsArePersistedAndReused() throws Exception {
    List<NodeSpec> first = NodesFile.resolve(data, List.of());
    assertThat(first).extracting(NodeSpec::name).containsExactly("node1", "node2");
    assertThat(first.get(0).uuid()).matches(Schema.UUID_V4.pattern());
    assertThat(first.get(0).datasetRoot()).isEqualTo(data.resolve("node1/flocker"));
    assertThat(NodesFile.resolve(data, List.of())).isEqualTo(first);
    List<NodeSpec> named = NodesFile.resolve(data,
        List.of(new ControlArgs.NodeArg("node2", null, null),
            new ControlArgs.NodeArg("node3", null, data.resolve("r3"))));
    assertThat(named.get(0)).isEqualTo(first.get(1));
    assertThat(named.get(1).datasetRoot()).isEqualTo(data.resolve("r3"));
  }

  @Test
  void readyLineIsOneJsonObject() throws Exception {
    ControlService service = ControlService.start(ControlSettings.defaults(data))
        .toCompletableFuture().get();
    try {
      String line = ControlMain.readyLine(service, ControlSettings.defaults(data).nodes());
      assertThat(line).doesNotContain("\n").startsWith("{\"control\":\"http://127.0.0.1:");
      var json = io.flockerdocker.protocol.Json.mapper().readTree(line);
      assertThat(json.get("nodes").get(0).get("name").asText()).isEqualTo("node1");
      assertThat(json.get("nodes").get(0).has("uuid")).isTrue();
      assertThat(json.get("nodes").get(0).has("root")).isTrue();
    } finally {
      service.stop().toCompletableFuture().get();
    }
  }
}
