package io.flockerdocker.sim.scenario;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code demo --docker}: the demo through two real Docker engines (DockerLab) whose plugin
 * directories hold the sockets of a 2-node LocalCluster. Host 1 writes fish, host 2 reads it.
 */
final class DockerDemo {
  private DockerDemo() {}

  static int run() throws Exception {
    String why = DockerLab.unavailableReason();
    if (why != null) {
      System.err.println("flocker-docker demo --docker: DockerLab unavailable: " + why);
      return 2;
    }
    // unix socket paths are limited to 108 bytes: keep both roots short
    Path labDir = Files.createTempDirectory(Path.of("/tmp"), "fdl-");
    Files.delete(labDir); // docker-hosts.sh up creates it and down removes it
    Path clusterDir = Files.createTempDirectory(Path.of("/tmp"), "fdc-");
    boolean passed = false;
    try (Stack stack = Stack.up(2, labDir, clusterDir, DockerDemo::say)) {
      DockerLab lab = stack.lab();
      DockerLab.Result w = lab.docker(1, "run", "--rm", "-v", "demo:/data",
          "--volume-driver=flocker", "busybox:local", "sh", "-c", "echo fish > /data/file");
      say("host1 docker run (write fish): exit " + w.exitCode() + detail(w));
      if (!w.ok()) {
        return 1;
      }
      DockerLab.Result r = lab.docker(2, "run", "--rm", "-v", "demo:/data",
          "--volume-driver=flocker", "busybox:local", "cat", "/data/file");
      say("host2 docker run (cat): exit " + r.exitCode() + detail(r));
      String out = r.stdout().strip();
      System.out.println(out.isEmpty() ? "(nothing)" : out);
      passed = r.ok() && "fish".equals(out);
      return passed ? 0 : 1;
    } finally {
      if (passed) {
        LocalCluster.deleteTree(clusterDir);
      } else {
        say("failed; agent logs kept under " + clusterDir);
      }
    }
  }

  private static String detail(DockerLab.Result r) {
    return r.stderr().isBlank() ? "" : " (" + r.stderr().strip() + ")";
  }

  private static void say(String line) {
    System.err.println("demo --docker: " + line);
  }

  /** Timeout for the cluster to become ready. */
  static final Duration READY = Duration.ofSeconds(120);
}
