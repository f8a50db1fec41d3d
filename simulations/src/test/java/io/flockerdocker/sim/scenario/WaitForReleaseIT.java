package io.flockerdocker.sim.scenario;

import static io.flockerdocker.sim.scenario.Faults.async;
import static io.flockerdocker.sim.scenario.Faults.call;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * With {@code flocker-docker.volume.wait-for-release = on}, a Mount of a volume another node
 * holds waits (within Docker's budget) and succeeds once that node unmounts.
 */
class WaitForReleaseIT extends ClusterIT {
  WaitForReleaseIT() {
    super(2, "flocker-docker.volume.wait-for-release = on\n");
  }

  @Test
  void secondMountWaitsForTheFirstNodesUnmount() throws Exception {
    assertThat(call(cluster, 1, c -> c.create("shared", Map.of())).ok()).isTrue();
    PluginClient.Reply first = call(cluster, 1, c -> c.mount("shared", "a"));
    assertThat(first.ok()).as("node1 Mount: %s", first.body()).isTrue();
    Files.writeString(Path.of(first.mountpoint()).resolve("data.txt"), "from node1");

    CompletableFuture<PluginClient.Reply> second = async(cluster, 2, c -> c.mount("shared", "b"));
    Thread.sleep(3000); // let node2's Mount reach the entity and find node1 holding the volume
    assertThat(second).as("node2's Mount waits while node1 holds the volume").isNotDone();

    assertThat(call(cluster, 1, c -> c.unmount("shared", "a")).ok()).isTrue();
    PluginClient.Reply r = Faults.await(second, Duration.ofSeconds(100), "node2's waiting Mount");
    assertThat(r.ok()).as("node2 Mount after node1's Unmount: %s", r.body()).isTrue();
    assertThat(Path.of(r.mountpoint()).resolve("data.txt")).hasContent("from node1");
    assertThat(call(cluster, 2, c -> c.unmount("shared", "b")).ok()).isTrue();
  }
}
