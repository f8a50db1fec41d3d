package io.flockerdocker.sim.scenario;

import static io.flockerdocker.sim.scenario.Faults.call;
import static io.flockerdocker.sim.scenario.Faults.until;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Lease TTL (6 s here): the holder renews while alive; after it dies, its lease expires and
 * another node may mount without an operator. The resolver downs the dead node after 5 s, so
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

}
