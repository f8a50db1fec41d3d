package io.flockerdocker.sim.scenario;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code demo --docker}: flocker-docker deployed on two real Docker hosts with private dataset
 * roots (DockerCluster), so the data crosses the lab network. Host 1 writes fish, host 2 reads it.
 */
final class DockerDemo {
  private DockerDemo() {}

  static int run() throws Exception {
    String why = DockerLab.unavailableReason();
    if (why != null) {
      System.err.println("flocker-docker demo --docker: DockerLab unavailable: " + why);
      return 2;
    }
    // unix socket paths are limited to 108 bytes: keep the lab dir short
    Path labDir = Files.createTempDirectory(Path.of("/tmp"), "fdl-");
    Path logs = Path.of(labDir + "-logs");
    boolean passed = false;
    // the lab's own shutdown hook runs down on Ctrl-C / SIGTERM, even in the middle of up
    try (DockerCluster cluster = DockerCluster.up(
        DockerCluster.Options.of(2, labDir).withKeepLogs(logs), DockerDemo::say)) {
      DockerLab lab = cluster.lab();
      DockerLab.Result w = lab.docker(1, MOVE, "run", "--rm", "-v", "demo:/data",
          "--volume-driver=flocker", "busybox:local", "sh", "-c", "echo fish > /data/file");
      say("host1 docker run (write fish): exit " + w.exitCode() + detail(w));
      if (!w.ok()) {
        return 1;
      }
      DockerLab.Result r = lab.docker(2, MOVE, "run", "--rm", "-v", "demo:/data",
          "--volume-driver=flocker", "busybox:local", "cat", "/data/file");
      say("host2 docker run (cat): exit " + r.exitCode() + detail(r));
      String out = r.stdout().strip();
      passed = r.ok() && "fish".equals(out);
      say(passed ? "passed" : "failed; dockerd and agent logs will be in " + logs);
      System.out.println(out.isEmpty() ? "(nothing)" : out);
      return passed ? 0 : 1;
    } catch (IllegalStateException | java.io.UncheckedIOException e) {
      // a step of the deployment failed: one line naming it; the lab is already down
      say("failed: " + e.getMessage() + " (dockerd, control and agent logs in " + logs + ")");
      return 1;
    } finally {
      if (passed) {
        LocalCluster.deleteTree(logs);
      }
    }
  }

  private static String detail(DockerLab.Result r) {
    return r.stderr().isBlank() ? "" : " (" + r.stderr().strip() + ")";
  }

  private static void say(String line) {
    System.err.println("demo --docker: " + line);
  }

  /** Upper bound for one docker run whose volume may first have to cross the network. */
  private static final Duration MOVE = Duration.ofSeconds(120);
}
