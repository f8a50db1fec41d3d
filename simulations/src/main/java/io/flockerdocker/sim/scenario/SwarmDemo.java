package io.flockerdocker.sim.scenario;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * {@code demo --swarm}: three real Docker hosts with private dataset roots in a swarm. A one-replica
 * service with a flocker volume writes fish; its host is drained; Swarm starts the task on another
 * host, whose first act is to print the file it finds in the volume (the last line on stdout).
 */
final class SwarmDemo {
  static final String SERVICE = "fish";
  static final String SCRIPT = Swarm.idleAfter(
      "if [ -f /data/file ]; then cat /data/file; else echo fish > /data/file && echo wrote; fi");

  private SwarmDemo() {}

  static int run() throws Exception {
    String why = DockerLab.unavailableReason();
    if (why != null) {
      System.err.println("flocker-docker demo --swarm: DockerLab unavailable: " + why);
      return 2;
    }
    // unix socket paths are limited to 108 bytes: keep the lab dir short
    Path labDir = Files.createTempDirectory(Path.of("/tmp"), "fds-");
    Path logs = Path.of(labDir + "-logs");
    boolean passed = false;
    try (DockerCluster cluster = DockerCluster.up(
        DockerCluster.Options.of(3, labDir).withKeepLogs(logs), SwarmDemo::say)) {
      Swarm swarm = Swarm.form(cluster, SwarmDemo::say);
      swarm.createService(SERVICE, "demo", 1, SCRIPT);
      Swarm.Task first = swarm.awaitOneRunning(SERVICE, t -> true, Duration.ofSeconds(120));
      String wrote = awaitLog(swarm, first, "wrote");
      say("task " + first.id().substring(0, 12) + " on host" + first.host() + ": " + wrote);
      Instant drained = Instant.now();
      swarm.drain(first.host());
      say("drained host" + first.host());
      Swarm.Task moved = swarm.awaitOneRunning(SERVICE, t -> t.host() != first.host(),
          Duration.ofSeconds(180));
      say("task " + moved.id().substring(0, 12) + " running on host" + moved.host() + " "
          + Duration.between(drained, Instant.now()).toMillis() + " ms after the drain");
      String out = awaitLog(swarm, moved, "fish");
      passed = "fish".equals(out);
      say(passed ? "passed; tearing down" : "failed; dockerd and agent logs will be in " + logs);
      System.out.println(out.isEmpty() ? "(nothing)" : out);
      return passed ? 0 : 1;
    } catch (IllegalStateException | java.io.UncheckedIOException e) {
      // a step failed: one line naming it; the lab is already down
      say("failed: " + e.getMessage() + " (dockerd, control and agent logs in " + logs + ")");
      return 1;
    } finally {
      if (passed) {
        LocalCluster.deleteTree(logs);
      }
    }
  }

  /** The first line the task's container logged, once there is one (bounded); "" if none. */
  static String awaitLog(Swarm swarm, Swarm.Task t, String expected) {
    Instant end = Instant.now().plus(Duration.ofSeconds(30));
    String first = "";
    while (Instant.now().isBefore(end)) {
      String id = swarm.container(t);
      if (!id.isEmpty()) {
        DockerLab.Result r = swarm.lab().docker(t.host(), Swarm.CALL, "logs", id);
        List<String> lines = r.stdout().lines().toList();
        first = lines.isEmpty() ? "" : lines.get(0).strip();
        if (first.equals(expected)) return first;
      }
      Swarm.sleep(200);
    }
    return first;
  }

  private static void say(String line) {
    System.err.println("demo --swarm: " + line);
  }
}
