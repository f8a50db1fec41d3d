package io.flockerdocker.agent.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flockerdocker.agent.volume.VolumeCommands;
import io.flockerdocker.agent.volume.VolumeOptions;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The plugin API over a real unix socket, fed the exact bytes dockerd writes. */
@ExtendWith(LogCapturingExtension.class)
class UnixSocketServerTest {
  static final ActorTestKit testKit =
      ActorTestKit.create("UnixSocketServerTest", PluginFixture.config());
  static final String JSON = "application/vnd.docker.plugins.v1.2+json";
  static final String ID = "bcb0e9c5".repeat(8);

  Path dir;
  Path socket;
  PluginFixture fx;
  UnixSocketServer server;

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void setUp() throws IOException {
    // /tmp, not a deep @TempDir: sun_path holds 107 bytes
    dir = Files.createTempDirectory(Path.of("/tmp"), "fd");
    socket = dir.resolve("plugins/flocker.sock");
    fx = new PluginFixture(testKit);
    server = bind(socket, fx.settings.maxConnections());
  }

  @AfterEach
  void tearDown() throws IOException {
    server.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private UnixSocketServer bind(Path path, int maxConnections) throws IOException {
    return UnixSocketServer.bind(testKit.system(), path, fx.routes.route().flow(testKit.system()),
        PluginServer.serverSettings(testKit.system(), fx.settings), maxConnections);
  }

  @Test
  void answersDockerdsCallsOnOneKeepAliveConnection() throws Exception {
    fx.view.put("demo", "7a1f", "/flocker/7a1f");
    try (RawClient c = RawClient.connect(socket)) {
      RawClient.Response activate = c.call("Plugin.Activate", "");
      assertThat(activate.status()).isEqualTo(200);
      assertThat(activate.headers().get("content-type")).isEqualTo(JSON);
      assertThat(activate.body()).isEqualTo("{\"Implements\":[\"VolumeDriver\"]}");
      assertThat(c.call("VolumeDriver.Capabilities", "{}").body()).contains("\"global\"");
      assertThat(c.call("VolumeDriver.Get", "{\"Name\":\"demo\"}").body())
          .contains("\"Mountpoint\":\"/flocker/7a1f\"");
      assertThat(c.call("VolumeDriver.List", "{}").body()).contains("\"Name\":\"demo\"");
      assertThat(c.call("VolumeDriver.Path", "{\"Name\":\"demo\"}").body())
          .isEqualTo("{\"Mountpoint\":\"/flocker/7a1f\",\"Err\":\"\"}");
      RawClient.Response missing = c.call("VolumeDriver.Get", "{\"Name\":\"gone\"}");
      assertThat(missing.status()).isEqualTo(200);
      assertThat(missing.body()).isEqualTo("{\"Err\":\"no such volume: gone\"}");
    }
  }

  @Test
  void createAndMountAskTheEntityWhileTheConnectionWaits() throws Exception {
    try (RawClient c = RawClient.connect(socket)) {
      for (String opts : List.of("null", "{}")) {
        c.write(RawClient.dockerd("VolumeDriver.Create", "{\"Name\":\"demo\",\"Opts\":" + opts + "}"));
        VolumeCommands.Create create = fx.entity.expectMessageClass(VolumeCommands.Create.class);
        assertThat(create.options()).isEqualTo(VolumeOptions.none());
        create.replyTo().tell(new VolumeCommands.Created(
            new DatasetConfiguration("7a1f", null, false, Map.of("name", "demo"), null)));
        assertThat(c.read().body()).isEqualTo("{\"Err\":\"\"}");
      }
      c.write(RawClient.dockerd("VolumeDriver.Mount", "{\"Name\":\"demo\",\"ID\":\"" + ID + "\"}"));
      VolumeCommands.Mount mount = fx.entity.expectMessageClass(VolumeCommands.Mount.class);
      assertThat(mount.mountId()).isEqualTo(ID);
      assertThat(mount.node()).isEqualTo(fx.self);
      mount.replyTo().tell(PluginFixture.granted());
      fx.recordGrant();
      assertThat(c.read().body()).isEqualTo("{\"Mountpoint\":\"/flocker/7a1f\",\"Err\":\"\"}");
      assertThat(c.call("VolumeDriver.Get", "{\"Name\":\"demo\"}").body()).contains("\"demo\"");
    }
    assertThat(fx.askedFor).containsExactly("demo", "demo", "demo");
  }

  @Test
  void badInputGetsAnErrAndTheConnectionKeepsServing() throws Exception {
    String[][] cases = {
      {"VolumeDriver.Create", "{\"Name\":"},
      {"VolumeDriver.Create", ""},
      {"VolumeDriver.Create", "{\"Opts\":{}}"},
      {"VolumeDriver.Create", "{\"Name\":\"a/b\",\"Opts\":null}"},
      {"VolumeDriver.Mount", "{\"Name\":\"..\",\"ID\":\"" + ID + "\"}"},
      {"VolumeDriver.Mount", "{\"Name\":[\"demo\"],\"ID\":\"" + ID + "\"}"},
      {"VolumeDriver.Unmount", "{\"Name\":\"demo\",\"ID\":7}"},
      {"VolumeDriver.Remove", "[]"},
      {"VolumeDriver.Create", "{\"Name\":\"demo\",\"Opts\":{\"size\":10}}"},
      {"VolumeDriver.Create", "{\"Name\":\"demo\",\"Opts\":{\"size\":\"huge\"}}"},
    };
    try (RawClient c = RawClient.connect(socket)) {
      for (String[] bad : cases) {
        RawClient.Response r = c.call(bad[0], bad[1]);
        assertThat(r.status()).as(bad[1]).isEqualTo(200);
        assertThat(r.body()).as(bad[1]).startsWith("{\"Err\":\"").doesNotContain("\"Err\":\"\"");
      }
      assertThat(c.call("Plugin.Activate", "").status()).isEqualTo(200);
    }
    fx.entity.expectNoMessage();
    assertThat(fx.askedFor).isEmpty();
    assertThat(fx.view.learned).hasValue(0);
  }

  @Test
  void aMegabyteNameIsRefusedAndHurtsNobody() throws Exception {
    String huge = "{\"Name\":\"" + "x".repeat(1 << 20) + "\"}";
    try (RawClient c = RawClient.connect(socket)) {
      // the server answers before reading the body, so write it from another thread: the write
      // may end in a broken pipe once the server drops the connection, which is fine
      Thread writer = new Thread(() -> {
        try {
          c.write(RawClient.dockerd("VolumeDriver.Create", huge));
        } catch (IOException expected) {
          // connection closed under the write
        }
      });
      writer.start();
      assertThat(c.read().body()).isEqualTo("{\"Err\":\"request too large\"}");
      c.close();
      writer.join();
    }
    try (RawClient c = RawClient.connect(socket)) {
      assertThat(c.call("VolumeDriver.Get", "{\"Name\":\"demo\"}").status()).isEqualTo(200);
    }
    fx.entity.expectNoMessage();
  }

  @Test
  void unknownEndpointsAndMethodsGetAJsonErr() throws Exception {
    try (RawClient c = RawClient.connect(socket)) {
      RawClient.Response unknown = c.call("VolumeDriver.Snapshot", "{\"Name\":\"demo\"}");
      assertThat(unknown.status()).isEqualTo(404);
      assertThat(unknown.headers().get("content-type")).isEqualTo(JSON);
      assertThat(unknown.body())
          .isEqualTo("{\"Err\":\"unknown endpoint POST /VolumeDriver.Snapshot\"}");
      c.write("GET /VolumeDriver.List HTTP/1.1\r\nHost: \r\n\r\n".getBytes());
      RawClient.Response get = c.read();
      assertThat(get.status()).isEqualTo(405);
      assertThat(get.body()).contains("use POST");
      assertThat(c.call("VolumeDriver.List", "{}").status()).isEqualTo(200);
    }
  }

  @Test
  void aClientThatHalfClosesStillGetsItsAnswer() throws Exception {
    try (RawClient c = RawClient.connect(socket)) {
      c.write(RawClient.dockerd("Plugin.Activate", ""));
      c.ch.shutdownOutput();
      assertThat(c.read().body()).contains("VolumeDriver");
    }
  }

  @Test
  void theSocketIsGroupReadableAndWritableOnly() throws IOException {
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)))
        .isEqualTo("rw-rw----");
  }

  @Test
  void aListeningSocketTakesConnectionsAndAnswersThemOnceServed() throws Exception {
    Path early = dir.resolve("early/flocker.sock");
    UnixSocketServer.Listening listening = UnixSocketServer.listen(early, SocketAccess.PLUGIN);
    try (RawClient c = RawClient.connect(early)) {
      // connected (what dockerd checks of a managed plugin), but nobody accepts yet: no answer
      CompletableFuture<RawClient.Response> activate =
          CompletableFuture.supplyAsync(() -> call(c, "Plugin.Activate"));
      assertThat(activate).isNotDone();
      try (UnixSocketServer served = UnixSocketServer.serve(testKit.system(), listening,
          fx.routes.route().flow(testKit.system()), SocketAccess.PLUGIN,
          PluginServer.serverSettings(testKit.system(), fx.settings), 4)) {
        assertThat(activate.get(30, TimeUnit.SECONDS).body())
            .isEqualTo("{\"Implements\":[\"VolumeDriver\"]}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(early)))
            .isEqualTo("rw-rw----");
      }
    }
  }

  private static RawClient.Response call(RawClient c, String endpoint) {
    try {
      return c.call(endpoint, "");
    } catch (Exception e) {
      throw new IllegalStateException(endpoint + " failed", e);
    }
  }

  @Test
  void aStaleSocketFileIsReplaced() throws Exception {
    Path stale = dir.resolve("stale.sock");
    try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      dead.bind(UnixDomainSocketAddress.of(stale));
    } // closed without unlinking, as a killed process leaves it
    assertThat(stale).exists();
    try (UnixSocketServer replaced = bind(stale, 4); RawClient c = RawClient.connect(stale)) {
      assertThat(c.call("Plugin.Activate", "").status()).isEqualTo(200);
    }
  }

  @Test
  void aLiveSocketIsNotStolen() throws Exception {
    assertThatThrownBy(() -> bind(socket, 4))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("another process serves " + socket);
    try (RawClient c = RawClient.connect(socket)) {
      assertThat(c.call("Plugin.Activate", "").status()).isEqualTo(200);
    }
  }

  @Test
  void aPathBeyondSunPathIsRefusedClearly() {
    Path longPath = dir.resolve("d".repeat(120) + ".sock");
    assertThatThrownBy(() -> bind(longPath, 4))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("at most 107");
  }

  @Test
  void closeRemovesTheSocketFile() throws Exception {
    RawClient idle = RawClient.connect(socket);
    server.close();
    assertThat(socket).doesNotExist();
    assertThat(idle.closedByServer()).isTrue();
    idle.close();
    assertThatThrownBy(() -> RawClient.connect(socket)).isInstanceOf(IOException.class);
  }

  @Test
  void hundredIdleConnectionsDoNotStopANewOneBeingAnswered() throws Exception {
    List<RawClient> idle = new ArrayList<>();
    try {
      for (int i = 0; i < 100; i++) {
        idle.add(RawClient.connect(socket));
      }
      try (RawClient c = RawClient.connect(socket)) {
        assertThat(c.call("VolumeDriver.List", "{}").status()).isEqualTo(200);
      }
      for (RawClient c : idle) {
        assertThat(c.call("Plugin.Activate", "").status()).isEqualTo(200);
      }
    } finally {
      for (RawClient c : idle) {
        c.close();
      }
    }
  }

  @Test
  void connectionsOverTheCapAreClosed() throws Exception {
    Path capped = dir.resolve("capped.sock");
    try (UnixSocketServer small = bind(capped, 2);
        RawClient a = RawClient.connect(capped);
        RawClient b = RawClient.connect(capped)) {
      // answered requests prove both connections were accepted and counted
      assertThat(a.call("Plugin.Activate", "").status()).isEqualTo(200);
      assertThat(b.call("Plugin.Activate", "").status()).isEqualTo(200);
      try (RawClient third = RawClient.connect(capped)) {
        assertThat(third.closedByServer()).isTrue();
      }
      assertThat(a.call("VolumeDriver.List", "{}").status()).isEqualTo(200);
    }
  }

}
