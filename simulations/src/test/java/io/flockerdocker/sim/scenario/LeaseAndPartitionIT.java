package io.flockerdocker.sim.scenario;

import static io.flockerdocker.sim.scenario.Faults.allUp;
import static io.flockerdocker.sim.scenario.Faults.async;
import static io.flockerdocker.sim.scenario.Faults.call;
import static io.flockerdocker.sim.scenario.Faults.until;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lease TTL (6 s here) and the minority side of a partition. The split-brain resolver waits
 * 60 s, so stopped (SIGSTOP) nodes stay unreachable members instead of being downed.
 */
class LeaseAndPartitionIT {
  @TempDir static Path dir;
  static LocalCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = LocalCluster.start(LocalCluster.Options.of(3, dir).withExtraAgentConfig(
        "flocker-docker.leases.ttl = 6s\n"
            + "pekko.cluster.split-brain-resolver.stable-after = 60s\n"),
        Duration.ofSeconds(90));
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      for (AgentProcess a : cluster.agents()) {
        if (a.alive()) {
          Faults.signal(a, "CONT");
        }
      }
      cluster.close();
    }
  }

  @BeforeEach
  void everyNodeUp() throws Exception {
    allUp(cluster);
  }

  @Test
  void holderRenewsItsLeaseWhileAliveAndItExpiresAfterItDies() throws Exception {
    assertThat(call(cluster, 1, c -> c.create("ttl", Map.of())).ok()).isTrue();
    PluginClient.Reply m = call(cluster, 1, c -> c.mount("ttl", "t1"));
    assertThat(m.ok()).as("Mount: %s", m.body()).isTrue();
    Files.writeString(Path.of(m.mountpoint()).resolve("data.txt"), "kept");
    String dataset = Faults.datasetOf(cluster, "ttl");
    String node1 = cluster.agent(1).layout().uuid();

    Thread.sleep(9000); // outlive the 6 s TTL with the holder alive: it must have renewed
    assertThat(Faults.leases(cluster)).as("node1's lease after 9 s").containsEntry(dataset, node1);
    PluginClient.Reply refused = call(cluster, 2, c -> c.mount("ttl", "t2"));
    assertThat(refused.ok()).as("node2 Mount while node1 lives: %s", refused.body()).isFalse();
    assertThat(refused.err()).contains("node1");

    cluster.agent(1).kill();
    until(Duration.ofSeconds(45), "node2's Mount succeeds once node1's lease expired", () -> {
      PluginClient.Reply r = call(cluster, 2, c -> c.mount("ttl", "t2"));
      if (!r.ok()) {
        assertThat(r.err()).contains("node1");
      }
      return r.ok() && Files.readString(Path.of(r.mountpoint()).resolve("data.txt"))
          .equals("kept");
    });
    assertThat(call(cluster, 2, c -> c.unmount("ttl", "t2")).ok()).isTrue();
  }

  @Test
  void minorityRefusesChangesButStillAnswersReadsUntilThePartitionHeals() throws Exception {
    assertThat(call(cluster, 3, c -> c.create("part", Map.of())).ok()).isTrue();
    Faults.signal(cluster.agent(1), "STOP");
    Faults.signal(cluster.agent(2), "STOP");
    try {
      until(Duration.ofSeconds(30), "node3 sees node1 and node2 unreachable", () -> {
        var members = Faults.http("GET", cluster.agent(3).layout().statusUrl() + "/v1/status")
            .body().path("members");
        int unreachable = 0;
        for (var n : members) {
          unreachable += n.path("reachable").asBoolean() ? 0 : 1;
        }
        return unreachable == 2;
      });
      String majority = "cannot reach a majority";
      Duration quick = Duration.ofSeconds(20);
      assertThat(Faults.await(async(cluster, 3, c -> c.create("part-new", Map.of())), quick,
          "Create on the minority").err()).contains(majority);
      assertThat(Faults.await(async(cluster, 3, c -> c.mount("part", "p3")), quick,
          "Mount on the minority").err()).contains(majority);
      assertThat(Faults.await(async(cluster, 3, c -> c.remove("part")), quick,
          "Remove on the minority").err()).contains(majority);
      PluginClient.Reply get = Faults.await(async(cluster, 3, c -> c.get("part")), quick,
          "Get on the minority");
      assertThat(get.ok()).as("Get: %s", get.body()).isTrue();
      PluginClient.Reply list = Faults.await(async(cluster, 3, c -> c.list()), quick,
          "List on the minority");
      assertThat(list.body().toString()).contains("\"part\"");
    } finally {
      Faults.signal(cluster.agent(1), "CONT");
      Faults.signal(cluster.agent(2), "CONT");
    }
    until(Duration.ofSeconds(40), "node3 serves Create again after the partition heals",
        () -> call(cluster, 3, c -> c.create("part-new", Map.of())).ok());
    assertThat(call(cluster, 3, c -> c.remove("part")).ok()).isTrue();
  }
}
