package io.flockerdocker.sim.bench;

import io.flockerdocker.sim.scenario.LocalCluster;
import io.flockerdocker.sim.scenario.PluginClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code bench move}: how long a Mount on node B takes for a volume last used (and unmounted) on
 * node A, for backend move delays of 0, 100 ms and 1 s. Overhead = mount time - backend time,
 * where the backend time is what the control service measured for that very move (from the
 * configuration naming B to its state showing the dataset on B: its converge tick, the delay
 * and the copy): what the agent adds (leases, the sharded entity, noticing the move) to what
 * the storage itself needs. The overhead over the configured delay alone is reported too.
 */
final class MoveBench {
  private static final long[] DELAYS_MS = {0, 100, 1000};

  private MoveBench() {}

  static Report run(BenchMain.Options o) throws Exception {
    Report r = new Report("move");
    int moves = 10;
    r.put("moves_per_delay", moves);
    try (LocalCluster cluster = LocalCluster.start(BenchMain.cluster(2, o),
            Duration.ofSeconds(120));
        PluginClient a = new PluginClient(cluster.agent(1).layout().socket());
        PluginClient b = new PluginClient(cluster.agent(2).layout().socket())) {
      String volume = "bench-move";
      LatencyBench.check(a.create(volume, Map.of()), "Create");
      // warm both agents' paths (entity, lease, move, watcher) before timing
      for (int i = 0; i < 3; i++) {
        bounce(a, volume, "warm-a" + i);
        bounce(b, volume, "warm-b" + i);
      }
      double worstOverhead = 0;
      for (long delay : DELAYS_MS) {
        cluster.control().setMoveDelay(Duration.ofMillis(delay));
        BenchMain.say("move: backend delay " + delay + " ms");
        Latencies mount = new Latencies();
        Latencies backend = new Latencies();
        Latencies overhead = new Latencies();
        Latencies overDelay = new Latencies();
        long wall = System.nanoTime();
        for (int i = 0; i < moves; i++) {
          // the volume sits unmounted on a (i even) or b (i odd); mount it on the other one
          PluginClient to = i % 2 == 0 ? b : a;
          String id = "move-" + delay + "-" + i;
          long t0 = System.nanoTime();
          PluginClient.Reply m = LatencyBench.check(to.mount(volume, id), "Mount " + id);
          long took = System.nanoTime() - t0;
          mount.add(took);
          String dataset = java.nio.file.Path.of(m.mountpoint()).getFileName().toString();
          long backendNanos = cluster.control().lastMoveMillis(dataset).orElseThrow(
              () -> new IllegalStateException("the control service saw no move of " + dataset))
              * 1_000_000;
          backend.add(backendNanos);
          overhead.add(Math.max(0, took - backendNanos));
          overDelay.add(Math.max(0, took - delay * 1_000_000));
          LatencyBench.check(to.unmount(volume, id), "Unmount " + id);
        }
        mount.wall(System.nanoTime() - wall);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("mount_p50_ms", Latencies.round(mount.ms(0.5)));
        row.put("mount_max_ms", Latencies.round(mount.ms(1.0)));
        row.put("backend_p50_ms", Latencies.round(backend.ms(0.5)));
        row.put("overhead_p50_ms", Latencies.round(overhead.ms(0.5)));
        row.put("overhead_max_ms", Latencies.round(overhead.ms(1.0)));
        row.put("over_delay_p50_ms", Latencies.round(overDelay.ms(0.5)));
        row.put("n", mount.count());
        r.row("Mount on B of a volume unmounted on A", "delay " + delay + " ms", row);
        r.put("overhead_p50_ms_delay_" + delay, overhead.ms(0.5));
        r.put("backend_p50_ms_delay_" + delay, backend.ms(0.5));
        r.put("over_delay_p50_ms_delay_" + delay, overDelay.ms(0.5));
        worstOverhead = Math.max(worstOverhead, overhead.ms(0.5));
      }
      r.put("overhead_p50_ms_worst", worstOverhead);
    }
    return r;
  }

  private static void bounce(PluginClient c, String volume, String id) throws Exception {
    LatencyBench.check(c.mount(volume, id), "Mount " + id);
    LatencyBench.check(c.unmount(volume, id), "Unmount " + id);
  }
}
