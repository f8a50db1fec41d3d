package io.flockerdocker.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.flockerdocker.agent.config.AgentSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13: settings that would expose the cluster stop the agent with one line. */
class SecuritySettingsTest {
  static final String UUID = "5e7c1d3a-0b9e-4c1e-9a53-1f1a0c7e2b10";
  @TempDir Path dir;

  AgentSettings validate(Map<String, Object> changes) {
    Map<String, Object> m = new HashMap<>(Map.of(
        "flocker-docker.node.name", "node1",
        "flocker-docker.node.uuid", UUID,
        "flocker-docker.flocker.url", "http://127.0.0.1:4523",
        "flocker-docker.flocker.allow-plaintext", true));
    m.putAll(changes);
    return AgentMain.validate(AgentConfig.load(ConfigFactory.parseMap(m)));
  }

  String problem(Map<String, Object> changes) {
    Throwable t = Assertions.catchThrowable(() -> validate(changes));
    assertThat(t).isInstanceOf(AgentSettings.SettingsException.class);
    assertThat(t.getMessage()).doesNotContain("\n");
    return t.getMessage();
  }

  @Test
  void plainHttpIsRefusedUnlessAllowed() {
    assertThat(problem(Map.of("flocker-docker.flocker.allow-plaintext", false)))
        .isEqualTo("invalid configuration: flocker-docker.flocker.url: http://127.0.0.1:4523 is "
            + "plaintext; use https://, or set flocker-docker.flocker.allow-plaintext = on "
            + "(loopback test setups only)");
    assertThat(validate(Map.of()).flockerUrl()).hasToString("http://127.0.0.1:4523");
  }

  @Test
  void theTcpListenerIsLoopbackOnly() {
    assertThat(problem(Map.of("flocker-docker.plugin.tcp", "0.0.0.0:9123")))
        .isEqualTo("invalid configuration: flocker-docker.plugin.tcp: must be a loopback "
            + "address (127.0.0.1, ::1, localhost): anyone who reaches it can mount any volume; "
            + "got 0.0.0.0");
    assertThat(problem(Map.of("flocker-docker.plugin.tcp", "10.0.0.5:9123")))
        .contains("got 10.0.0.5");
    assertThat(validate(Map.of("flocker-docker.plugin.tcp", "127.0.0.1:9123")).tcpListener())
        .contains(new AgentSettings.HostPort("127.0.0.1", 9123));
  }

  @Test
  void aControlServiceKeyReadableByOthersIsRefused() throws Exception {
    Path key = key("plugin.key", "rw-r--r--");
    assertThat(problem(Map.of("flocker-docker.flocker.url", "https://127.0.0.1:4523",
        "flocker-docker.flocker.tls.dir", dir.toString())))
        .isEqualTo("invalid configuration: flocker-docker.flocker.tls.client-key: " + key
            + " is readable by group or others (rw-r--r--); run: chmod 600 " + key);
  }

  @Test
  void aDataChannelKeyReadableByTheGroupIsRefused() throws Exception {
    Path key = key("node.key", "rw-r-----");
    assertThat(problem(Map.of("flocker-docker.flocker.tls.dir", dir.toString(),
        "flocker-docker.dataset.tls", true)))
        .isEqualTo("invalid configuration: flocker-docker.dataset.node-key: " + key
            + " is readable by group or others (rw-r-----); run: chmod 600 " + key);
  }

  @Test
  void aKeyOnlyItsOwnerReadsPassesThisCheck() throws Exception {
    key("node.key", "rw-------");
    assertThat(validate(Map.of("flocker-docker.flocker.tls.dir", dir.toString()))
        .dataset().tls()).isTrue();
  }

  private Path key(String name, String mode) throws Exception {
    Path key = dir.resolve(name);
    Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString(mode));
    return key;
  }
}
