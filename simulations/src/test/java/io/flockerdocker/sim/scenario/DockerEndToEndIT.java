package io.flockerdocker.sim.scenario;

import static io.flockerdocker.sim.scenario.DockerE2E.DRIVER;
import static io.flockerdocker.sim.scenario.DockerE2E.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The agent behind two real dockerd hosts, deployed as on real machines (DockerCluster: its own
 * CA, node-config, the control service on host 1, each agent in its host's namespaces on its own
 * address with cluster, data-channel and control mTLS). One lab for all scenarios; each scenario
 * has its own volumes; disruptive ones (restarts, agent down) run last. Skipped with a printed
 * reason where DockerLab cannot run (not root, no docker.io); failed under DOCKERLAB=require.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerEndToEndIT {
  private static DockerCluster cluster;
  private static DockerE2E d;
  private static String host1;
  private static final int SCENARIOS = 8;
  private static int passed;

  @BeforeAll
  static void up() throws Exception {
    LabGate.requireLab("DockerEndToEndIT");
    long pid = ProcessHandle.current().pid();
    // short: socket paths are limited to 108 bytes
    cluster = DockerCluster.up(DockerCluster.Options.of(2, Path.of("/tmp", "fdl-it-" + pid))
            .withKeepLogs(Path.of("/tmp", "fdc-it-" + pid)),
        s -> System.err.println("[DockerEndToEndIT] " + s));
    d = new DockerE2E(cluster.lab());
    host1 = cluster.name(1);
  }

  @AfterAll
  static void down() {
    if (cluster != null) {
      cluster.close();
    }
    if (passed < SCENARIOS) {
      System.err.println("[DockerEndToEndIT] " + (SCENARIOS - passed) + " scenarios failed");
    }
  }

  /** Stops host {@code host}'s agent with SIGTERM (as systemd does), starts it, waits until ready. */
  private static void restartAgent(int host) {
    cluster.killAgent(host, "TERM");
    cluster.startAgent(host);
    cluster.awaitReady(host, Duration.ofSeconds(90));
  }

  @Test
  @Order(1)
  void fishMovesAndCreatedVolumeIsOneGlobalVolumeOnBothHosts() throws Exception {
    d.ok(1, d.runSh("e2e-fish", "echo fish > /data/file"));
    assertThat(d.ok(2, d.runSh("e2e-fish", "cat /data/file"))).isEqualTo("fish\n");

    assertThat(d.ok(1, "volume", "create", "-d", "flocker", "e2e-created")).isEqualTo("e2e-created\n");
    assertThat(d.volumes(1)).containsOnlyOnce("flocker e2e-created", "flocker e2e-fish");
    // host 2's agent learns of the create from its next Flocker poll: List lags by up to ~1 s
    Duration lag = d.awaitListed(2, "flocker e2e-created", true);
    System.err.println("[DockerEndToEndIT] host2 listed e2e-created " + lag.toMillis() + " ms after the create");
    assertThat(d.volumes(2)).containsOnlyOnce("flocker e2e-created", "flocker e2e-fish");
    for (int host : new int[] {1, 2}) {
      assertThat(d.inspect(host, "e2e-created")).isEqualTo("flocker global e2e-created");
    }
    passed++;
  }

  @Test
  @Order(2)
  void runWithUnknownVolumeCreatesItImplicitly() throws Exception {
    assertThat(d.ok(1, d.runSh("e2e-implicit", "echo implicit > /data/f; cat /data/f")))
        .isEqualTo("implicit\n");
    d.awaitListed(1, "flocker e2e-implicit", true);
    d.awaitListed(2, "flocker e2e-implicit", true);
    // host 2 has never seen the name: without --volume-driver dockerd probes every driver with Get
    assertThat(d.ok(2, "run", "--rm", "-v", "e2e-implicit:/data", IMAGE, "cat", "/data/f"))
        .isEqualTo("implicit\n");
    passed++;
  }

  @Test
  @Order(3)
  void volumeInUseOnHost1IsRefusedOnHost2UntilReleased() throws Exception {
    try {
      d.hold(1, "held1", "e2e-held", "marker1");
      String err = d.fails(2, d.runSh("e2e-held", "echo stolen > /data/m"));
      assertThat(err).contains("e2e-held").contains(host1);
      assertThat(d.ok(1, "exec", "held1", "cat", "/data/m")).isEqualTo("marker1\n");
      d.ok(1, "rm", "-f", "held1");
      assertThat(d.ok(2, d.runSh("e2e-held", "cat /data/m"))).isEqualTo("marker1\n");
    } finally {
      d.removeQuietly(1, "held1");
    }
    passed++;
  }

  @Test
  @Order(4)
  void dockerCpAndTwoContainersShareAVolumeThenItMoves() throws Exception {
    Path src = Files.createTempFile("fd-cp", ".txt");
    try {
      Files.writeString(src, "copied\n");
      d.hold(1, "cp1", "e2e-shared", "one");
      // the archive API mounts again with the running container's ID, then unmounts once
      d.ok(1, "cp", src.toString(), "cp1:/data/copied");
      assertThat(d.ok(1, "exec", "cp1", "cat", "/data/copied")).isEqualTo("copied\n");
      assertThat(d.fails(2, d.runSh("e2e-shared", "true"))).as("still held after cp").contains(host1);
      d.ok(1, "run", "-d", "--name", "cp2", "-v", "e2e-shared:/data", DRIVER, IMAGE, "sh", "-c",
          "echo two > /data/second; exec sleep 300");
      d.awaitOutput(1, "two", "exec", "cp1", "cat", "/data/second");
      d.ok(1, "rm", "-f", "cp1");
      assertThat(d.fails(2, d.runSh("e2e-shared", "true"))).as("cp2 still holds it").contains(host1);
      d.ok(1, "rm", "-f", "cp2");
      assertThat(d.ok(2, d.runSh("e2e-shared", "cat /data/m /data/copied /data/second")))
          .isEqualTo("one\ncopied\ntwo\n");
    } finally {
      d.removeQuietly(1, "cp1", "cp2");
      Files.deleteIfExists(src);
    }
    passed++;
  }

  @Test
  @Order(5)
  void volumeRmIsRefusedWhileInUseElsewhereThenRemovesEverywhere() throws Exception {
    try {
      d.hold(1, "rm1", "e2e-rm", "x");
      String err = d.fails(2, "volume", "rm", "e2e-rm");
      assertThat(err).contains("e2e-rm").contains(host1);
      assertThat(d.volumes(2)).contains("flocker e2e-rm");
      d.ok(1, "rm", "-f", "rm1");
      assertThat(d.ok(2, "volume", "rm", "e2e-rm")).isEqualTo("e2e-rm\n");
      assertThat(d.volumes(2)).doesNotContain("flocker e2e-rm");
      // host 1's engine still has the name in its metadata, but ls shows what List returns
      Duration lag = d.awaitListed(1, "flocker e2e-rm", false);
      System.err.println("[DockerEndToEndIT] host1 stopped listing e2e-rm " + lag.toMillis() + " ms after the rm");
      assertThat(d.fails(1, "volume", "inspect", "e2e-rm")).containsIgnoringCase("no such volume");
    } finally {
      d.removeQuietly(1, "rm1");
    }
    passed++;
  }

  @Test
  @Order(6)
  void dockerdRestartKeepsEveryVolumeAndItsLabels() throws Exception {
    d.ok(1, "volume", "create", "-d", "flocker", "--label", "team=fish", "e2e-restart");
    d.ok(1, d.runSh("e2e-restart", "echo before > /data/f"));
    cluster.lab().restartDockerd(1);
    assertThat(d.volumes(1)).contains("flocker e2e-fish", "flocker e2e-created",
        "flocker e2e-implicit", "flocker e2e-held", "flocker e2e-shared", "flocker e2e-restart");
    // labels live only in the engine's metadata: a "not found" from Get at start would purge them
    assertThat(d.ok(1, "volume", "inspect", "--format", "{{.Driver}} {{.Labels.team}}", "e2e-restart"))
        .isEqualTo("flocker fish\n");
    assertThat(d.ok(1, d.runSh("e2e-restart", "cat /data/f"))).isEqualTo("before\n");
    assertThat(d.ok(1, d.runSh("e2e-held", "cat /data/m"))).isEqualTo("marker1\n");
    passed++;
  }

  @Test
  @Order(7)
  void agentRestartUnderARunningContainerKeepsItsClaim() throws Exception {
    try {
      d.hold(1, "ar1", "e2e-agent", "kept");
      restartAgent(1);
      assertThat(d.fails(2, d.runSh("e2e-agent", "true"))).as("claim survives the restart")
          .contains(host1);
      d.ok(1, "rm", "-f", "ar1");
      assertThat(d.ok(2, d.runSh("e2e-agent", "cat /data/m"))).isEqualTo("kept\n");
    } finally {
      d.removeQuietly(1, "ar1");
    }
    passed++;
  }

  @Test
  @Order(8)
  void agentDownFailsAtTheConnectionThenRecovers() throws Exception {
    cluster.killAgent(2, "TERM");
    String err = d.fails(2, d.runSh("e2e-fish", "cat /data/file"));
    assertThat(err).contains("flocker.sock").containsAnyOf("connection refused", "no such file or directory");
    cluster.startAgent(2);
    cluster.awaitReady(2, Duration.ofSeconds(90));
    assertThat(d.ok(2, d.runSh("e2e-fish", "cat /data/file"))).isEqualTo("fish\n");
    passed++;
  }
}
