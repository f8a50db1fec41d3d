package io.flockerdocker.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * SIGKILL host 1's agent while host 2 pulls a 256 MiB volume from it, restart it, and check the
 * volume arrives intact on host 2 (the pending Mount or a retried docker run). Host 1's egress is
 * throttled meanwhile so the kill lands mid-transfer, not after it.
 */
final class InterruptedTransfer {
  private static final String VOLUME = "dp-kill";
  private static final String STAGING = DockerCluster.DATA_ROOT + "/.staging";
  private final DockerCluster cluster;
  private final DockerE2E d;

  InterruptedTransfer(DockerCluster cluster, DockerE2E d) {
    this.cluster = cluster;
    this.d = d;
  }

  void run() throws Exception {
    DockerLab lab = cluster.lab();
    String written = d.ok(DockerDataPlaneIT.MOVE, 1, d.runSh(VOLUME,
        "head -c 268435456 /dev/urandom > /data/big && sha256sum /data/big"));
    lab.limitEgress(1, "200mbit"); // 256 MiB then takes ~11 s
    try {
      CompletableFuture<DockerLab.Result> pending = CompletableFuture.supplyAsync(
          () -> lab.docker(2, DockerDataPlaneIT.MOVE, d.runSh(VOLUME, "sha256sum /data/big")));
      long staged = awaitStaging(lab, 16 * 1024);
      System.err.println("[InterruptedTransfer] host2 had staged " + staged + " KiB: SIGKILL host1's agent");
      cluster.killAgent(1, "KILL");
      Thread.sleep(2000); // long enough for host 2 to notice the broken connection
      cluster.startAgent(1);
      cluster.awaitReady(1, Duration.ofSeconds(120));
      lab.limitEgress(1, null);
      DockerLab.Result first = pending.get(DockerDataPlaneIT.MOVE.toSeconds() + 30, TimeUnit.SECONDS);
      System.err.println("[InterruptedTransfer] the docker run pending during the kill: " + first);
      String read = first.ok() ? first.stdout() : d.ok(DockerDataPlaneIT.MOVE, 2, d.runSh(VOLUME, "sha256sum /data/big"));
      assertThat(read).as("sha256 on host2 after the interrupted transfer").isEqualTo(written);
    } finally {
      lab.limitEgress(1, null);
    }
  }

  /** Polls host 2's staging dir until it holds at least {@code kib}; returns what it held. */
  private static long awaitStaging(DockerLab lab, long kib) throws InterruptedException {
    Instant until = Instant.now().plus(Duration.ofSeconds(90));
    String last = "";
    while (Instant.now().isBefore(until)) {
      DockerLab.Result r = lab.exec(2, Duration.ofSeconds(10), "sh", "-c",
          "[ -d " + STAGING + " ] && du -sk " + STAGING + " | cut -f1 || echo 0");
      last = r.stdout().strip() + " " + r.stderr().strip();
      long held = r.ok() && r.stdout().strip().matches("\\d+") ? Long.parseLong(r.stdout().strip()) : 0;
      if (held >= kib) {
        return held;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("host2 never staged " + kib + " KiB of " + VOLUME + " under " + STAGING
        + " within 90 s (last du: " + last + "); read " + lab.logFile(2, DockerCluster.AGENT));
  }
}
