package io.flockerdocker.sim.scenario;

import static io.flockerdocker.sim.scenario.Faults.async;
import static io.flockerdocker.sim.scenario.Faults.call;
import static io.flockerdocker.sim.scenario.Faults.until;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A mount holder that dies is never silently replaced: the others refuse naming it, until an
 * operator releases it. Also: concurrent Mounts from three nodes, and an agent restarted with a
 * journaled mount. Three agent JVMs (split-brain resolver downs a dead member after 5 s).
 */
class HolderFaultsIT extends ClusterIT {
  HolderFaultsIT() {
    super(3, "");
  }

  PluginClient.Reply mounted(int node, String volume, String id) throws Exception {
    PluginClient.Reply r = call(cluster, node, c -> c.mount(volume, id));
    assertThat(r.ok()).as("node%d Mount(%s): %s", node, volume, r.body()).isTrue();
    return r;
  }

  void created(int node, String volume) throws Exception {
    PluginClient.Reply r = call(cluster, node, c -> c.create(volume, Map.of()));
    assertThat(r.ok()).as("node%d Create(%s): %s", node, volume, r.body()).isTrue();
  }

  @Test
  void killedHolderIsRefusedByNameUntilReleasedThenItsDataMoves() throws Exception {
    created(1, "kv");
    Path mp = Path.of(mounted(1, "kv", "c1").mountpoint());
    Files.writeString(mp.resolve("data.txt"), "written on node1");

    Faults.Http overTcp = Faults.releaseOverTcp(cluster, 2, "kv", "node1");
    assertThat(overTcp.status()).as("release on the TCP status port: %s", overTcp.body())
        .isEqualTo(405);
    assertThat(overTcp.body().path("error").asText()).contains("admin unix socket");
    Faults.Http early = Faults.release(cluster, 2, "kv", "node1");
    assertThat(early.status()).as("release while node1 is up: %s", early.body()).isEqualTo(409);
    assertThat(early.body().path("error").asText()).contains("node1", "up and reachable");

    cluster.agent(1).kill();
    PluginClient.Reply first = call(cluster, 2, c -> c.mount("kv", "c2"));
    assertThat(first.ok()).as("Mount right after the holder died: %s", first.body()).isFalse();
    assertThat(first.err()).as("names the holder").contains("node1");

    String[] last = new String[1];
    until(Duration.ofSeconds(40), "node2's Mount refused as 'node1 unreachable since ...'", () -> {
      PluginClient.Reply r = call(cluster, 2, c -> c.mount("kv", "c2"));
      assertThat(r.ok()).as("Mount while node1 holds kv: %s", r.body()).isFalse();
      last[0] = r.err();
      return r.err().contains("mounted on node1, which is unreachable since ");
    });
    assertThat(last[0]).contains("flocker-docker release kv --from node1");

    Faults.Http released = Faults.release(cluster, 2, "kv", "node1");
    assertThat(released.status()).as("release of a dead holder: %s", released.body())
        .isEqualTo(200);
    // one AUDIT line per call on the admin socket (refused, then released); the log is async
    until(Duration.ofSeconds(5), "node2's log has the two AUDIT lines", () ->
        Files.readAllLines(cluster.agent(2).layout().log()).stream()
            .filter(l -> l.contains("AUDIT release volume [kv] from node [node1] by [user=root"))
            .map(l -> l.contains("outcome [released]")).toList().equals(List.of(false, true)));
    // the data is on node1's own disk: node2's Mount is refused naming node1 until node1's host
    // is back (systemd restarts the agent), which then hands the released dataset over
    PluginClient.Reply refused = call(cluster, 2, c -> c.mount("kv", "c2"));
    assertThat(refused.ok()).as("node2 Mount while node1's disk is unreachable: %s",
        refused.body()).isFalse();
    assertThat(refused.err()).contains("has its data on node1, which is unreachable");
    cluster.restartAgent(1);
    cluster.awaitReady(Duration.ofSeconds(60));
    CompletableFuture<PluginClient.Reply> mount = async(cluster, 2, c -> c.mount("kv", "c2"));
    PluginClient.Reply r = Faults.await(mount, Duration.ofSeconds(110), "node2 Mount(kv)");
    assertThat(r.ok()).as("node2 Mount(kv) once node1 is back: %s", r.body()).isTrue();
    Path moved = Path.of(r.mountpoint());
    assertThat(Files.readString(moved.resolve("data.txt"))).isEqualTo("written on node1");
    assertThat(call(cluster, 2, c -> c.unmount("kv", "c2")).ok()).isTrue();
  }

  @Test
  void concurrentMountsFromThreeNodesHaveOneWinnerTheOthersNameIt() throws Exception {
    created(1, "race");
    List<CompletableFuture<PluginClient.Reply>> replies = List.of(
        async(cluster, 1, c -> c.mount("race", "r1")),
        async(cluster, 2, c -> c.mount("race", "r2")),
        async(cluster, 3, c -> c.mount("race", "r3")));
    int winner = 0;
    for (int n = 1; n <= 3; n++) {
      PluginClient.Reply r = Faults.await(replies.get(n - 1), Duration.ofSeconds(110),
          "node" + n + " Mount(race)");
      if (r.ok()) {
        assertThat(winner).as("a second winner: node%d (first node%d)", n, winner).isZero();
        winner = n;
      }
    }
    assertThat(winner).as("exactly one Mount wins").isPositive();
    for (int n = 1; n <= 3; n++) {
      PluginClient.Reply r = replies.get(n - 1).join();
      if (n != winner) {
        assertThat(r.err()).as("node%d's refusal", n).contains("in use on node" + winner);
      }
    }
    int w = winner;
    assertThat(call(cluster, w, c -> c.unmount("race", "r" + w)).ok()).isTrue();
  }

  @Test
  void restartedAgentKeepsItsJournaledMountAndLaterUnmountReleasesIt() throws Exception {
    created(1, "journaled");
    mounted(1, "journaled", "A");
    cluster.agent(1).stop(Duration.ofSeconds(15));
    cluster.agent(1).start();
    cluster.awaitReady(Duration.ofSeconds(60));

    PluginClient.Reply held = call(cluster, 2, c -> c.mount("journaled", "B"));
    assertThat(held.ok()).as("node2 Mount while restarted node1 holds it: %s", held.body())
        .isFalse();
    assertThat(held.err()).contains("in use on node1");

    PluginClient.Reply un = call(cluster, 1, c -> c.unmount("journaled", "A"));
    assertThat(un.ok()).as("Unmount of the journaled id: %s", un.body()).isTrue();
    String dataset = Faults.datasetOf(cluster, "journaled");
    // the Unmount is answered from node1's table; the lease is given back right after it
    Faults.until(Duration.ofSeconds(20), "the lease released after the last Unmount",
        () -> !Faults.leases(cluster).containsKey(dataset));
    mounted(2, "journaled", "B");
    assertThat(call(cluster, 2, c -> c.unmount("journaled", "B")).ok()).isTrue();
  }
}
