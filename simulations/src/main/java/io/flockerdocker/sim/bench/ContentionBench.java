package io.flockerdocker.sim.bench;

import io.flockerdocker.sim.scenario.LocalCluster;
import io.flockerdocker.sim.scenario.PluginClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bench contention}: 3 nodes, two clients each, Mount/Unmount on 10 shared volumes for
 * --seconds. Reports operations/s, the share answered with an Err (mostly "in use on nodeX"),
 * p99, and re-checks safety: no two nodes ever held acknowledged mounts of one volume at once.
 */
final class ContentionBench {
  private static final int VOLUMES = 10;
  private static final int CLIENTS_PER_NODE = 2;

  /** From Mount acknowledged to Unmount sent: when a node's container used the volume. */
  private record Held(int volume, int node, long from, long to) {}

  private ContentionBench() {}

  static Report run(BenchMain.Options o) throws Exception {
    Report r = new Report("contention");
    r.put("seconds", o.seconds()).put("volumes", VOLUMES)
        .put("clients", 3 * CLIENTS_PER_NODE);
    try (LocalCluster cluster = LocalCluster.start(BenchMain.cluster(3, o),
        Duration.ofSeconds(120))) {
      try (PluginClient c = new PluginClient(cluster.agent(1).layout().socket())) {
        for (int v = 0; v < VOLUMES; v++) {
          LatencyBench.check(c.create("shared-" + v, Map.of()), "Create shared-" + v);
        }
      }
      List<Held> held = Collections.synchronizedList(new ArrayList<>());
      Latencies mounts = new Latencies();
      Latencies unmounts = new Latencies();
      AtomicLong mountErr = new AtomicLong();
      AtomicLong unmountErr = new AtomicLong();
      long end = System.nanoTime() + o.seconds() * 1_000_000_000L;
      ExecutorService pool = Executors.newFixedThreadPool(3 * CLIENTS_PER_NODE);
      List<Future<?>> workers = new ArrayList<>();
      long start = System.nanoTime();
      for (int node = 1; node <= 3; node++) {
        for (int k = 0; k < CLIENTS_PER_NODE; k++) {
          int n = node;
          Path socket = cluster.agent(node).layout().socket();
          long seed = node * 31L + k;
          workers.add(pool.submit(() -> {
            work(n, socket, seed, end, held, mounts, unmounts, mountErr, unmountErr);
            return null;
          }));
        }
      }
      for (Future<?> w : workers) {
        w.get();
      }
      pool.shutdown();
      long wall = System.nanoTime() - start;
      mounts.wall(wall);
      unmounts.wall(wall);
      long ops = mounts.count() + unmounts.count();
      r.row("operations (ms)", "Mount", mounts.summary());
      r.row("operations (ms)", "Unmount", unmounts.summary());
      r.put("ops_per_s", ops * 1e9 / wall);
      r.put("err_rate", (double) (mountErr.get() + unmountErr.get()) / Math.max(1, ops));
      r.put("mount_err_rate", (double) mountErr.get() / Math.max(1, mounts.count()));
      r.put("unmount_errors", unmountErr.get());
      r.put("successful_mounts", held.size());
      r.put("p99_ms", Math.max(mounts.ms(0.99), unmounts.ms(0.99)));
      int overlaps = overlaps(held);
      String leases = leases(cluster.control().url());
      r.put("safety_overlapping_mounts", overlaps);
      r.put("leases_left_at_end", leases);
      r.put("safety", overlaps == 0 && "[]".equals(leases.replaceAll("\\s", ""))
          ? "ok" : "VIOLATED");
    }
    return r;
  }

  private static void work(int node, Path socket, long seed, long end, List<Held> held,
      Latencies mounts, Latencies unmounts, AtomicLong mountErr, AtomicLong unmountErr)
      throws Exception {
    Random random = new Random(seed);
    try (BenchClient c = new BenchClient(socket, true)) {
      for (int i = 0; System.nanoTime() < end; i++) {
        int v = random.nextInt(VOLUMES);
        String body = "{\"Name\":\"shared-" + v + "\",\"ID\":\"n" + node + "-" + seed + "-" + i
            + "\"}";
        long t0 = System.nanoTime();
        int status = c.send(BenchClient.request("VolumeDriver.Mount", body));
        long acked = System.nanoTime();
        mounts.add(acked - t0);
        if (status != 200 || c.lastHadErr()) {
          mountErr.incrementAndGet();
          mounts.error();
          continue;
        }
        Thread.sleep(random.nextInt(5)); // a container using the volume for a moment
        long released = System.nanoTime();
        held.add(new Held(v, node, acked, released));
        status = c.send(BenchClient.request("VolumeDriver.Unmount", body));
        unmounts.add(System.nanoTime() - released);
        if (status != 200 || c.lastHadErr()) {
          unmountErr.incrementAndGet();
          unmounts.error();
        }
      }
    }
  }

  /** Pairs of holds of one volume by two different nodes whose intervals intersect. */
  static int overlaps(List<Held> held) {
    List<Held> sorted = new ArrayList<>(held);
    sorted.sort((x, y) -> Long.compare(x.from(), y.from()));
    int bad = 0;
    for (int i = 0; i < sorted.size(); i++) {
      Held h = sorted.get(i);
      for (int j = i + 1; j < sorted.size() && sorted.get(j).from() < h.to(); j++) {
        Held g = sorted.get(j);
        if (g.volume() == h.volume() && g.node() != h.node()) {
          bad++;
        }
      }
    }
    return bad;
  }

  private static String leases(String controlUrl) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(controlUrl + "/v1/configuration/leases")).timeout(Duration.ofSeconds(10))
        .build(), HttpResponse.BodyHandlers.ofString());
    return r.body();
  }
}
