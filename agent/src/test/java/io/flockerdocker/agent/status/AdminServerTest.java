package io.flockerdocker.agent.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.flockerdocker.agent.AdminClient;
import io.flockerdocker.agent.AgentConfig;
import io.flockerdocker.agent.config.AgentSettings;
import io.flockerdocker.agent.plugin.UnixSocketServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AdminServer: the group mode (0660 in 0750), the peer header a client cannot forge, bad groups. */
class AdminServerTest {
  static final ActorTestKit testKit = ActorTestKit.create("AdminServerTest");
  @TempDir Path dir;

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  /** Answers with the peer header the server set, so a test sees what a route would. */
  static final Route ECHO_PEER = Directives.headerValueByName(UnixSocketServer.PEER_HEADER,
      Directives::complete);

  @Test
  void withAGroupTheSocketIs0660InA0750DirectoryAndThePeerIsTheKernels() throws Exception {
    Path socket = dir.resolve("adm/a.sock");
    UnixSocketServer server = AdminServer.start(testKit.system(), settings(),
        new AdminServer.Settings(Optional.of(socket), Optional.of("root")), ECHO_PEER)
        .orElseThrow();
    try {
      PosixFileAttributes s = Files.readAttributes(socket, PosixFileAttributes.class);
      assertThat(PosixFilePermissions.toString(s.permissions())).isEqualTo("rw-rw----");
      assertThat(s.group().getName()).isEqualTo("root");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())))
          .isEqualTo("rwxr-x---");
      assertThat(AdminClient.post(socket, "/").body()).isEqualTo("user=root group=root");
      // a client's own X-Flocker-Docker-Peer never reaches the route
      assertThat(UdsHttp.post(socket, "/", "", UnixSocketServer.PEER_HEADER + ": user=mallory"))
          .isEqualTo("user=root group=root");
    } finally {
      server.close();
    }
  }

  @Test
  void anUnknownGroupIsASettingsErrorNamingTheKey() {
    assertThatThrownBy(() -> AdminServer.start(testKit.system(), settings(),
        new AdminServer.Settings(Optional.of(dir.resolve("a.sock")),
            Optional.of("no-such-group-" + UUID.randomUUID().toString().substring(0, 8))),
        ECHO_PEER))
        .isInstanceOf(AgentSettings.SettingsException.class)
        .hasMessageContaining("flocker-docker.status.admin-group: no such group");
  }

  @Test
  void anEmptySocketPathTurnsTheAdminSocketOffAndARelativeOneIsRefused() throws Exception {
    assertThat(AdminServer.Settings.create(ConfigFactory.parseString(
            "flocker-docker.status { admin-socket = \"\", admin-group = \"\" }")).socket())
        .isEmpty();
    assertThatThrownBy(() -> AdminServer.Settings.create(ConfigFactory.parseString(
            "flocker-docker.status { admin-socket = \"admin.sock\", admin-group = \"\" }")))
        .hasMessageContaining("flocker-docker.status.admin-socket: must be an absolute path");
  }

  private AgentSettings settings() {
    return AgentSettings.create(AgentConfig.load(ConfigFactory.parseMap(Map.of(
        "flocker-docker.node.name", "node1",
        "flocker-docker.node.uuid", UUID.randomUUID().toString(),
        "flocker-docker.plugin.socket", dir.resolve("p.sock").toString(),
        "flocker-docker.flocker.url", "http://127.0.0.1:9",
        "flocker-docker.flocker.allow-plaintext", "on",
        "flocker-docker.state-dir", dir.resolve("state").toString()))));
  }
}
