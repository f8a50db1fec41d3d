package io.flockerdocker.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.flockerdocker.agent.config.AgentSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad settings stop the agent with ONE line naming the key and the problem. */
class AgentSettingsValidationTest {
  static final String UUID = "5e7c1d3a-0b9e-4c1e-9a53-1f1a0c7e2b10";
  @TempDir Path dir;

  Config with(Map<String, Object> changes) {
    Map<String, Object> m = new HashMap<>(Map.of(
        "flocker-docker.node.name", "node1",
        "flocker-docker.node.uuid", UUID,
        "flocker-docker.flocker.url", "http://127.0.0.1:4523",
        "flocker-docker.flocker.allow-plaintext", true));
    m.putAll(changes);
    return AgentConfig.load(ConfigFactory.parseMap(m));
  }

  String problem(Map<String, Object> changes) {
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(
        () -> AgentMain.validate(with(changes)));
    assertThat(t).isInstanceOf(AgentSettings.SettingsException.class);
    assertThat(t.getMessage()).doesNotContain("\n");
    return t.getMessage();
  }

  @Test
  void validSettingsLoad() {
    AgentSettings s = AgentMain.validate(with(Map.of()));
    assertThat(s.nodeUuid()).isEqualTo(UUID);
    assertThat(s.status().host()).isEqualTo("127.0.0.1");
    assertThat(s.status().port()).isEqualTo(4530);
  }

  @Test
  void listenEarlyIsOffUnlessAManagedPluginTurnsItOn() {
    assertThat(AgentMain.validate(with(Map.of())).listenEarly()).isFalse();
    assertThat(AgentMain.validate(with(Map.of("flocker-docker.plugin.listen-early", "on")))
        .listenEarly()).isTrue();
    assertThat(problem(Map.of("flocker-docker.plugin.listen-early", "soon")))
        .startsWith("invalid configuration: flocker-docker.plugin.listen-early");
  }

  @Test
  void missingNodeUuid() {
    assertThat(problem(Map.of("flocker-docker.node.uuid", "")))
        .isEqualTo("invalid configuration: flocker-docker.node.uuid: must be set");
    assertThat(problem(Map.of("flocker-docker.node.uuid", "node-1")))
        .isEqualTo("invalid configuration: flocker-docker.node.uuid: not a UUID: node-1");
  }

  @Test
  void badDuration() {
    assertThat(problem(Map.of("flocker-docker.flocker.request-timeout", "soon")))
        .startsWith("invalid configuration: flocker-docker.flocker.request-timeout: ")
        .contains("soon");
    assertThat(problem(Map.of("flocker-docker.flocker.poll-interval", "0 s")))
        .isEqualTo("invalid configuration: flocker-docker.flocker.poll-interval: "
            + "must be a positive duration, got PT0S");
  }

  @Test
  void mountTimeoutOver115Seconds() {
    assertThat(problem(Map.of("flocker-docker.volume.mount-timeout", "116 s")))
        .isEqualTo("invalid configuration: flocker-docker.volume.mount-timeout: "
            + "must stay under dockerd's 120 s Mount timeout");
  }

  @Test
  void badFlockerUrl() {
    assertThat(problem(Map.of("flocker-docker.flocker.url", "tcp://control:4523")))
        .isEqualTo("invalid configuration: flocker-docker.flocker.url: "
            + "expected http(s)://HOST:PORT, got tcp://control:4523");
    assertThat(problem(Map.of("flocker-docker.flocker.url", "http://a b")))
        .isEqualTo("invalid configuration: flocker-docker.flocker.url: not a URL: http://a b");
  }

  @Test
  void tcpListenerNotHostPort() {
    assertThat(problem(Map.of("flocker-docker.plugin.tcp", "9123")))
        .isEqualTo("invalid configuration: flocker-docker.plugin.tcp: "
            + "expected HOST:PORT, got 9123");
    assertThat(problem(Map.of("flocker-docker.plugin.tcp", "127.0.0.1:http")))
        .isEqualTo("invalid configuration: flocker-docker.plugin.tcp: "
            + "expected HOST:PORT, got 127.0.0.1:http");
  }

  @Test
  void unreadableCertificateFiles() {
    String line = problem(Map.of("flocker-docker.flocker.url", "https://127.0.0.1:4523",
        "flocker-docker.flocker.tls.dir", dir.toString()));
    assertThat(line).startsWith("invalid configuration: flocker-docker.flocker.tls: ")
        .contains(dir.resolve("cluster.crt").toString());
  }

  @Test
  void garbageCertificateFile() throws Exception {
    Files.writeString(dir.resolve("cluster.crt"), "not a certificate\n");
    String line = problem(Map.of("flocker-docker.flocker.url", "https://127.0.0.1:4523",
        "flocker-docker.flocker.tls.dir", dir.toString()));
    assertThat(line).startsWith("invalid configuration: flocker-docker.flocker.tls: ")
        .contains("cluster.crt");
  }

  @Test
  void emptyUrlReadsTheControlHostFromAgentYml() throws Exception {
    Path yml = dir.resolve("agent.yml");
    Files.writeString(yml, "version: 1\ncontrol-service:\n  hostname: \"10.1.2.3\"\n"
        + "  port: 4524\ndataset:\n  backend: loopback\n");
    AgentSettings s = AgentSettings.create(with(Map.of("flocker-docker.flocker.url", "",
        "flocker-docker.flocker.agent-yml", yml.toString(),
        "flocker-docker.flocker.tls.dir", dir.toString())));
    // the REST port, not agent.yml's AMP port 4524
    assertThat(s.flockerUrl()).hasToString("https://10.1.2.3:4523");
    assertThat(s.flockerTls()).isPresent();
  }

  @Test
  void emptyUrlWithoutAgentYmlNamesBoth() {
    Path missing = dir.resolve("nope.yml");
    assertThat(problem(Map.of("flocker-docker.flocker.url", "",
        "flocker-docker.flocker.agent-yml", missing.toString())))
        .startsWith("invalid configuration: flocker-docker.flocker.url: empty, and " + missing
            + " cannot be read");
  }

  @Test
  void agentYmlWithoutHostname() throws Exception {
    Path yml = dir.resolve("agent.yml");
    Files.writeString(yml, "version: 1\ncontrol-service:\n  port: 4524\n");
    assertThatThrownBy(() -> AgentSettings.create(with(Map.of("flocker-docker.flocker.url", "",
        "flocker-docker.flocker.agent-yml", yml.toString()))))
        .hasMessage("invalid configuration: flocker-docker.flocker.url: empty, and " + yml
            + " has no control-service.hostname");
  }
}
