package io.flockerdocker.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Read-your-writes on the host that made the change: right after a Mount answered on a node, Get
 * and Path on that same node show the Mountpoint. The volume's entity may live on any node of
 * the cluster (sharding decides), so several volumes are mounted from every node; the pollers
 * are slowed to 60 s so that only the write itself, never a lucky poll, can make the answer right.
 */
class ReadYourWritesTest {

  @ParameterizedTest(name = "{0} nodes")
  @ValueSource(ints = {2, 3})
  void getAndPathOnTheMountingHostShowTheMountpointAtOnce(int nodes) throws Exception {
    try (InJvmAgents cluster = InJvmAgents.start(nodes, Duration.ofSeconds(60),
        "flocker-docker.flocker.poll-interval = 60 s")) {
      for (int n = 1; n <= nodes; n++) {
        try (PluginClient host = new PluginClient(cluster.agent(n).socket())) {
          for (int v = 0; v < 4; v++) {
            String name = "ryw-" + nodes + "-" + n + "-" + v;
            String id = String.valueOf((char) ('a' + v)).repeat(64);
            PluginClient.Reply created = host.create(name, Map.of());
            assertThat(created.ok()).as("create %s: %s", name, created.body()).isTrue();
            PluginClient.Reply mounted = host.mount(name, id);
            assertThat(mounted.ok()).as("mount %s: %s", name, mounted.body()).isTrue();
            String mountpoint = mounted.mountpoint();
            assertThat(mountpoint).startsWith(cluster.agent(n).mounts().toString());

            assertThat(host.get(name).body().path("Volume").path("Mountpoint").asText())
                .as("Get of %s on node%d right after its Mount there", name, n)
                .isEqualTo(mountpoint);
            assertThat(host.path(name).mountpoint())
                .as("Path of %s on node%d right after its Mount there", name, n)
                .isEqualTo(mountpoint);
            PluginClient.Reply unmounted = host.unmount(name, id);
            assertThat(unmounted.ok()).as("unmount %s: %s", name, unmounted.body()).isTrue();
          }
        }
      }
    }
  }
}
