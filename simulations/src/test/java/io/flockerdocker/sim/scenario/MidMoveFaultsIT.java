package io.flockerdocker.sim.scenario;

import static io.flockerdocker.sim.scenario.Faults.async;
import static io.flockerdocker.sim.scenario.Faults.call;
import static io.flockerdocker.sim.scenario.Faults.until;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Failures in the middle of a move (made slow by the control service): the mounting agent is
 * killed, or the control service goes away. Afterwards no lease is left behind for nobody, the
 * data is where a Mount says it is, and Mount works again. Three agents, so the survivors of a
 * kill keep a majority.
 */
class MidMoveFaultsIT extends ClusterIT {
  MidMoveFaultsIT() {
    super(3, "");
  }

  @AfterEach
  void fastMoves() throws Exception {
    cluster.startControl();
    cluster.setMoveDelay(Duration.ZERO);
  }

  /** A volume with a file in it, on node1, not mounted anywhere. */
  String volumeWithData(String volume) throws Exception {
    assertThat(call(cluster, 1, c -> c.create(volume, Map.of())).ok()).isTrue();
    PluginClient.Reply m = call(cluster, 1, c -> c.mount(volume, "w"));
    assertThat(m.ok()).as("Mount: %s", m.body()).isTrue();
    Files.writeString(Path.of(m.mountpoint()).resolve("data.txt"), "before the move");
    assertThat(call(cluster, 1, c -> c.unmount(volume, "w")).ok()).isTrue();
    return Faults.datasetOf(cluster, volume);
  }

  /** Starts node2's Mount and returns once the control service has been asked to move it. */
  CompletableFuture<PluginClient.Reply> moveStarted(String volume) throws Exception {
    cluster.setMoveDelay(Duration.ofSeconds(3));
    CompletableFuture<PluginClient.Reply> mount = async(cluster, 2, c -> c.mount(volume, "m2"));
    String node2 = cluster.agent(2).layout().uuid();
    until(Duration.ofSeconds(20), "the move of " + volume + " to node2 is requested",
        () -> node2.equals(Faults.primaryOf(cluster, volume)));
    return mount;
  }

  void noLeaseLeft(String dataset) throws Exception {
    until(Duration.ofSeconds(40), "no lease left on dataset " + dataset,
        () -> !Faults.leases(cluster).containsKey(dataset));
  }

  void mountsWithData(int node, String volume) throws Exception {
    PluginClient.Reply m = call(cluster, node, c -> c.mount(volume, "after"));
    assertThat(m.ok()).as("node%d Mount after the fault: %s", node, m.body()).isTrue();
    assertThat(Files.readString(Path.of(m.mountpoint()).resolve("data.txt")))
        .isEqualTo("before the move");
    assertThat(call(cluster, node, c -> c.unmount(volume, "after")).ok()).isTrue();
  }

  @Test
  void mountingAgentKilledMidMoveLeaksNoLease() throws Exception {
    String dataset = volumeWithData("midkill");
    CompletableFuture<PluginClient.Reply> mount = moveStarted("midkill");
    cluster.agent(2).kill();
    mount.handle((r, e) -> null).get(30, java.util.concurrent.TimeUnit.SECONDS);
    cluster.agent(2).start();
    cluster.awaitReady(Duration.ofSeconds(60));
    cluster.setMoveDelay(Duration.ZERO);
    noLeaseLeft(dataset);
    mountsWithData(1, "midkill");
    mountsWithData(2, "midkill");
  }

  @Test
  void controlServiceOutageMidMoveNeverClaimsAMountThatIsNotThere() throws Exception {
    String dataset = volumeWithData("outage");
    CompletableFuture<PluginClient.Reply> mount = moveStarted("outage");
    cluster.stopControl();
    Thread.sleep(4000); // an outage that outlasts the agents' request timeout and a poll or two
    cluster.startControl();
    PluginClient.Reply r = Faults.await(mount, Duration.ofSeconds(110), "node2 Mount(outage)");
    if (r.ok()) {
      assertThat(Path.of(r.mountpoint()).resolve("data.txt")).as("a Mount that succeeded")
          .hasContent("before the move");
      assertThat(call(cluster, 2, c -> c.unmount("outage", "m2")).ok()).isTrue();
    } else {
      assertThat(r.err()).as("a Mount that failed").contains("control service");
    }
    noLeaseLeft(dataset);
    mountsWithData(1, "outage");
  }
}
