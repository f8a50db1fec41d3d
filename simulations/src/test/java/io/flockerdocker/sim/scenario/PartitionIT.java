package io.flockerdocker.sim.scenario;

import static io.flockerdocker.sim.scenario.Faults.async;
import static io.flockerdocker.sim.scenario.Faults.call;
import static io.flockerdocker.sim.scenario.Faults.until;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The minority side of a partition. The split-brain resolver waits 60 s, so stopped (SIGSTOP)
 * nodes stay unreachable members instead of being downed (and node3 is not downed either).
 */
class PartitionIT extends ClusterIT {
  PartitionIT() {
    super(3, "pekko.cluster.split-brain-resolver.stable-after = 60s\n");
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
    // healing is asynchronous (reachability events arrive node by node): bounded, not at once
    until(Duration.ofSeconds(40), "node3 removes part after the partition heals",
        () -> call(cluster, 3, c -> c.remove("part")).ok());
  }
}
