package io.flockerdocker.sim.bench;

import io.flockerdocker.agent.dataset.transfer.DataPlaneTls;
import io.flockerdocker.sim.scenario.LocalCluster;
import io.flockerdocker.sim.scenario.PluginClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * {@code bench move}: what a real move costs on a two-node cluster with mTLS everywhere. A full
 * move of {@code --move-mib} (default 1024) MiB of mixed files, an incremental move back after 1%
 * of the files changed, and the fixed cost of moving an empty volume, each measured as the Mount
 * latency on the receiving node. The floor is the same files through a plain JSSE TLS socket copy
 * between the same two dataset roots, in the same run ({@link TlsCopyFloor}).
 */
final class MoveBench {
  private MoveBench() {}

  static Report run(BenchMain.Options o) throws Exception {
    Report r = new Report("move");
    long bytes = (long) o.moveMib() * 1024 * 1024;
    try (LocalCluster cluster = LocalCluster.start(BenchMain.cluster(2, o).withTls(true),
            Duration.ofSeconds(120));
        PluginClient a = new PluginClient(cluster.agent(1).layout().socket());
        PluginClient b = new PluginClient(cluster.agent(2).layout().socket())) {
      // warm both agents (entity, lease, data channel, JIT) on a small volume first
      LatencyBench.check(a.create("bench-warm", Map.of()), "Create");
      Path warm = Path.of(LatencyBench.check(a.mount("bench-warm", "w"), "Mount").mountpoint());
      MixedTree.write(warm, 8L * 1024 * 1024, 7);
      LatencyBench.check(a.unmount("bench-warm", "w"), "Unmount");
      for (int i = 0; i < 3; i++) {
        bounce(i % 2 == 0 ? b : a, "bench-warm", "warm" + i);
      }

      double empty = emptyMoves(a, b);
      BenchMain.say("move: writing " + o.moveMib() + " MiB of mixed files on node1");
      LatencyBench.check(a.create("bench-move", Map.of()), "Create");
      Path src = Path.of(LatencyBench.check(a.mount("bench-move", "w"), "Mount").mountpoint());
      List<Path> files = MixedTree.write(src, bytes, 42);
      LatencyBench.check(a.unmount("bench-move", "w"), "Unmount");

      BenchMain.say("move: floor (plain TLS socket copy of the same files)");
      Path floorDir = cluster.agent(2).layout().dir().resolve("floor-copy");
      double floorMibS = TlsCopyFloor.copy(src, floorDir, tls(cluster, 1), tls(cluster, 2));
      deleteTree(floorDir);

      BenchMain.say("move: full move node1 -> node2");
      long t0 = System.nanoTime();
      Path dst = Path.of(LatencyBench.check(b.mount("bench-move", "m1"), "Mount").mountpoint());
      double fullS = (System.nanoTime() - t0) / 1e9;
      // 1% of the files, spread evenly over the tree (the first ones would include the 512 MiB
      // file, and then the "incremental" move would carry most of the bytes)
      int changed = Math.max(1, files.size() / 100);
      List<Path> touched = new java.util.ArrayList<>();
      for (int i = 0; i < changed; i++) {
        touched.add(src.relativize(files.get((2 * i + 1) * files.size() / (2 * changed))));
      }
      MixedTree.touch(dst, touched, 99);
      long bytesChanged = touched.stream().mapToLong(t -> size(dst.resolve(t.toString()))).sum();
      LatencyBench.check(b.unmount("bench-move", "m1"), "Unmount");

      BenchMain.say("move: incremental move node2 -> node1 (" + changed + " files changed)");
      t0 = System.nanoTime();
      LatencyBench.check(a.mount("bench-move", "m2"), "Mount");
      double incS = (System.nanoTime() - t0) / 1e9;
      LatencyBench.check(a.unmount("bench-move", "m2"), "Unmount");

      double mib = bytes / (1024.0 * 1024.0);
      double fullMibS = mib / fullS;
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("floor_mib_s", Latencies.round(floorMibS));
      row.put("full_s", Latencies.round(fullS));
      row.put("full_mib_s", Latencies.round(fullMibS));
      row.put("full_vs_floor_pct", Latencies.round(100 * fullMibS / floorMibS));
      row.put("incremental_s", Latencies.round(incS));
      row.put("incremental_vs_full_pct", Latencies.round(100 * incS / fullS));
      row.put("empty_move_ms", Latencies.round(empty));
      row.put("files", files.size());
      r.row("moves of " + o.moveMib() + " MiB of mixed files", "node1 <-> node2, mTLS", row);
      r.put("move_mib", o.moveMib());
      r.put("files", files.size());
      r.put("files_changed", changed);
      r.put("bytes_changed", bytesChanged);
      r.put("floor_mib_s", floorMibS);
      r.put("full_move_s", fullS);
      r.put("full_move_mib_s", fullMibS);
      r.put("full_vs_floor_pct", 100 * fullMibS / floorMibS);
      r.put("incremental_move_s", incS);
      r.put("incremental_vs_full_pct", 100 * incS / fullS);
      r.put("empty_move_p50_ms", empty);
    }
    return r;
  }

  /** The data channel's own TLS context of node {@code n}: the floor uses the same certificates. */
  private static SSLContext tls(LocalCluster cluster, int n) throws Exception {
    Path dir = cluster.agent(n).layout().tlsDir();
    return DataPlaneTls.load(dir.resolve("node.crt"), dir.resolve("node.key"),
        dir.resolve("cluster.crt"));
  }

  /** p50 of 10 moves of an empty volume back and forth: the fixed cost of a move. */
  private static double emptyMoves(PluginClient a, PluginClient b) throws Exception {
    LatencyBench.check(a.create("bench-empty", Map.of()), "Create");
    bounce(a, "bench-empty", "e0");
    Latencies l = new Latencies();
    for (int i = 0; i < 10; i++) {
      PluginClient to = i % 2 == 0 ? b : a;
      long t0 = System.nanoTime();
      LatencyBench.check(to.mount("bench-empty", "e" + (i + 1)), "Mount");
      l.add(System.nanoTime() - t0);
      LatencyBench.check(to.unmount("bench-empty", "e" + (i + 1)), "Unmount");
    }
    return l.ms(0.5);
  }

  private static void bounce(PluginClient c, String volume, String id) throws Exception {
    LatencyBench.check(c.mount(volume, id), "Mount " + id);
    LatencyBench.check(c.unmount(volume, id), "Unmount " + id);
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static void deleteTree(Path dir) throws java.io.IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
