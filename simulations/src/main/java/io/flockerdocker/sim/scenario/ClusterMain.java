package io.flockerdocker.sim.scenario;

import io.flockerdocker.protocol.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/**
 * {@code cluster --nodes N --dir DIR [--move-delay-ms M] [--socket-template T] [--tls]}: starts a
 * {@link LocalCluster}, prints the one-line ready JSON on stdout, and runs until SIGTERM or
 * SIGINT, then stops everything it started and exits 0.
 */
@Command(name = "cluster", sortOptions = false, usageHelpWidth = 100,
    synopsisHeading = "usage: ",
    customSynopsis = "flocker-docker cluster --nodes N --dir DIR [--move-delay-ms M]"
        + " [--socket-template T] [--tls]",
    optionListHeading = "",
    description = {"control service + N agents on 127.0.0.1; one JSON ready line on stdout",
        "runs until SIGTERM or SIGINT, then stops everything it started"})
public final class ClusterMain implements Callable<Integer> {
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "this help")
  boolean help;

  @Option(names = "--nodes", paramLabel = "N", required = true,
      description = "node agents to start, each in its own JVM (1 to 64)")
  int nodes;

  @Option(names = "--dir", paramLabel = "DIR", required = true,
      description = "where the state, configurations and logs go")
  Path dir;

  @Option(names = "--move-delay-ms", paramLabel = "M", defaultValue = "0",
      description = "a fixed delay added to every dataset move (0 to 600000, default"
          + " ${DEFAULT-VALUE})")
  int moveDelayMs;

  @Option(names = "--socket-template", paramLabel = "T",
      description = {"node n's plugin socket, {n} replaced by 1..N",
          "(default DIR/node{n}/plugins/flocker.sock)"})
  String socketTemplate;

  @Option(names = "--tls", description = "cluster TLS, data-plane TLS and control-service mTLS,"
      + " with certificates made under DIR")
  boolean tls;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    within("--nodes", nodes, 1, 64);
    within("--move-delay-ms", moveDelayMs, 0, 600_000);
    if (dir.toString().isBlank()) {
      throw usage("--dir must not be empty");
    }
    if (socketTemplate != null && !socketTemplate.contains("{n}") && nodes > 1) {
      throw usage("--socket-template must contain {n} when --nodes > 1");
    }
    CountDownLatch stop = new CountDownLatch(1);
    Signal.handle(new Signal("TERM"), s -> stop.countDown());
    Signal.handle(new Signal("INT"), s -> stop.countDown());
    System.err.println("starting control service and " + nodes + " agents under "
        + dir.toAbsolutePath());
    try (LocalCluster cluster = LocalCluster.start(LocalCluster.Options.of(nodes, dir)
        .withMoveDelay(Duration.ofMillis(moveDelayMs)).withSocketTemplate(socketTemplate)
        .withTls(tls),
        Duration.ofSeconds(120))) {
      System.out.println(readyLine(cluster));
      System.out.flush();
      stop.await();
      System.err.println("stopping cluster");
    }
    return 0;
  }

  private void within(String option, int value, int min, int max) {
    if (value < min || value > max) {
      throw usage(option + " must be between " + min + " and " + max + ", got " + value);
    }
  }

  private ParameterException usage(String reason) {
    return new ParameterException(spec.commandLine(), reason);
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
