package io.flockerdocker.sim.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Simulated agents: state follows configuration asynchronously with real directories; moves
 * carry the bytes and pass through a no-primary phase; deletes vanish; dead agents do nothing.
 */
class ConvergenceTest {
  @TempDir static Path data;
  static ControlService service;
  static ApiClient api;
  static NodeSpec node1;
  static NodeSpec node2;

  @BeforeAll
  static void start() throws Exception {
    // node2 gets an explicit root outside the data dir: roots must be settable per node
    ControlSettings defaults = ControlSettings.defaults(data.resolve("d"));
    node1 = defaults.nodes().get(0);
    node2 = new NodeSpec("node2", defaults.nodes().get(1).uuid(), data.resolve("elsewhere"));
    service = ControlService.start(defaults.withNodes(java.util.List.of(node1, node2))
        .withMoveDelay(Duration.ofMillis(300))).toCompletableFuture().get();
    api = new ApiClient(service.url());
  }

  @AfterAll
  static void stop() throws Exception {
    service.stop().toCompletableFuture().get();
  }

  static boolean manifestOn(String id, NodeSpec node) throws Exception {
    return ConvergenceTestSupport.manifestOn(api, id, node);
  }

  @Test
  void createMaterialisesOnPrimaryWithPath() throws Exception {
    String id = api.create(node1.uuid(), "\"maximum_size\":67108864");
    Poll.until("manifest on node1", () -> manifestOn(id, node1));
    JsonNode s = api.state(id);
    assertThat(s.get("path").asText()).isEqualTo(node1.datasetRoot().resolve(id).toString());
    assertThat(s.get("maximum_size").asLong()).isEqualTo(67108864L);
    assertThat(s.has("metadata")).isFalse();
    assertThat(Files.isDirectory(node1.datasetRoot().resolve(id))).isTrue();
  }

  @Test
  void moveCarriesTheBytesAndPassesThroughTransit() throws Exception {
    String id = api.create(node1.uuid(), "");
    Poll.until("manifest on node1", () -> manifestOn(id, node1));
    Path source = node1.datasetRoot().resolve(id);
    Files.createDirectories(source.resolve("sub"));
    byte[] payload = ("hello " + UUID.randomUUID()).getBytes();
    Files.write(source.resolve("sub/file.bin"), payload);

    assertThat(api.post("/configuration/datasets/" + id,
        "{\"primary\":\"" + node2.uuid() + "\"}").status()).isEqualTo(200);
    Poll.until("in transit", () -> {
      JsonNode s = api.state(id);
      return s != null && !s.has("primary") && !s.has("path");
    });
    Poll.until("manifest on node2", () -> manifestOn(id, node2));
    Path target = node2.datasetRoot().resolve(id);
    assertThat(api.state(id).get("path").asText()).isEqualTo(target.toString());
    assertThat(Files.readAllBytes(target.resolve("sub/file.bin"))).isEqualTo(payload);
    assertThat(Files.exists(source)).isFalse();
  }

  @Test
  void deleteRemovesDirectoryAndStateEntry() throws Exception {
    String id = api.create(node2.uuid(), "");
    Poll.until("manifest on node2", () -> manifestOn(id, node2));
    api.delete("/configuration/datasets/" + id);
    Poll.until("gone from state", () -> api.state(id) == null);
    assertThat(Files.exists(node2.datasetRoot().resolve(id))).isFalse();
  }

  @Test
  void unknownPrimaryNeverMaterialises() throws Exception {
    String ghost = api.create(UUID.randomUUID().toString(), "");
    // a dataset created afterwards converging proves the agents looked at the ghost too
    String probe = api.create(node1.uuid(), "");
    Poll.until("probe manifest", () -> manifestOn(probe, node1));
    assertThat(api.state(ghost)).isNull();
  }

  @Test
  void deadNodeConvergesNothingUntilAlive() throws Exception {
    service.setNodeAlive(node2.uuid(), false);
    try {
      String id = api.create(node2.uuid(), "");
      String probe = api.create(node1.uuid(), "");
      Poll.until("probe manifest", () -> manifestOn(probe, node1));
      assertThat(api.state(id)).isNull();
      service.setNodeAlive(node2.uuid(), true);
      Poll.until("manifest after revival", () -> manifestOn(id, node2));
    } finally {
      service.setNodeAlive(node2.uuid(), true);
    }
  }

  @Test
  void moveDelayIsChangeableAtRuntime() throws Exception {
    String id = api.create(node1.uuid(), "");
    Poll.until("manifest on node1", () -> manifestOn(id, node1));
    service.setMoveDelay(Duration.ofHours(1));
    try {
      api.post("/configuration/datasets/" + id, "{\"primary\":\"" + node2.uuid() + "\"}");
      Poll.until("in transit", () -> {
        JsonNode s = api.state(id);
        return s != null && !s.has("primary");
      });
      // a later dataset converging shows time passes while the slow move is still pending
      String probe = api.create(node1.uuid(), "");
      Poll.until("probe manifest", () -> manifestOn(probe, node1));
      assertThat(api.state(id).has("primary")).isFalse();
    } finally {
      service.setMoveDelay(Duration.ofMillis(300));
    }
  }
}
