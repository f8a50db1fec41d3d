package io.flockerdocker.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shared backend on 2 lab hosts whose data root is ONE directory (as NFS would be): the
 * fish demo works and the move is a hand-off, so the file is the same inode and no copy exists.
 */
class DockerSharedBackendIT {
  private static final Duration MOVE = Duration.ofSeconds(120);
  private static DockerCluster cluster;
  private static DockerE2E d;
  private static Path logs;
  private static boolean passed;

  @BeforeAll
  static void up() {
    LabGate.requireLab("DockerSharedBackendIT");
    long pid = ProcessHandle.current().pid();
    logs = Path.of("/tmp", "fdl-sh-" + pid + "-logs");
    cluster = DockerCluster.up(DockerCluster.Options.of(2, Path.of("/tmp", "fdl-sh-" + pid))
        .withSharedBackend().withKeepLogs(logs), s -> System.err.println("[DockerSharedBackendIT] " + s));
    d = new DockerE2E(cluster.lab());
  }

  @AfterAll
  static void down() throws Exception {
    if (cluster != null) cluster.close();
    if (passed) {
      LocalCluster.deleteTree(logs);
    } else if (logs != null) {
      System.err.println("[DockerSharedBackendIT] dockerd, control and agent logs kept in " + logs);
    }
  }

  @Test
  void fishMovesByHandOffWithoutACopy() throws Exception {
    String one = d.ok(MOVE, 1, d.runSh("sh-fish", "echo fish > /data/file && stat -c %i /data/file"));
    String two = d.ok(MOVE, 2, d.runSh("sh-fish", "cat /data/file && stat -c %i /data/file"));
    assertThat(two).as("host2 reads fish from the same inode host1 wrote").isEqualTo("fish\n" + one);

    Path datasets = cluster.lab().sharedRoot(); // mounted at DockerCluster.DATA_ROOT on both hosts
    try (Stream<Path> all = Files.walk(datasets)) {
      List<Path> files = all.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().equals("file")).toList();
      assertThat(files).as("copies of sh-fish's file under %s", datasets).hasSize(1);
    }
    for (String dir : List.of(".staging", ".replicas")) {
      Path p = datasets.resolve(dir);
      if (Files.isDirectory(p)) {
        try (Stream<Path> in = Files.list(p)) {
          assertThat(in.toList()).as("%s after a shared-backend move", p).isEmpty();
        }
      }
    }
    passed = true;
  }
}
