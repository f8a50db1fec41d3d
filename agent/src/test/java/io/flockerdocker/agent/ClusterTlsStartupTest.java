package io.flockerdocker.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.flockerdocker.agent.cluster.ClusterTlsSettings;
import io.flockerdocker.agent.cluster.NodeCertSslEngineProvider;
import io.flockerdocker.agent.config.AgentSettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster TLS switch: what it maps to in Artery and when the agent refuses to start. */
class ClusterTlsStartupTest {
  static final String UUID = "5e7c1d3a-0b9e-4c1e-9a53-1f1a0c7e2b10";
  @TempDir Path dir;

  static Config with(Map<String, Object> changes) {
    Map<String, Object> m = new HashMap<>(Map.of(
        "flocker-docker.node.name", "node1",
        "flocker-docker.node.uuid", UUID,
        "flocker-docker.flocker.url", "http://127.0.0.1:4523",
        "flocker-docker.flocker.allow-plaintext", "on"));
    m.putAll(changes);
    return AgentConfig.load(ConfigFactory.parseMap(m));
  }

  static String refusal(Map<String, Object> changes) {
    Throwable t = catchThrowable(() -> AgentMain.validate(with(changes)));
    assertThat(t).isInstanceOf(AgentSettings.SettingsException.class);
    assertThat(t.getMessage()).doesNotContain("\n");
    return t.getMessage();
  }

  @Test
  void tlsIsOnByDefaultAndSelectsTheNodeCertificateProvider() {
    Config c = with(Map.of());
    assertThat(c.getString("pekko.remote.artery.transport")).isEqualTo("tls-tcp");
    assertThat(c.getString("pekko.remote.artery.ssl.ssl-engine-provider"))
        .isEqualTo(NodeCertSslEngineProvider.class.getName());
    ClusterTlsSettings s = ClusterTlsSettings.create(c);
    assertThat(s.tls()).isTrue();
    assertThat(s.nodeCert()).isEqualTo(Path.of("/etc/flocker/node.crt"));
    assertThat(s.allowedNodes()).isEmpty();
  }

  @Test
  void offIsPlainTcpAndAcceptedOnLoopback() {
    Config c = with(Map.of("flocker-docker.cluster.tls", "off"));
    assertThat(c.getString("pekko.remote.artery.transport")).isEqualTo("tcp");
    assertThat(AgentMain.validate(c).nodeUuid()).isEqualTo(UUID);
  }

  @Test
  void offOnANetworkAddressIsRefusedWithOneLineSayingHowToFixIt() {
    assertThat(refusal(Map.of("flocker-docker.cluster.tls", "off",
        "pekko.remote.artery.canonical.hostname", "10.0.0.5")))
        .isEqualTo("invalid configuration: flocker-docker.cluster.tls: cluster port 25520 on"
            + " 10.0.0.5 is reachable from the network but cluster TLS is off: set"
            + " flocker-docker.cluster.tls = on with node.crt/node.key (flocker-docker ca node)"
            + " or bind to 127.0.0.1");
    // loopback advertised but bound to every interface is just as reachable
    assertThat(refusal(Map.of("flocker-docker.cluster.tls", "off",
        "pekko.remote.artery.bind.hostname", "0.0.0.0")))
        .contains("cluster port 25520 on 0.0.0.0 is reachable from the network");
  }

  @Test
  void allowedNodesMustBeUuids() {
    assertThat(refusal(Map.of("flocker-docker.cluster.allowed-nodes", java.util.List.of("node-1"))))
        .isEqualTo("invalid configuration: flocker-docker.cluster.allowed-nodes:"
            + " not a node UUID: 'node-1'");
    ClusterTlsSettings s = ClusterTlsSettings.create(with(Map.of(
        "flocker-docker.cluster.allowed-nodes", java.util.List.of(UUID.toUpperCase()))));
    assertThat(s.allowedNodes()).containsExactly(UUID);
  }

  @Test
  void missingNodeCertificateIsOneLineNamingTheFile() {
    Throwable t = catchThrowable(() -> ClusterTlsSettings.create(with(Map.of(
        "flocker-docker.flocker.tls.dir", dir.toString()))).checkFiles());
    assertThat(t).isInstanceOf(AgentSettings.SettingsException.class)
        .hasMessageStartingWith("invalid configuration: flocker-docker.cluster.tls: cannot read")
        .hasMessageContaining(dir.resolve("cluster.crt").toString());
  }
}
