package io.flockerdocker.sim.scenario;

import io.flockerdocker.sim.Args;
import io.flockerdocker.protocol.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * {@code cluster --nodes N --dir DIR [--move-delay-ms M] [--socket-template T] [--tls]}: starts a
 * {@link LocalCluster}, prints the one-line ready JSON on stdout, and runs until SIGTERM or
 * SIGINT, then stops everything it started and exits 0.
 */
public final class ClusterMain {
  private ClusterMain() {}

  public static int run(String[] argv) throws Exception {
    Args a = Args.parse(argv,
        Set.of("--nodes", "--dir", "--move-delay-ms", "--socket-template"), Set.of("--tls"));
    a.positionals(0, "no positional arguments");
    int nodes = a.intValue("--nodes", 0, 1, 64);
    if (nodes == 0) {
      throw new Args.UsageException("--nodes is required");
    }
    Path dir = Path.of(a.required("--dir"));
    int delay = a.intValue("--move-delay-ms", 0, 0, 600_000);
    String template = a.optional("--socket-template", null);
    if (template != null && !template.contains("{n}") && nodes > 1) {
      throw new Args.UsageException("--socket-template must contain {n} when --nodes > 1");
    }
    CountDownLatch stop = new CountDownLatch(1);
    Signal.handle(new Signal("TERM"), s -> stop.countDown());
    Signal.handle(new Signal("INT"), s -> stop.countDown());
    System.err.println("starting control service and " + nodes + " agents under "
        + dir.toAbsolutePath());
    try (LocalCluster cluster = LocalCluster.start(LocalCluster.Options.of(nodes, dir)
        .withMoveDelay(Duration.ofMillis(delay)).withSocketTemplate(template)
        .withTls(a.flag("--tls")),
        Duration.ofSeconds(120))) {
      System.out.println(readyLine(cluster));
      System.out.flush();
      stop.await();
      System.err.println("stopping cluster");
    }
    return 0;
  }

  /** The ready line of the command-line contract: one line of JSON. */
  static String readyLine(LocalCluster cluster) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("control", cluster.controlUrl());
    List<Map<String, Object>> nodes = new ArrayList<>();
    for (AgentProcess a : cluster.agents()) {
      AgentLayout l = a.layout();
      Map<String, Object> n = new LinkedHashMap<>();
      n.put("name", l.name());
      n.put("uuid", l.uuid());
      n.put("socket", l.socket().toString());
      n.put("status", l.statusUrl());
      n.put("mounts", l.mounts().toString());
      n.put("pid", a.pid());
      n.put("cluster", "127.0.0.1:" + l.clusterPort());
      n.put("data", "127.0.0.1:" + l.dataAdvertisePort());
      n.put("config", l.config().toString());
      n.put("log", l.log().toString());
      nodes.add(n);
    }
    line.put("nodes", nodes);
    return Json.write(line);
  }
}
