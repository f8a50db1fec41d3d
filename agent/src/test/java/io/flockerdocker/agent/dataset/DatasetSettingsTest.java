package io.flockerdocker.agent.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.flockerdocker.agent.AgentConfig;
import io.flockerdocker.agent.config.AgentSettings;
import io.flockerdocker.agent.config.DatasetSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dataset section's defaults and its one-line refusals. */
class DatasetSettingsTest {
  static Config with(Map<String, Object> changes) {
    Map<String, Object> m = new HashMap<>(Map.of(
        "flocker-docker.node.name", "node1",
        "flocker-docker.node.uuid", "5e7c1d3a-0b9e-4c1e-9a53-1f1a0c7e2b10",
        "flocker-docker.flocker.url", "http://127.0.0.1:4523",
        "flocker-docker.flocker.allow-plaintext", true));
    m.putAll(changes);
    return AgentConfig.load(ConfigFactory.parseMap(m));
  }

  static String problem(Map<String, Object> changes) {
    Throwable t = catchThrowable(() -> AgentSettings.create(with(changes)));
    assertThat(t).isInstanceOf(AgentSettings.SettingsException.class);
    assertThat(t.getMessage()).doesNotContain("\n");
    return t.getMessage();
  }

  @Test
  void defaults() {
    DatasetSettings d = AgentSettings.create(with(Map.of())).dataset();
    assertThat(d.backend()).isEqualTo(DatasetSettings.Backend.DIRECTORY);
    assertThat(d.root()).isEqualTo(Path.of("/var/lib/flocker-docker/datasets"));
    assertThat(d.advertiseHost()).isEqualTo("127.0.0.1");
    assertThat(d.bindHost()).isEqualTo("127.0.0.1");
    assertThat(d.port()).isEqualTo(4524);
    assertThat(d.tls()).isTrue();
    assertThat(d.nodeCert()).isEqualTo(Path.of("/etc/flocker/node.crt"));
    assertThat(d.nodeKey()).isEqualTo(Path.of("/etc/flocker/node.key"));
    assertThat(d.clusterCert()).isEqualTo(Path.of("/etc/flocker/cluster.crt"));
    assertThat(d.replicaBudgetBytes()).isEqualTo(10L << 30);
    assertThat(d.convergeInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(d.heartbeat()).isEqualTo(Duration.ofSeconds(2));
    assertThat(d.moveDelay()).isZero();
  }

  @Test
  void advertiseHostFallsBackToTheCanonicalHostname() {
    DatasetSettings d = AgentSettings.create(with(Map.of(
        "pekko.remote.artery.canonical.hostname", "10.0.0.5",
        "flocker-docker.dataset.bind-host", "0.0.0.0"))).dataset();
    assertThat(d.advertiseHost()).isEqualTo("10.0.0.5");
    assertThat(d.bindHost()).isEqualTo("0.0.0.0");
  }

  @Test
  void refusals() {
    assertThat(problem(Map.of("flocker-docker.dataset.backend", "zfs")))
        .isEqualTo("invalid configuration: flocker-docker.dataset.backend: "
            + "must be directory or shared, got 'zfs'");
    assertThat(problem(Map.of("flocker-docker.dataset.tls", "off",
            "flocker-docker.dataset.advertise-host", "10.0.0.5")))
        .startsWith("invalid configuration: flocker-docker.dataset.tls: may be off only");
    assertThat(problem(Map.of("flocker-docker.dataset.converge-interval", "0 s")))
        .startsWith("invalid configuration: flocker-docker.dataset.converge-interval: ");
    assertThat(problem(Map.of("flocker-docker.dataset.heartbeat", "never")))
        .startsWith("invalid configuration: flocker-docker.dataset.heartbeat: ");
    assertThat(problem(Map.of("flocker-docker.dataset.replica-budget", "-1")))
        .startsWith("invalid configuration: flocker-docker.dataset.replica-budget: ");
    assertThat(problem(Map.of("flocker-docker.dataset.root", "relative/dir")))
        .startsWith("invalid configuration: flocker-docker.dataset.root: ");
  }

  @Test
  void tlsOffOnLoopbackIsAccepted() {
    assertThat(AgentSettings.create(with(Map.of("flocker-docker.dataset.tls", "off")))
        .dataset().tls()).isFalse();
  }
}
