package io.flockerdocker.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Data really crossing the network: flocker-docker deployed on 3 lab hosts with private dataset
 * roots (one DockerCluster for the class, each scenario with its own volume). The interrupted
 * transfer runs last because it crashes an agent.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerDataPlaneIT {
  static final Duration MOVE = Duration.ofSeconds(180);
  private static final String TREE = String.join("; ", "set -e", "cd /data", "mkdir -p t/sub t/empty",
      "echo owned > t/sub/file", "chown 1234:5678 t/sub/file", "chmod 4755 t/sub/file",
      "echo secret > t/secret", "chmod 0600 t/secret", "head -c 100000 /dev/urandom > t/sub/bin",
      "ln -s sub/file t/link", "ln -s /nowhere t/dangling", "chown -h 1234:5678 t/link",
      "ln t/sub/file t/hard", "touch -d '2001-02-03 04:05:06' t/sub/file t/secret t/sub/bin",
      "touch -h -d '2002-03-04 05:06:07' t/link",
      "touch -d '2003-04-05 06:07:08' t/empty t/sub t");
  // directories' sizes depend on the filesystem, not on what was sent: left out
  static final String LIST_TREE = "cd /data && { find t ! -type d -exec stat -c '%n %f %u %g %s %Y %h %N' {} +;"
      + " find t -type d -exec stat -c '%n %f %u %g %Y' {} +; find t -type f -exec sha256sum {} +; } | sort";

  private static DockerCluster cluster;
  private static DockerE2E d;
  private static Path logs;
  private static int passed;

  @BeforeAll
  static void up() {
    LabGate.requireLab("DockerDataPlaneIT");
    long pid = ProcessHandle.current().pid();
    Path labDir = Path.of("/tmp", "fdl-dp-" + pid); // short: socket paths are limited to 108 bytes
    logs = Path.of("/tmp", "fdl-dp-" + pid + "-logs");
    cluster = DockerCluster.up(DockerCluster.Options.of(3, labDir).withRootSize("3g")
        .withKeepLogs(logs), s -> System.err.println("[DockerDataPlaneIT] " + s));
    d = new DockerE2E(cluster.lab());
  }

  @AfterAll
  static void down() throws Exception {
    if (cluster != null) cluster.close();
    if (passed == 4) {
      LocalCluster.deleteTree(logs);
    } else if (logs != null) {
      System.err.println("[DockerDataPlaneIT] dockerd, control and agent logs kept in " + logs);
    }
  }

  @Test
  @Order(1)
  void fishWrittenOnHost1IsReadOnHost2AndHost3() {
    d.ok(MOVE, 1, d.runSh("dp-fish", "echo fish > /data/file"));
    assertThat(d.ok(MOVE, 2, d.runSh("dp-fish", "cat /data/file"))).isEqualTo("fish\n");
    assertThat(d.ok(MOVE, 3, d.runSh("dp-fish", "cat /data/file"))).isEqualTo("fish\n");
    // the copy host 3 read lies in host 3's private root, which nothing but the network reaches
    DockerLab.Result onDisk = cluster.lab().exec(3, MOVE, "sh", "-c",
        "cat " + DockerCluster.DATA_ROOT + "/*/file");
    assertThat(onDisk.stdout()).as("host3's dataset root: %s", onDisk).contains("fish");
    assertThat(Path.of(DockerCluster.DATA_ROOT.toString())).as("root namespace").doesNotExist();
    passed++;
  }

  @Test
  @Order(2)
  void a256MiBRandomFileKeepsItsSha256OverTwoMoves() {
    String written = d.ok(MOVE, 1, d.runSh("dp-big",
        "head -c 268435456 /dev/urandom > /data/big && sha256sum /data/big"));
    assertThat(written).matches("[0-9a-f]{64}  /data/big\n");
    assertThat(d.ok(MOVE, 2, d.runSh("dp-big", "sha256sum /data/big"))).isEqualTo(written);
    assertThat(d.ok(MOVE, 3, d.runSh("dp-big", "sha256sum /data/big"))).isEqualTo(written);
    passed++;
  }

  @Test
  @Order(3)
  void ownersModesLinksAndTimesArriveIdentical() {
    String source = d.ok(MOVE, 1, d.runSh("dp-tree", TREE + "; " + LIST_TREE));
    assertThat(source).contains("t/sub/file 89ed 1234 5678", "t/secret 8180 0 0",
        "t/link a1ff 1234 5678", "'t/dangling' -> '/nowhere'", "t/empty 41ed");
    assertThat(d.ok(MOVE, 2, d.runSh("dp-tree", LIST_TREE))).isEqualTo(source);
    assertThat(d.ok(MOVE, 3, d.runSh("dp-tree", LIST_TREE))).isEqualTo(source);
    passed++;
  }

  @Test
  @Order(4)
  void aTransferInterruptedByKillingTheSourceAgentCompletesAfterItsRestart() throws Exception {
    new InterruptedTransfer(cluster, d).run();
    passed++;
  }
}
