package io.flockerdocker.agent.status;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.flockerdocker.agent.AgentConfig;
import io.flockerdocker.agent.AgentDeps;
import io.flockerdocker.agent.AgentServers;
import io.flockerdocker.agent.config.AgentSettings;
import io.flockerdocker.agent.Guardian;
import io.flockerdocker.agent.StatusCli;
import io.flockerdocker.agent.flocker.FakeFlockerClient;
import io.flockerdocker.protocol.flocker.Node;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A whole agent in this JVM: release is refused on the TCP status port (405, nothing changes),
 * a foreign Host is refused (421), and release works only on the 0600 admin socket, with force
 * on a reachable holder needing the second flag and one AUDIT line per call.
 */
@ExtendWith(LogCapturingExtension.class)
class AdminSocketTest {
  static final String SELF = UUID.randomUUID().toString();
  @TempDir static Path dir;
  static ActorSystem<Void> system;
  static Path plugin;
  static Path admin;
  static int port;
  static final ListAppender<ILoggingEvent> audit = new ListAppender<>();

  @BeforeAll
  static void start() throws Exception {
    FakeFlockerClient fake = new FakeFlockerClient(List.of(new Node("10.0.0.1", SELF)),
        dir.resolve("flocker").toString(), java.time.Clock.systemUTC());
    plugin = dir.resolve("flocker.sock");
    admin = dir.resolve("adm/a.sock");
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Config config = AgentConfig.load(ConfigFactory.parseMap(Map.of(
        "flocker-docker.node.name", "node1",
        "flocker-docker.node.uuid", SELF,
        "flocker-docker.plugin.socket", plugin.toString(),
        "flocker-docker.flocker.url", "http://127.0.0.1:9",
        "flocker-docker.flocker.poll-interval", "50 ms",
        "flocker-docker.state-dir", dir.resolve("state").toString(),
        "flocker-docker.status.port", port,
        "flocker-docker.status.admin-socket", admin.toString(),
        "pekko.remote.artery.canonical.port", 0,
        "pekko.cluster.jmx.multi-mbeans-in-same-jvm", "on"))
        .withFallback(ConfigFactory.parseMap(Map.of(
            "pekko.cluster.roles", List.of("name:node1", "uuid:" + SELF),
            // a loopback agent of one: plain HTTP to a stub, plain TCP on the cluster port
            "flocker-docker.flocker.allow-plaintext", "on",
            "flocker-docker.cluster.tls", "off",
            // where the fake puts datasets: Mountpoints outside the root are refused
            "flocker-docker.dataset.root", dir.resolve("flocker").toString()))));
    AgentDeps deps = AgentDeps.create(AgentSettings.create(config), Map.of(), sys -> fake);
    system = ActorSystem.create(Guardian.create(deps, new AgentServers()), "admin-test", config);
    audit.start();
    ((Logger) LoggerFactory.getLogger(AdminRoutes.class)).addAppender(audit);
    Thread converger = new Thread(() -> {
      while (!system.whenTerminated().isCompleted()) {
        fake.converge();
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "fake-converger");
    converger.setDaemon(true);
    converger.start();
  }

  @AfterAll
  static void shutdown() throws Exception {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void releaseOnlyOnTheAdminSocketAndForceOnALiveHolderNeedsTheSecondFlag() throws Exception {
    until(() -> tcp("GET", "/health/ready", "127.0.0.1:" + port).startsWith("HTTP/1.1 200"),
        "node ready");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(admin)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(admin.getParent())))
        .isEqualTo("rwx------");
    assertThat(UdsHttp.post(plugin, "/VolumeDriver.Create", "{\"Name\":\"vol\",\"Opts\":null}"))
        .contains("\"Err\":\"\"");
    until(() -> UdsHttp.post(plugin, "/VolumeDriver.Mount", "{\"Name\":\"vol\",\"ID\":\"c1\"}")
        .contains("\"Err\":\"\""), "vol mounted here");

    String overTcp = tcp("POST", "/v1/volumes/vol/release?from=node1&force=true", "localhost");
    assertThat(overTcp).startsWith("HTTP/1.1 405").contains("admin unix socket")
        .contains("Content-Type: application/json");
    assertThat(tcp("GET", "/v1/volumes/vol", "127.0.0.1")).contains("\"mountedOn\":\"node1\"");
    assertThat(tcp("GET", "/v1/status", "rebound.example.com:" + port))
        .startsWith("HTTP/1.1 421").contains("\"error\":\"Host rebound.example.com");
    assertThat(tcp("GET", "/v1/status", "[::1]:" + port)).startsWith("HTTP/1.1 200");

    Run forced = release("vol", "--from", "node1", "--socket", admin.toString(), "--force");
    assertThat(forced.exit()).isEqualTo(1);
    assertThat(forced.err()).startsWith("flocker-docker release: node1 is up and reachable")
        .contains("--" + AdminRoutes.CONFIRM);
    assertThat(tcp("GET", "/v1/volumes/vol", "127.0.0.1")).contains("\"mountedOn\":\"node1\"");
    assertThat(auditLines()).singleElement().asString()
        .contains("volume [vol] from node [node1] by [user=root")
        .contains("force [yes]").contains("outcome [refused: holder reachable");

    Run confirmed = release("vol", "--from", "node1", "--socket", admin.toString(), "--force",
        StatusCli.CONFIRM_FLAG);
    assertThat(confirmed.err()).isEmpty();
    assertThat(confirmed).isEqualTo(new Run(0, "released volume vol from node1\n", ""));
    assertThat(tcp("GET", "/v1/volumes/vol", "127.0.0.1")).contains("\"mountedOn\":null");
    assertThat(auditLines()).hasSize(2).last().asString()
        .contains("force [yes, confirmed]").contains("outcome [released]");
  }

  @Test
  void aMissingAdminSocketIsAOneLineError() throws Exception {
    Run r = release("vol", "--from", "node1", "--socket", dir.resolve("nope.sock").toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).startsWith("flocker-docker release: no admin socket at ")
        .hasLineCount(1);
  }

  static List<String> auditLines() {
    return audit.list.stream().map(ILoggingEvent::getFormattedMessage)
        .filter(m -> m.startsWith("AUDIT")).toList();
  }

  /** One raw HTTP/1.1 request with the Host header given (the JDK client will not set one). */
  static String tcp(String method, String path, String host) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.getOutputStream().write((method + " " + path + " HTTP/1.1\r\nHost: " + host
          + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  record Run(int exit, String out, String err) {}

  static Run release(String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = new StatusCli(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8)).release(args);
    return new Run(exit, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  interface Check {
    boolean ok() throws Exception;
  }

  /** Polls a condition for up to 30 s; the bound only catches a hang, not a speed test. */
  static void until(Check check, String what) throws Exception {
    Instant limit = Instant.now().plusSeconds(30);
    Exception last = null;
    while (true) {
      try {
        if (check.ok()) {
          return;
        }
      } catch (Exception e) {
        last = e; // not listening yet
      }
      if (Instant.now().isAfter(limit)) {
        throw new AssertionError("never happened: " + what, last);
      }
      Thread.sleep(50);
    }
  }
}
