package io.flockerdocker.sim.bench;

import io.flockerdocker.sim.scenario.LocalCluster;
import io.flockerdocker.sim.scenario.PluginClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * {@code bench latency}: the read endpoints and Mount/Unmount of a volume already on this node,
 * against a 1-node cluster, with keep-alive and with a connection per request, next to the same
 * client against {@link BaselineServer} in this process. Ratios agent/baseline are the headline.
 */
final class LatencyBench {
  private static final String VOLUME = "bench-lat";
  private static final int JIT_WARMUP = 40_000;

  private LatencyBench() {}

  static Report run(BenchMain.Options o) throws Exception {
    Report r = new Report("latency");
    int n = o.requests();
    int warm = Math.max(1000, n / 10);
    int mounts = Math.max(200, n / 10);
    r.put("requests_per_row", n).put("warmup_per_row", warm).put("mount_pairs_per_row", mounts);
    try (BaselineServer baseline = new BaselineServer(o.dir().resolve("baseline.sock"));
        LocalCluster cluster = LocalCluster.start(BenchMain.cluster(1, o),
            Duration.ofSeconds(120))) {
      Path socket = cluster.agent(1).layout().socket();
      try (PluginClient setup = new PluginClient(socket)) {
        check(setup.create(VOLUME, Map.of()), "Create");
        check(setup.mount(VOLUME, "holder"), "Mount holder");
      }
      String name = "{\"Name\":\"" + VOLUME + "\"}";
      // the agents run C2 like a real host: let it compile the request path before timing
      BenchMain.say("latency: warming the agent's JIT with " + JIT_WARMUP + " requests");
      for (String[] op : new String[][] {{"VolumeDriver.Get", name}, {"VolumeDriver.List", "{}"},
          {"VolumeDriver.Path", name}, {"VolumeDriver.Capabilities", "{}"}}) {
        timed(socket, true, op[0], op[1], 0, JIT_WARMUP / 4);
      }
      timed(baseline.path(), true, "VolumeDriver.Get", name, 0, JIT_WARMUP / 4);
      r.put("jit_warmup_requests", JIT_WARMUP);
      for (boolean keepAlive : new boolean[] {true, false}) {
        String mode = keepAlive ? "keep-alive" : "new-conn";
        BenchMain.say("latency: " + mode);
        Latencies base = timed(baseline.path(), keepAlive, "VolumeDriver.Get", name, n, warm);
        r.row("latency (ms) " + mode, "baseline", base.summary());
        for (String[] op : new String[][] {
            {"Get", "VolumeDriver.Get", name}, {"List", "VolumeDriver.List", "{}"},
            {"Path", "VolumeDriver.Path", name},
            {"Capabilities", "VolumeDriver.Capabilities", "{}"}}) {
          Latencies l = timed(socket, keepAlive, op[1], op[2], n, warm);
          r.row("latency (ms) " + mode, op[0], withRatio(l, base));
          if (keepAlive && (op[0].equals("Get") || op[0].equals("List"))) {
            String k = op[0].toLowerCase();
            r.put(k + "_p50_ratio", l.ms(0.5) / base.ms(0.5));
            r.put(k + "_p99_ms", l.ms(0.99));
          }
        }
        Latencies[] mu = mountUnmount(socket, keepAlive, mounts);
        r.row("latency (ms) " + mode, "Mount", withRatio(mu[0], base));
        r.row("latency (ms) " + mode, "Unmount", withRatio(mu[1], base));
      }
      r.put("agent_rss_mb", AgentStats.rssMb(cluster.agent(1).pid()));
    }
    return r;
  }

  private static Map<String, Object> withRatio(Latencies l, Latencies base) {
    Map<String, Object> m = l.summary();
    m.put("p50_vs_base", Latencies.round(l.ms(0.5) / base.ms(0.5)));
    m.put("p99_vs_base", Latencies.round(l.ms(0.99) / base.ms(0.99)));
    return m;
  }

  /** {@code warm} untimed requests, then {@code n} timed ones, one after the other. */
  static Latencies timed(Path socket, boolean keepAlive, String endpoint, String body, int n,
      int warm) throws IOException {
    byte[] req = BenchClient.request(endpoint, body);
    Latencies l = new Latencies();
    try (BenchClient c = new BenchClient(socket, keepAlive)) {
      for (int i = 0; i < warm; i++) {
        c.send(req);
      }
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        long t0 = System.nanoTime();
        int status = c.send(req);
        l.add(System.nanoTime() - t0);
        if (status != 200 || c.lastHadErr()) {
          l.error();
        }
      }
      l.wall(System.nanoTime() - start);
    }
    return l;
  }

  /** Mount then Unmount with a fresh id each time; the volume stays here ("holder" mount). */
  private static Latencies[] mountUnmount(Path socket, boolean keepAlive, int pairs)
      throws IOException {
    Latencies mount = new Latencies();
    Latencies unmount = new Latencies();
    try (BenchClient c = new BenchClient(socket, keepAlive)) {
      int warm = Math.max(50, pairs / 10);
      long start = System.nanoTime();
      for (int i = -warm; i < pairs; i++) {
        if (i == 0) {
          start = System.nanoTime();
        }
        String body = "{\"Name\":\"" + VOLUME + "\",\"ID\":\"b" + keepAlive + i + "\"}";
        long t0 = System.nanoTime();
        int s1 = c.send(BenchClient.request("VolumeDriver.Mount", body));
        long t1 = System.nanoTime();
        boolean e1 = s1 != 200 || c.lastHadErr();
        int s2 = c.send(BenchClient.request("VolumeDriver.Unmount", body));
        long t2 = System.nanoTime();
        boolean e2 = s2 != 200 || c.lastHadErr();
        if (i >= 0) {
          mount.add(t1 - t0);
          unmount.add(t2 - t1);
          if (e1) {
            mount.error();
          }
          if (e2) {
            unmount.error();
          }
        }
      }
      long wall = System.nanoTime() - start;
      mount.wall(wall);
      unmount.wall(wall);
    }
    return new Latencies[] {mount, unmount};
  }

  static PluginClient.Reply check(PluginClient.Reply reply, String what) {
    if (!reply.ok()) {
      throw new IllegalStateException(what + " failed: HTTP " + reply.status() + " "
          + reply.body());
    }
    return reply;
  }
}
