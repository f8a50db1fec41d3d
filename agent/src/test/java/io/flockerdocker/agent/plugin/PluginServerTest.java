package io.flockerdocker.agent.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.flockerdocker.agent.config.AgentSettings;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.settings.ServerSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** PluginServer.start: the socket plus the optional TCP listener, and the settings they share. */
@ExtendWith(LogCapturingExtension.class)
class PluginServerTest {
  static final ActorTestKit testKit =
      ActorTestKit.create("PluginServerTest", PluginFixture.config());

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void servesTheSameRouteOnTheSocketAndOnTcp() throws Exception {
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "fd");
    AgentSettings settings = AgentSettings.create(ConfigFactory.parseString(
            "flocker-docker.plugin { socket = \"" + dir.resolve("flocker.sock")
                + "\", tcp = \"127.0.0.1:0\" }")
        .withFallback(testKit.system().settings().config()));
    PluginFixture fx = new PluginFixture(testKit);
    fx.view.put("demo", "7a1f", "");
    PluginServer server = PluginServer.start(testKit.system(), settings, fx.routes.route())
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    try {
      try (RawClient c = RawClient.connect(settings.socketPath())) {
        assertThat(c.call("VolumeDriver.Get", "{\"Name\":\"demo\"}").body()).contains("7a1f");
      }
      ServerBinding tcp = server.tcp().orElseThrow();
      try (Socket s = new Socket("127.0.0.1", tcp.localAddress().getPort())) {
        s.setSoTimeout(10_000);
        String body = "{\"Name\":\"demo\"}\n";
        OutputStream out = s.getOutputStream();
        out.write(("POST /VolumeDriver.Get HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body)
            .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        assertThat(response).startsWith("HTTP/1.1 200").contains("\"Name\":\"demo\"");
      }
    } finally {
      server.unixSocket().close();
      server.tcp().ifPresent(b -> b.unbind());
      Files.deleteIfExists(dir);
    }
    assertThat(settings.socketPath()).doesNotExist();
  }

  @Test
  void settingsOutlastAMountAndKeepIdleConnections() {
    PluginFixture fx = new PluginFixture(testKit);
    ServerSettings s = PluginServer.serverSettings(testKit.system(), fx.settings);
    assertThat(s.getDefaultHostHeader().host().address()).isEqualTo("docker-plugin");
    assertThat(s.getTimeouts().requestTimeout().toMillis())
        .isGreaterThan(fx.settings.mountTimeout().plus(EntityAsks.ASK_SLACK).toMillis());
    assertThat(s.getTimeouts().idleTimeout().toMillis())
        .isEqualTo(fx.settings.idleTimeout().toMillis());
  }
}
