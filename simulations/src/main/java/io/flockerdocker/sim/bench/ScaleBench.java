package io.flockerdocker.sim.bench;

import io.flockerdocker.sim.control.ControlService;
import io.flockerdocker.sim.scenario.AgentProcess;
import io.flockerdocker.sim.scenario.LocalCluster;
import io.flockerdocker.sim.scenario.PluginClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code bench scale}: --volumes N (default 10,000) in a 3-node cluster: Create time at
 * concurrency 16, List latency with N volumes, agent heap and RSS, Flocker requests/s at idle
 * with 0 and with N volumes, and one agent's start-to-ready time with N volumes.
 */
final class ScaleBench {
  private static final int CONCURRENCY = 16;
  private static final int IDLE_SECONDS = 10;
  /** Creates get this long; what exists then is measured, so the suite stays under 5 min. */
  private static final long CREATE_BUDGET_NANOS = 90_000_000_000L;

  private ScaleBench() {}

  static Report run(BenchMain.Options o) throws Exception {
    int n = o.volumes();
    Report r = new Report("scale").put("volumes", n).put("create_concurrency", CONCURRENCY);
    try (LocalCluster cluster = LocalCluster.start(BenchMain.cluster(3, o),
        Duration.ofSeconds(120))) {
      ControlService control = cluster.control();
      r.row("per agent", "node1 at 0 volumes", memory(cluster.agent(1)));
      double[] idle0 = idle(control);
      r.row("idle Flocker traffic (all 3 agents)", "0 volumes", traffic(idle0));

      BenchMain.say("scale: creating " + n + " volumes, " + CONCURRENCY + " at a time");
      Latencies creates = create(cluster, n);
      r.row("Create", n + " volumes", creates.summary());
      r.put("create_seconds", creates.count() / creates.perSecond());
      r.put("creates_per_s", creates.perSecond());
      r.put("create_errors", creates.errors());
      int made = creates.count() - (int) creates.errors();
      r.put("volumes_created", made);
      if (made < n) {
        BenchMain.say("scale: only " + made + " of " + n + " created within the budget");
      }
      awaitListed(cluster, made);

      Path socket = cluster.agent(1).layout().socket();
      Latencies list = LatencyBench.timed(socket, true, "VolumeDriver.List", "{}", 500, 50);
      Latencies get = LatencyBench.timed(socket, true, "VolumeDriver.Get",
          "{\"Name\":\"v0\"}", 2000, 200);
      r.row("reads with " + made + " volumes (ms)", "List", list.summary());
      r.row("reads with " + made + " volumes (ms)", "Get", get.summary());
      r.put("list_p50_ms", list.ms(0.5)).put("list_p99_ms", list.ms(0.99));

      double[] idleN = idle(control);
      r.row("idle Flocker traffic (all 3 agents)", made + " volumes", traffic(idleN));
      r.put("idle_requests_per_s_0", idle0[0]).put("idle_requests_per_s_n", idleN[0]);
      r.put("idle_requests_ratio_n_vs_0", idleN[0] / idle0[0]);
      for (int i = 1; i <= 3; i++) {
        r.row("per agent", "node" + i + " at " + made + " volumes", memory(cluster.agent(i)));
      }
      Map<String, Object> m1 = memory(cluster.agent(1));
      r.put("agent_rss_mb", m1.get("rss_mb")).put("agent_heap_used_mb", m1.get("heap_used_mb"));

      BenchMain.say("scale: restarting node3");
      AgentProcess a3 = cluster.agent(3);
      a3.stop(Duration.ofSeconds(15));
      long t0 = System.nanoTime();
      a3.start();
      while (!a3.ready()) {
        if (!a3.alive() || System.nanoTime() - t0 > 120_000_000_000L) {
          throw new IllegalStateException("node3 did not come back; see " + a3.layout().log());
        }
        Thread.sleep(20);
      }
      double readyS = (System.nanoTime() - t0) / 1e9;
      r.put("agent_ready_seconds", readyS);
      r.row("per agent", "node3 restarted, ready after " + Latencies.round(readyS) + " s",
          memory(a3));
    }
    return r;
  }

  private static Map<String, Object> memory(AgentProcess a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rss_mb", Latencies.round(AgentStats.rssMb(a.pid())));
    m.put("heap_used_mb", Latencies.round(AgentStats.heapUsedMb(a.pid())));
    return m;
  }

  /** Requests/s and KB/s the control service answers over IDLE_SECONDS with nobody busy. */
  private static double[] idle(ControlService control) throws InterruptedException {
    Thread.sleep(2000); // let moves and waiters settle
    long req = control.requestCount();
    long bytes = control.responseBytes();
    Thread.sleep(IDLE_SECONDS * 1000L);
    return new double[] {(control.requestCount() - req) / (double) IDLE_SECONDS,
        (control.responseBytes() - bytes) / 1024.0 / IDLE_SECONDS};
  }

  private static Map<String, Object> traffic(double[] t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("requests_per_s", Latencies.round(t[0]));
    m.put("kb_per_s", Latencies.round(t[1]));
    return m;
  }

  /**
   * Creates v0..v(n-1) round-robin over the nodes, CONCURRENCY requests in flight, for at most
   * CREATE_BUDGET_NANOS; progress is logged every 500 so the falling rate shows.
   */
  private static Latencies create(LocalCluster cluster, int n) throws Exception {
    Latencies l = new Latencies();
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
    List<Future<?>> workers = new ArrayList<>();
    long start = System.nanoTime();
    for (int w = 0; w < CONCURRENCY; w++) {
      Path socket = cluster.agent(w % 3 + 1).layout().socket();
      workers.add(pool.submit(() -> {
        try (BenchClient c = new BenchClient(socket, true)) {
          for (int i = next.getAndIncrement(); i < n
              && System.nanoTime() - start < CREATE_BUDGET_NANOS; i = next.getAndIncrement()) {
            long t0 = System.nanoTime();
            int status = c.send(BenchClient.request("VolumeDriver.Create",
                "{\"Name\":\"v" + i + "\",\"Opts\":{}}"));
            l.add(System.nanoTime() - t0);
            if (status != 200 || c.lastHadErr()) {
              l.error();
              if (l.errors() <= 3) {
                BenchMain.say("Create v" + i + " failed: " + c.body());
              }
            }
            if (i > 0 && i % 500 == 0) {
              BenchMain.say("created " + i + " in " + (System.nanoTime() - start) / 1_000_000
                  + " ms");
            }
          }
        }
        return null;
      }));
    }
    for (Future<?> f : workers) {
      f.get();
    }
    pool.shutdown();
    l.wall(System.nanoTime() - start);
    return l;
  }

  /** Waits (bounded) until every node lists all n volumes: its poller has seen them. */
  private static void awaitListed(LocalCluster cluster, int n) throws Exception {
    long until = System.nanoTime() + 60_000_000_000L;
    for (int i = 1; i <= 3; i++) {
      try (PluginClient c = new PluginClient(cluster.agent(i).layout().socket())) {
        while (c.list().body().path("Volumes").size() < n) {
          if (System.nanoTime() > until) {
            throw new IllegalStateException("node" + i + " does not list " + n + " volumes");
          }
          Thread.sleep(200);
        }
      }
    }
  }
}
