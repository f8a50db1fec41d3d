package io.flockerdocker.sim.bench;

import io.flockerdocker.control.ControlService;
import io.flockerdocker.sim.scenario.AgentGroup;
import io.flockerdocker.sim.scenario.AgentProcess;
import io.flockerdocker.sim.scenario.LocalCluster;
import io.flockerdocker.sim.scenario.PluginClient;
import io.flockerdocker.sim.scenario.ScaleCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * {@code bench scale --nodes H --volumes V}: the scale model of issue 16. H real agents (node1
 * alone in its JVM, the others 10 to a JVM, see {@link ScaleCluster}) against one control service
 * in this JVM. In order:
 *
 * <ol>
 *   <li>idle control-service traffic with 0 volumes (requests/s, body bytes/s both ways);
 *   <li>Creates through the plugin API, 16 in flight over the nodes' sockets, on the empty
 *       cluster (bounded by V and by time);
 *   <li>the rest of the V volumes preloaded into the control service in one commit, dealt
 *       round-robin to all nodes (as volumes other hosts made earlier); then until node1 lists
 *       them all;
 *   <li>Creates through the plugin API again with V present ({@code create_per_s}), with the
 *       traffic they cause;
 *   <li>Mount+Unmount on node1 of volumes made on node1 (local) and on node2 (remote: a move);
 *   <li>List p50/p99 on node1; until every node has made the copies of the volumes created on
 *       it (bounded), then idle traffic with V volumes;
 *   <li>node1's RSS and heap, the group JVMs' RSS per agent; then node1 restarted three times:
 *       seconds to ready (/health/ready; the median, and each) and to listing every volume.
 * </ol>
 *
 * Nothing here knows how the agent reads the control service: run it on an agent that polls and
 * on one that watches, and compare the same keys (see {@link ScaleKeys}).
 */
final class ScaleBench {
  static final int CONCURRENCY = 16;
  static final int PER_JVM = 10;
  private static final int IDLE_SECONDS = 10;
  private static final int SETTLE_MS = 3000;
  private static final long CREATE_NANOS = 10_000_000_000L;
  private static final long CREATE_ZERO_NANOS = 5_000_000_000L;
  /** Preloaded volumes belong to hosts that run no agent here: see {@link #phantomHosts}. */
  static final int PHANTOM_HOSTS = 100;
  private static final int MOUNTS = 20;
  private static final int RESTARTS = 3;
  // bounds that keep --volumes 100000 under 10 minutes on today's agent (it took 10.9 without)
  private static final Duration MOUNT_BUDGET = Duration.ofSeconds(30);
  private static final Duration COPIES_BUDGET = Duration.ofSeconds(120);
  /** Until the copies of every Create are made, so that the idle window has nothing pending. */
  private static final Duration IDLE_WAIT_BUDGET = Duration.ofMinutes(3);

  /**
   * node1's JVM flags: the launcher's {@code AGENT_JAVA_OPTS} when set (to measure other flags on
   * the agent whose RSS and restart are reported), else the production ones at every size.
   */
  static List<String> soloFlags() {
    String opts = System.getenv("AGENT_JAVA_OPTS");
    if (opts != null && !opts.isBlank()) {
      return List.of(opts.strip().split("\\s+"));
    }
    return LocalCluster.Options.PRODUCTION_JVM;
  }

  private ScaleBench() {}

  static Report run(BenchMain.Options o) throws Exception {
    int h = o.nodes();
    int v = o.volumes();
    Report r = new Report("scale").put("nodes", h).put("volumes", v)
        .put("agents_per_jvm", PER_JVM).put("create_concurrency", CONCURRENCY)
        .put("commit", Commit.of(System.getProperty("flocker-docker.home")));
    // a group JVM gets the production heap once per agent it hosts
    int heap = LocalCluster.Options.productionHeapMb();
    r.put("agent_heap_mb", heap);
    List<String> soloFlags = soloFlags();
    r.put("agent_java_opts", String.join(" ", soloFlags));
    // node1 starts from the class-data-sharing archive its first run recorded, like a host
    r.put("agent_cds_archive", true);
    Duration startBudget = Duration.ofSeconds(120 + 3L * h);
    BenchMain.say("scale: starting the control service and " + h + " agents");
    long t0 = System.nanoTime();
    try (ScaleCluster cluster = ScaleCluster.start(h, PER_JVM, o.dir().resolve("cluster"),
        soloFlags, heap, startBudget)) {
      r.put("cluster_start_s", seconds(t0));
      ControlService control = cluster.control();
      Path node1 = cluster.layout(1).socket();

      Thread.sleep(SETTLE_MS);
      BenchMain.say("scale: idle traffic with 0 volumes");
      Traffic.over(control, IDLE_SECONDS).put(r, "idle_", "_at_zero", h);

      BenchMain.say("scale: creates on the empty cluster, " + CONCURRENCY + " in flight");
      Creates zero = Creates.run(cluster, "c", v, CREATE_ZERO_NANOS, CONCURRENCY);
      zero.traffic().put(r, "create_load_", "_at_zero", h);
      r.put("create_per_s_at_zero", zero.perSecond())
          .put("create_errors_at_zero", zero.latencies().errors());
      r.row("Create (ms, 16 in flight)", "from 0 volumes", zero.latencies().summary());
      int present = zero.made();

      BenchMain.say("scale: making " + MOUNTS + " volumes on node1 and node2 to mount");
      present += mountVolumes(cluster, "ml", 1);
      if (h > 1) {
        present += mountVolumes(cluster, "mr", 2);
      }

      int rest = v - present;
      t0 = System.nanoTime();
      if (rest > 0) {
        BenchMain.say("scale: preloading " + rest + " volumes of " + PHANTOM_HOSTS
            + " other hosts into the control service");
        control.preload("p", 0, rest, phantomHosts()).toCompletableFuture()
            .get(300, java.util.concurrent.TimeUnit.SECONDS);
        r.put("preload_s", seconds(t0));
        present += rest;
      }
      awaitListed(node1, present, Duration.ofMinutes(5));
      r.put("catalog_s", seconds(t0));

      // a new volume is mountable once its host's dataset agent made its copy: one step per
      // converge tick, so the creates above queue there (see docs/scale.md)
      BenchMain.say("scale: waiting for node1 and node2 to make their copies");
      t0 = System.nanoTime();
      long copiesBy = System.nanoTime() + COPIES_BUDGET.toNanos();
      boolean copies = Copies.await(cluster, 1, zero.madeOn(1) + MOUNTS, copiesBy)
          && (h == 1 || Copies.await(cluster, 2, zero.madeOn(2) + MOUNTS, copiesBy));
      r.put("copies_s", copies ? seconds(t0) : null);

      BenchMain.say("scale: Mount+Unmount on node1, local and remote");
      Traffic.Mark m0 = Traffic.Mark.of(control);
      Latencies local = mounts(node1, "ml");
      Latencies remote = h > 1 ? mounts(node1, "mr") : null;
      Traffic.between(m0, Traffic.Mark.of(control)).put(r, "mount_load_", "", h);
      r.row("Mount on node1 (ms)", "local", local.summary());
      r.put("mount_local_p50_ms", num(local.ms(0.5))).put("mount_local_p99_ms",
          num(local.ms(0.99))).put("mount_local_errors", local.errors());
      if (remote != null) {
        r.row("Mount on node1 (ms)", "remote (moved from node2)", remote.summary());
        r.put("mount_remote_p50_ms", num(remote.ms(0.5)))
            .put("mount_remote_p99_ms", num(remote.ms(0.99)))
            .put("mount_remote_errors", remote.errors());
      }

      BenchMain.say("scale: creates with " + present + " volumes present");
      Creates full = Creates.run(cluster, "w", Integer.MAX_VALUE, CREATE_NANOS, CONCURRENCY);
      full.traffic().put(r, "create_load_", "", h);
      r.put("create_per_s", full.perSecond())
          .put("create_p50_ms", num(full.latencies().ms(0.5)))
          .put("create_p99_ms", num(full.latencies().ms(0.99)))
          .put("create_errors", full.latencies().errors());
      r.row("Create (ms, 16 in flight)", "with " + present + " volumes",
          full.latencies().summary());
      present += full.made();
      r.put("volumes_at_end", present);

      BenchMain.say("scale: List on node1");
      awaitListed(node1, present, Duration.ofMinutes(2));
      int lists = present >= 50_000 ? 50 : 200;
      Latencies list = LatencyBench.timed(node1, true, "VolumeDriver.List", "{}", lists, 10);
      r.row("List on node1 (ms)", present + " volumes", list.summary());
      r.put("list_p50_ms", num(list.ms(0.5))).put("list_p99_ms", num(list.ms(0.99)));

      BenchMain.say("scale: waiting for every node to make the copies of its volumes");
      t0 = System.nanoTime();
      r.put("idle_wait_complete", Copies.awaitAll(cluster, IDLE_WAIT_BUDGET));
      r.put("idle_wait_s", seconds(t0));
      Thread.sleep(SETTLE_MS);
      BenchMain.say("scale: idle traffic with " + present + " volumes");
      Traffic idle = Traffic.over(control, IDLE_SECONDS);
      idle.put(r, "idle_", "", h);

      AgentProcess solo = cluster.solo();
      r.put("rss_mb", AgentStats.rssMb(solo.pid()))
          .put("heap_used_mb", AgentStats.heapUsedMb(solo.pid()));
      if (h > 1) {
        double rss = 0;
        for (AgentGroup g : cluster.groups()) {
          rss += AgentStats.rssMb(g.pid());
        }
        r.put("group_rss_mb_per_agent", rss / (h - 1));
      }

      // a restart's time depends on what the box does meanwhile: the median of three
      List<Double> readies = new ArrayList<>();
      for (int i = 1; i <= RESTARTS; i++) {
        BenchMain.say("scale: restarting node1 (" + i + " of " + RESTARTS + ")");
        solo.stop(Duration.ofSeconds(15));
        t0 = System.nanoTime();
        cluster.startSolo();
        long until = t0 + 180_000_000_000L;
        while (!ScaleCluster.ready(cluster.layout(1))) {
          if (!solo.alive() || System.nanoTime() > until) {
            throw new IllegalStateException("node1 did not come back; see "
                + cluster.layout(1).log());
          }
          Thread.sleep(20);
        }
        readies.add(seconds(t0));
        awaitListed(node1, present, Duration.ofMinutes(3));
        r.put("ready_listed_s", seconds(t0));
      }
      r.put("ready_s_runs", readies);
      r.put("ready_s", readies.stream().sorted().toList().get(RESTARTS / 2));
      r.put("rss_mb_after_restart", AgentStats.rssMb(solo.pid()));
    } finally {
      int missing = ScaleKeys.complete(r);
      if (missing > 0) {
        BenchMain.say("scale: " + missing + " figures not measured (null)");
      }
    }
    return r;
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  /** NaN (no samples) as JSON null. */
  static Double num(double d) {
    return Double.isNaN(d) ? null : d;
  }

  /**
   * Node UUIDs of hosts that run no agent in this model. The preloaded volumes are theirs: the
   * agents here see them in the configuration (catalog, List, idle reads) but do not have to
   * make copies of them, which today's dataset agent does one per converge tick.
   */
  static List<String> phantomHosts() {
    List<String> uuids = new ArrayList<>();
    for (int i = 0; i < PHANTOM_HOSTS; i++) {
      uuids.add(new java.util.UUID(0x5ca1eL, i).toString());
    }
    return uuids;
  }

  /** Creates MOUNTS volumes prefix0.. through node n's plugin socket, one at a time. */
  private static int mountVolumes(ScaleCluster cluster, String prefix, int n) throws Exception {
    try (PluginClient c = new PluginClient(cluster.layout(n).socket())) {
      for (int i = 0; i < MOUNTS; i++) {
        PluginClient.Reply reply = c.create(prefix + i, Map.of());
        if (!reply.ok()) {
          throw new IllegalStateException("Create " + prefix + i + " on node" + n + ": "
              + reply.err());
        }
      }
    }
    return MOUNTS;
  }

  /**
   * Mount then Unmount of prefix0.. on {@code socket}; the Mount is timed. Stops starting new
   * ones after MOUNT_BUDGET (a Mount that times out takes 100 s).
   */
  private static Latencies mounts(Path socket, String prefix) throws Exception {
    Latencies l = new Latencies();
    long start = System.nanoTime();
    try (PluginClient c = new PluginClient(socket)) {
      for (int i = 0; i < MOUNTS && System.nanoTime() - start < MOUNT_BUDGET.toNanos(); i++) {
        long t0 = System.nanoTime();
        PluginClient.Reply m = c.mount(prefix + i, "bench" + i);
        l.add(System.nanoTime() - t0);
        if (!m.ok()) {
          l.error();
          BenchMain.say("Mount " + prefix + i + ": " + m.err());
          continue;
        }
        PluginClient.Reply u = c.unmount(prefix + i, "bench" + i);
        if (!u.ok()) {
          BenchMain.say("Unmount " + prefix + i + ": " + u.err());
        }
      }
    }
    l.wall(System.nanoTime() - start);
    return l;
  }

  /** Waits (bounded) until node1's List has at least n volumes: its view has caught up. */
  private static void awaitListed(Path socket, int n, Duration budget) throws Exception {
    long until = System.nanoTime() + budget.toNanos();
    try (PluginClient c = new PluginClient(socket)) {
      while (true) {
        int listed = c.list().body().path("Volumes").size();
        if (listed >= n) {
          return;
        }
        if (System.nanoTime() > until) {
          throw new IllegalStateException("node1 lists " + listed + " of " + n
              + " volumes after " + budget.toSeconds() + " s");
        }
        Thread.sleep(200);
      }
    }
  }

  /** One burst of Creates: latencies, volumes made, and the control traffic meanwhile. */
  record Creates(Latencies latencies, int made, double perSecond, Traffic traffic,
      AtomicIntegerArray madeOnNode) {
    /** Volumes made through node n's socket (1-based). */
    int madeOn(int n) {
      return madeOnNode.get(n - 1);
    }

    /**
     * Creates prefix0.. round-robin over the nodes' sockets, {@code concurrency} in flight,
     * until {@code max} are made or {@code budget} has passed.
     */
    static Creates run(ScaleCluster cluster, String prefix, int max, long budget,
        int concurrency) throws Exception {
      Latencies l = new Latencies();
      AtomicInteger next = new AtomicInteger();
      AtomicIntegerArray madeOn = new AtomicIntegerArray(cluster.nodes());
      ExecutorService pool = Executors.newFixedThreadPool(concurrency);
      List<Future<?>> workers = new ArrayList<>();
      Traffic.Mark before = Traffic.Mark.of(cluster.control());
      long start = System.nanoTime();
      for (int w = 0; w < concurrency; w++) {
        int node = w % cluster.nodes();
        Path socket = cluster.layout(node + 1).socket();
        workers.add(pool.submit(() -> {
          try (BenchClient c = new BenchClient(socket, true)) {
            for (int i = next.getAndIncrement(); i < max
                && System.nanoTime() - start < budget; i = next.getAndIncrement()) {
              long t0 = System.nanoTime();
              int status = c.send(BenchClient.request("VolumeDriver.Create",
                  "{\"Name\":\"" + prefix + i + "\",\"Opts\":{}}"));
              l.add(System.nanoTime() - t0);
              if (status != 200 || c.lastHadErr()) {
                l.error();
                if (l.errors() <= 3) {
                  BenchMain.say("Create " + prefix + i + " failed: " + c.body());
                }
              } else {
                madeOn.incrementAndGet(node);
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
      long wall = System.nanoTime() - start;
      l.wall(wall);
      Traffic t = Traffic.between(before, Traffic.Mark.of(cluster.control()));
      int made = l.count() - (int) l.errors();
      return new Creates(l, made, made * 1e9 / wall, t, madeOn);
    }
  }
}
