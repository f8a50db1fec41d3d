package io.flockerdocker.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two real agents in one JVM and the embedded control service, driven over their unix sockets
 * exactly as dockerd drives them. Tests share the cluster and use their own volume names; the
 * control-service outage runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoNodePluginTest {
  static InJvmAgents cluster;
  PluginClient node1;
  PluginClient node2;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = InJvmAgents.start(2, Duration.ofSeconds(60));
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @BeforeEach
  void connect() {
    node1 = new PluginClient(cluster.agent(1).socket());
    node2 = new PluginClient(cluster.agent(2).socket());
  }

  @AfterEach
  void disconnect() throws Exception {
    node1.close();
    node2.close();
  }

  /** A mount ID as dockerd makes them: 64 hex characters. */
  static String id(char c) {
    return String.valueOf(c).repeat(64);
  }

  static PluginClient.Reply ok(String what, PluginClient.Reply r) {
    assertThat(r.ok()).as("%s: HTTP %s %s", what, r.status(), r.body()).isTrue();
    return r;
  }

  static String err(String what, PluginClient.Reply r) {
    assertThat(r.err()).as("%s should fail: HTTP %s %s", what, r.status(), r.body()).isNotEmpty();
    return r.err();
  }

  static List<String> names(PluginClient.Reply list) {
    List<String> out = new ArrayList<>();
    list.body().path("Volumes").forEach(v -> out.add(v.path("Name").asText()));
    return out;
  }

  @Test
  @Order(1)
  void fishWrittenOnNode1IsReadOnNode2() throws Exception {
    ok("create", node1.create("fish", Map.of()));
    String m1 = ok("mount on node1", node1.mount("fish", id('a'))).mountpoint();
    assertThat(Path.of(m1)).startsWith(cluster.agent(1).mounts());
    Files.writeString(Path.of(m1, "file"), "fish\n");
    ok("unmount on node1", node1.unmount("fish", id('a')));

    String m2 = ok("mount on node2", node2.mount("fish", id('b'))).mountpoint();
    assertThat(Path.of(m2)).startsWith(cluster.agent(2).mounts());
    assertThat(Files.readString(Path.of(m2, "file"), StandardCharsets.UTF_8)).isEqualTo("fish\n");
    // Path comes from node2's cache, which its next poll brings up to date
    awaitOn(node2, "Path of fish is " + m2, () -> node2.path("fish").mountpoint().equals(m2));
    ok("unmount on node2", node2.unmount("fish", id('b')));
  }

  @Test
  @Order(2)
  void repeatedMountIdsAreCountedAndTheHolderIsNamed() throws Exception {
    ok("create", node1.create("counted", Map.of()));
    String path = ok("mount A", node1.mount("counted", id('a'))).mountpoint();
    assertThat(ok("mount A again (docker cp)", node1.mount("counted", id('a'))).mountpoint())
        .isEqualTo(path);
    ok("unmount A once", node1.unmount("counted", id('a')));

    assertThat(err("node2 mount while node1 holds it", node2.mount("counted", id('b'))))
        .contains("node1");
    ok("unknown id unmount", node1.unmount("counted", id('f')));
    assertThat(err("still held", node2.mount("counted", id('b')))).contains("node1");

    ok("unmount A again", node1.unmount("counted", id('a')));
    assertThat(ok("node2 mount once free", node2.mount("counted", id('b'))).mountpoint())
        .startsWith(cluster.agent(2).mounts().toString());
    ok("unmount on node2", node2.unmount("counted", id('b')));
  }

  @Test
  @Order(3)
  void removeWhileMountedIsRefusedNamingTheHolder() throws Exception {
    ok("create", node1.create("busy", Map.of()));
    ok("mount", node1.mount("busy", id('c')));
    assertThat(err("remove from node2", node2.remove("busy"))).contains("node1");
    assertThat(err("remove from node1", node1.remove("busy"))).contains("node1");
    awaitOnNode2("busy");
    assertThat(names(node2.list())).contains("busy");
    ok("unmount", node1.unmount("busy", id('c')));
    ok("remove once free", node2.remove("busy"));
    assertThat(node2.get("busy").err()).isNotEmpty();
    assertThat(names(node2.list())).doesNotContain("busy");
    ok("remove again (idempotent)", node1.remove("busy"));
  }

  @Test
  @Order(4)
  void volumesCreatedOnNode1AreVisibleOnNode2() throws Exception {
    ok("create", node1.create("shared", Map.of("size", "128MiB", "profile", "gold")));
    // node2 learns of it from its own StateWatcher poll (default 1 s)
    JsonNode volume = awaitOnNode2("shared");
    assertThat(volume.path("Name").asText()).isEqualTo("shared");
    assertThat(volume.path("Mountpoint").asText()).isEmpty();
    assertThat(volume.path("Status").path("sizeBytes").asLong()).isEqualTo(128L * 1024 * 1024);
    assertThat(names(node2.list())).contains("shared");
  }

  interface Check {
    boolean holds() throws Exception;
  }

  static void awaitOn(PluginClient node, String what, Check check) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!check.holds()) {
      assertThat(System.nanoTime()).as("not within 10 s: %s", what).isLessThan(until);
      Thread.sleep(50);
    }
  }

  JsonNode awaitOnNode2(String name) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      PluginClient.Reply r = node2.get(name);
      if (r.ok()) {
        return r.body().path("Volume");
      }
      assertThat(System.nanoTime()).as("node2 never listed %s: %s", name, r.body())
          .isLessThan(until);
      Thread.sleep(50);
    }
  }

  @Test
  @Order(5)
  void badInputGetsAJsonErrOr404AndChangesNothing() throws Exception {
    List<String> before = names(node1.list());
    byte[] hugeName = ("{\"Name\":\"" + "x".repeat(1024 * 1024) + "\"}\n")
        .getBytes(StandardCharsets.UTF_8);
    Map<String, byte[]> creates = new java.util.LinkedHashMap<>();
    creates.put("malformed JSON", "{\"Name\": \"bad".getBytes(StandardCharsets.UTF_8));
    creates.put("empty body", new byte[0]);
    creates.put("missing Name", "{\"Opts\":{}}\n".getBytes(StandardCharsets.UTF_8));
    creates.put("slash in name", "{\"Name\":\"a/b\"}\n".getBytes(StandardCharsets.UTF_8));
    creates.put("dot-dot name", "{\"Name\":\"..\"}\n".getBytes(StandardCharsets.UTF_8));
    creates.put("dot-dot path", "{\"Name\":\"../etc\"}\n".getBytes(StandardCharsets.UTF_8));
    creates.put("wrong types", "{\"Name\":42,\"Opts\":[1]}\n".getBytes(StandardCharsets.UTF_8));
    creates.put("unknown option",
        "{\"Name\":\"okname\",\"Opts\":{\"colour\":\"red\"}}\n".getBytes(StandardCharsets.UTF_8));
    creates.put("1 MB name", hugeName);
    for (var c : creates.entrySet()) {
      try (PluginClient fresh = new PluginClient(cluster.agent(1).socket())) {
        PluginClient.Reply r = fresh.raw("/VolumeDriver.Create", c.getValue());
        assertThat(r.err()).as("%s: HTTP %s %s", c.getKey(), r.status(), r.body()).isNotEmpty();
      }
    }
    for (String endpoint : List.of("/VolumeDriver.Mount", "/VolumeDriver.Remove",
        "/VolumeDriver.Get", "/VolumeDriver.Unmount")) {
      PluginClient.Reply r = node1.raw(endpoint, "{\"Name\":\"a/../b\",\"ID\":7}\n"
          .getBytes(StandardCharsets.UTF_8));
      assertThat(r.err()).as("%s with a bad name: %s", endpoint, r.body()).isNotEmpty();
    }
    PluginClient.Reply unknown = node1.call("/VolumeDriver.Explode", Map.of("Name", "x"));
    assertThat(unknown.status()).isEqualTo(404);

    assertThat(names(node1.list())).isEqualTo(before);
    assertThat(names(node1.list())).doesNotContain("okname", "a/b", "..");
    ok("still serving", node1.call("/Plugin.Activate", Map.of()));
    ok("still creating", node1.create("after-bad-input", Map.of()));
  }

  @Test
  @Order(99)
  void withTheControlServiceDownGetAndListAnswerAndChangesFailFast() throws Exception {
    ok("create", node1.create("cached", Map.of()));
    awaitOnNode2("cached");
    cluster.control.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);

    for (PluginClient node : List.of(node1, node2)) {
      assertThat(ok("get from cache", node.get("cached")).body().path("Volume").path("Name")
          .asText()).isEqualTo("cached");
      assertThat(names(ok("list from cache", node.list()))).contains("cached", "fish");
    }
    assertThat(err("mount", node2.mount("cached", id('d'))))
        .contains("control service unreachable");
    assertThat(err("create", node1.create("newcomer", Map.of())))
        .contains("control service unreachable");
    assertThat(err("remove", node1.remove("cached"))).contains("control service unreachable");
    assertThat(ok("get still answers", node2.get("cached")).body().path("Volume").path("Name")
        .asText()).isEqualTo("cached");
  }
}
