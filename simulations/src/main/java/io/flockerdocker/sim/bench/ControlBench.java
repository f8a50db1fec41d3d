package io.flockerdocker.sim.bench;

import com.typesafe.config.ConfigFactory;
import io.flockerdocker.agent.flocker.FlockerClient;
import io.flockerdocker.agent.flocker.HttpFlockerClient;
import io.flockerdocker.agent.flocker.NamedCreate;
import io.flockerdocker.control.ControlService;
import io.flockerdocker.control.ControlSettings;
import io.flockerdocker.protocol.flocker.CreateDatasetRequest;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.NodeReport;
import io.flockerdocker.protocol.flocker.ReportedDataset;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * {@code bench control}: the control service alone (in this JVM) with 0, 10,000 and --volumes
 * datasets (default 100,000), three hosts reporting them all manifest: creates/s at concurrency 16
 * through create-if-name-unused and through the plain API's read-all-then-create-by-tag (the
 * extensions turned off), response bytes of one idle poll of the four lists an agent reads, with
 * and without ETags, and of one idle watch; the service's heap and its restart time at the size.
 */
final class ControlBench {
  private static final int CONCURRENCY = 16;
  private static final long CREATE_NANOS = 10_000_000_000L;
  private static final List<String> POLLED = List.of("/v1/configuration/datasets",
      "/v1/state/datasets", "/v1/state/nodes", "/v1/configuration/leases");

  private ControlBench() {}

  static Report run(BenchMain.Options o) throws Exception {
    Report r = new Report("control").put("create_concurrency", CONCURRENCY);
    TreeSet<Integer> sizes = new TreeSet<>(List.of(0, 10_000, o.volumes()));
    sizes.removeIf(n -> n > o.volumes());
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "control-bench",
        ConfigFactory.parseString(String.join("\n",
            "pekko.http.host-connection-pool.max-connections = 64",
            "pekko.http.host-connection-pool.max-open-requests = 256",
            // 100k datasets are ~15 MB of JSON; Pekko refuses over 8 MB by default
            "pekko.http.client.parsing.max-content-length = 512m",
            "pekko.http.parsing.max-to-strict-bytes = 512m",
            "pekko.loglevel = WARNING")).withFallback(ConfigFactory.load()));
    try {
      // the first round would otherwise also pay for the JIT: warm the create path up first
      Path warm = o.dir().resolve("warm-up");
      ControlService w = ControlService.start(ControlSettings.defaults(warm))
          .toCompletableFuture().get();
      try {
        creates(new HttpFlockerClient(system, URI.create(w.url()), Optional.empty(),
            Duration.ofSeconds(60)), "warm", 5_000_000_000L);
      } finally {
        w.stop().toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
      for (int n : sizes) {
        for (boolean on : List.of(true, false)) {
          measure(r, system, o.dir().resolve(n + (on ? "-on" : "-off")), n, on);
        }
      }
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    return r;
  }

  private static void measure(Report r, ActorSystem<Void> system, Path dir, int n, boolean on)
      throws Exception {
    String mode = on ? "extensions" : "plain";
    long before = usedHeap(); // the previous round's service is unreachable by now
    ControlService control = ControlService.start(ControlSettings.defaults(dir)
        .withExtensions(on)).toCompletableFuture().get();
    try {
      FlockerClient client = new HttpFlockerClient(system, URI.create(control.url()),
          Optional.empty(), Duration.ofSeconds(60));
      List<String> hosts = List.of(uuid(), uuid(), uuid());
      long t0 = System.nanoTime();
      control.preload("p", 0, n, hosts).toCompletableFuture().get(300, TimeUnit.SECONDS);
      report(client, hosts);
      double loadS = (System.nanoTime() - t0) / 1e9;
      BenchMain.say("control: " + n + " datasets, " + mode + ", preloaded and reported in "
          + Latencies.round(loadS) + " s");
      String label = n + " datasets, " + mode;

      Map<String, Object> idle = new LinkedHashMap<>();
      idle.put("full_poll_bytes", pollBytes(client, control, false));
      if (on) {
        pollBytes(client, control, true); // remember the ETags
        idle.put("etag_poll_bytes", pollBytes(client, control, true));
        long sent = control.responseBytes();
        await(client.awaitChange(Duration.ofSeconds(1), Duration.ofSeconds(1))); // learn token
        idle.put("watch_event_bytes", control.responseBytes() - sent);
        sent = control.responseBytes();
        await(client.awaitChange(Duration.ofSeconds(1), Duration.ofSeconds(1))); // times out
        idle.put("idle_watch_bytes", control.responseBytes() - sent);
      }
      r.row("idle read cost (response body bytes)", label, idle);

      Latencies creates = creates(client, "c" + mode, CREATE_NANOS);
      Map<String, Object> row = new LinkedHashMap<>(creates.summary());
      r.row("create-if-name-unused at concurrency 16 (ms)", label, row);
      r.put("create_per_s_" + mode + "_at_" + n, creates.perSecond());

      // what the running service retains (its datasets, indexes and rendered lists), measured
      // against the heap before it started: a stopped service object still holds its store
      long heap = usedHeap() - before;
      control.stop().toCompletableFuture().get(60, TimeUnit.SECONDS);
      Map<String, Object> mem = new LinkedHashMap<>();
      mem.put("heap_mb_after_gc", Latencies.round(heap / 1048576.0));
      long t1 = System.nanoTime();
      control = ControlService.start(ControlSettings.defaults(dir).withExtensions(on))
          .toCompletableFuture().get();
      mem.put("restart_s", Latencies.round((System.nanoTime() - t1) / 1e9));
      r.row("control service", label, mem);
      if (on) {
        r.put("idle_poll_bytes_full_at_" + n, idle.get("full_poll_bytes"));
        r.put("idle_poll_bytes_etag_at_" + n, idle.get("etag_poll_bytes"));
        r.put("control_heap_mb_at_" + n, mem.get("heap_mb_after_gc"));
      }
    } finally {
      control.stop().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  /** Each host reports its third of the datasets manifest, as converged dataset agents do. */
  private static void report(FlockerClient client, List<String> hosts) throws Exception {
    List<DatasetConfiguration> all = await(client.listAllDatasetsConfiguration()).datasets();
    for (String host : hosts) {
      List<ReportedDataset> mine = new ArrayList<>();
      for (DatasetConfiguration d : all) {
        if (d.primary().equals(host)) {
          mine.add(new ReportedDataset(d.datasetId(), ReportedDataset.MANIFEST,
              "/flocker/" + d.datasetId(), 1, null, null));
        }
      }
      await(client.reportState(new NodeReport(host, "127.0.0.1", 4524, "directory", 1, 1, mine)));
    }
  }

  /** Body bytes the service sends for one poll of the four lists (conditional or not). */
  private static long pollBytes(FlockerClient client, ControlService control,
      boolean conditional) throws Exception {
    long before = control.responseBytes();
    if (conditional) {
      await(client.listAllDatasetsConfigurationIfChanged());
      await(client.listDatasetsStateIfChanged());
      await(client.listNodesIfChanged());
      await(client.listLeasesIfChanged());
    } else {
      await(client.listAllDatasetsConfiguration());
      await(client.listDatasetsState());
      await(client.listNodes());
      await(client.listLeases());
    }
    return control.responseBytes() - before;
  }

  /** CONCURRENCY creators with unique names for {@code budget}; each create's latency. */
  private static Latencies creates(FlockerClient client, String prefix, long budget)
      throws Exception {
    Latencies l = new Latencies();
    AtomicInteger next = new AtomicInteger();
    long start = System.nanoTime();
    List<CompletableFuture<Void>> workers = new ArrayList<>();
    for (int w = 0; w < CONCURRENCY; w++) {
      workers.add(loop(client, prefix, next, l, start, budget));
    }
    for (CompletableFuture<Void> w : workers) {
      w.get(budget / 1_000_000_000L + 300, TimeUnit.SECONDS);
    }
    l.wall(System.nanoTime() - start);
    return l;
  }

  private static CompletableFuture<Void> loop(FlockerClient client, String prefix,
      AtomicInteger next, Latencies l, long start, long budget) {
    if (System.nanoTime() - start > budget) {
      return CompletableFuture.completedFuture(null);
    }
    long t0 = System.nanoTime();
    CreateDatasetRequest req = new CreateDatasetRequest(uuid(), null, null,
        Map.of(DatasetConfiguration.NAME_KEY, prefix + next.getAndIncrement()));
    return client.createDatasetIfNameUnused(req).toCompletableFuture()
        .handle((outcome, e) -> {
          if (e != null || !(outcome instanceof NamedCreate.Created)) {
            l.error();
            if (l.errors() <= 3) {
              BenchMain.say("create failed: " + (e != null ? e.getMessage() : outcome));
            }
          } else {
            l.add(System.nanoTime() - t0);
          }
          return null;
        })
        .thenCompose(x -> loop(client, prefix, next, l, start, budget));
  }

  private static long usedHeap() {
    System.gc();
    System.gc();
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  private static String uuid() {
    return UUID.randomUUID().toString();
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(300, TimeUnit.SECONDS);
  }
}
