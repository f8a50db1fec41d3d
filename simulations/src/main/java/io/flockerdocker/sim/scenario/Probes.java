package io.flockerdocker.sim.scenario;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Readiness checks run inside a lab host (its netns is unreachable from the root namespace). */
final class Probes {
  private static final Duration STEP = Duration.ofMillis(250);
  private final DockerLab lab;

  Probes(DockerLab lab) {
    this.lab = lab;
  }

  /** Until something in host listens on TCP {@code port} (read from the host's /proc/net/tcp). */
  void awaitListening(int host, int port, Path log, Duration timeout) {
    String hex = String.format(":%04X", port);
    await(host, log, timeout, "listening on port " + port, () -> {
      DockerLab.Result r = lab.exec(host, Duration.ofSeconds(10), "cat", "/proc/net/tcp", "/proc/net/tcp6");
      // columns: "", sl, local_address, rem_address, st (0A = LISTEN)
      return r.stdout().lines().map(l -> l.split("\\s+"))
          .anyMatch(f -> f.length > 4 && f[2].endsWith(hex) && f[4].equals("0A"));
    });
  }

  /**
   * Plugin socket bound, {@code /health/ready} answers 2xx (on loopback or the host's address:
   * where the status endpoint binds is node-config's choice), and dockerd's volume ls works.
   */
  void awaitAgentReady(int host, int statusPort, Path log, Duration timeout) {
    Path socket = lab.pluginDir(host).resolve("flocker.sock");
    List<String> urls = List.of("http://127.0.0.1:" + statusPort + "/health/ready",
        "http://" + lab.address(host) + ":" + statusPort + "/health/ready");
    await(host, log, timeout, "ready (" + socket + ", " + urls.get(0) + ")", () -> Files.exists(socket)
        && urls.stream().anyMatch(url -> lab.exec(host, Duration.ofSeconds(10), "/bin/busybox", "wget",
            "-q", "-O", "/dev/null", url).ok())
        && lab.docker(host, "volume", "ls").ok());
  }

  private void await(int host, Path log, Duration timeout, String what, Check check) {
    Instant until = Instant.now().plus(timeout);
    while (Instant.now().isBefore(until)) {
      if (check.ok()) {
        return;
      }
      if (!running(log)) {
        throw new IllegalStateException("host" + host + ": process exited before " + what
            + "; read " + log);
      }
      sleep();
    }
    throw new IllegalStateException("host" + host + " not " + what + " after " + timeout.toSeconds()
        + " s; read " + log);
  }

  /** Whether the spawned process behind {@code log} (NAME.log beside NAME.pid) is still alive. */
  static boolean running(Path log) {
    String name = log.getFileName().toString().replaceFirst("\\.log$", ".pid");
    try {
      Path status = Path.of("/proc", Files.readString(log.resolveSibling(name)).strip(), "status");
      return Files.exists(status) && !Files.readString(status).matches("(?s).*State:\\s*Z.*");
    } catch (java.io.IOException e) {
      return false; // no pidfile or the process vanished while we read: not running
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(STEP.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a lab host", e);
    }
  }

  @FunctionalInterface
  private interface Check {
    boolean ok();
  }
}
