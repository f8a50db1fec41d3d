package io.flockerdocker.sim.bench;

import io.flockerdocker.protocol.Json;
import io.flockerdocker.protocol.ProtocolException;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.sim.scenario.ScaleCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The copies the agents' dataset agents make: a new volume is mountable, and its host has
 * nothing left to do for it, once the host's dataset root holds a directory for it. Today's
 * dataset agent makes one per converge tick, so a burst of Creates queues there.
 */
final class Copies {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Copies() {}

  /** Dataset directories in node n's dataset root now. */
  static long on(ScaleCluster cluster, int n) throws IOException {
    try (var list = Files.list(cluster.layout(n).mounts())) {
      return list.filter(p -> !p.getFileName().toString().startsWith(".")).count();
    }
  }

  /**
   * Waits (until {@code until}, a nanoTime) until node n's dataset root holds at least
   * {@code copies} dataset directories; false if it did not.
   */
  static boolean await(ScaleCluster cluster, int n, long copies, long until) throws Exception {
    while (true) {
      long have = on(cluster, n);
      if (have >= copies) {
        return true;
      }
      if (System.nanoTime() > until) {
        BenchMain.say("scale: node" + n + " made " + have + " of " + copies + " copies");
        return false;
      }
      Thread.sleep(200);
    }
  }

  /**
   * For nodes 1..H, how many live datasets the control service's configuration gives them (one
   * read of the whole configuration): the copies each must hold when it has nothing pending.
   */
  static long[] configured(ScaleCluster cluster) throws IOException, InterruptedException {
    HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(
            URI.create(cluster.control().url() + "/v1/configuration/datasets"))
        .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw new IOException("GET /v1/configuration/datasets: HTTP " + r.statusCode());
    }
    long[] on = new long[cluster.nodes()];
    try {
      for (DatasetConfiguration d : Json.readList(r.body(), DatasetConfiguration.class)) {
        for (int n = 1; n <= on.length; n++) {
          if (!d.deleted() && cluster.layout(n).uuid().equals(d.primary())) {
            on[n - 1]++;
          }
        }
      }
    } catch (ProtocolException e) {
      throw new IOException("the control service sent an invalid configuration", e);
    }
    return on;
  }

  /**
   * Waits (until {@code budget} has passed) until every node holds the copies its configuration
   * gives it; true if they all did.
   */
  static boolean awaitAll(ScaleCluster cluster, Duration budget) throws Exception {
    long[] want = configured(cluster);
    long until = System.nanoTime() + budget.toNanos();
    boolean all = true;
    for (int n = 1; n <= want.length; n++) {
      all &= await(cluster, n, want[n - 1], until);
    }
    return all;
  }
}
