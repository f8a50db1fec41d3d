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
import org.junit.jupiter.api.Test;

/**
 * Lease TTL (6 s here): the holder renews while alive; after it dies, its lease expires and
 * another node may mount without an operator (its Mount gets the data once the dead host's disk
 * is reachable again: the directory backend keeps a dataset on one host's disk). The resolver downs the dead node after 5 s, so
 * the volume's entity, wherever it lived, is running again before the TTL check.
 */
class LeaseTtlIT extends ClusterIT {
  LeaseTtlIT() {
    super(3, "flocker-docker.leases.ttl = 6s\n");
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
    until(Duration.ofSeconds(45), "node1's lease expired after it died",
        () -> !node1.equals(Faults.leases(cluster).get(dataset)));
    // no operator needed to free the volume; but with the directory backend its data is on
    // node1's own disk, so node2's Mount is refused naming node1 until node1's host is back
    PluginClient.Reply away = call(cluster, 2, c -> c.mount("ttl", "t2"));
    assertThat(refused.ok()).as("node2 Mount while node1's disk is unreachable: %s",
        away.body()).isFalse();
    assertThat(away.err()).contains("has its data on node1, which is unreachable");
    cluster.restartAgent(1);
    cluster.awaitReady(Duration.ofSeconds(60));
    // node1's journal still counts t1: only the end of that container frees the volume (its
    // Unmount, or release --force on a rebooted host), never the restart alone
    assertThat(call(cluster, 1, c -> c.unmount("ttl", "t1")).ok()).isTrue();
    CompletableFuture<PluginClient.Reply> mount = async(cluster, 2, c -> c.mount("ttl", "t2"));
    PluginClient.Reply r = Faults.await(mount, Duration.ofSeconds(110), "node2 Mount(ttl)");
    assertThat(r.ok()).as("node2 Mount(ttl) once node1 is back: %s", r.body()).isTrue();
    assertThat(Path.of(r.mountpoint()).resolve("data.txt")).hasContent("kept");
    assertThat(call(cluster, 2, c -> c.unmount("ttl", "t2")).ok()).isTrue();
  }

}
