package io.flockerdocker.sim.scenario;

import io.flockerdocker.control.ControlService;
import io.flockerdocker.control.ControlSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The scale model: one control service in this JVM and H real agents on 127.0.0.1, plain (no
 * TLS). node1 runs alone in its own JVM ({@link AgentProcess}), so its RSS and restart are one
 * agent's; node2..H run {@code perJvm} to a JVM ({@link AgentGroup}). Agents run the production
 * intervals (poll 1 s, converge 1 s, heartbeat 2 s), not the fast ones of the test clusters.
 * There is no data proxy: remote Mounts pull straight from the other agent's data port.
 *
 * <p>node1 uses a class-data-sharing archive as a production host does (conf/flocker-docker.service):
 * its first run records it as it stops, and it is restarted once with it before {@link #start}
 * returns, so every figure of node1 is that of an agent started from its archive.
 */
public final class ScaleCluster implements AutoCloseable {
  /** Settings every agent gets on top of AgentLayout's: production pace, several per JVM. */
  static final String EXTRA = String.join("\n",
      "flocker-docker.dataset.converge-interval = 1 s",
      "flocker-docker.dataset.heartbeat = 2 s",
      "pekko.cluster.jmx.multi-mbeans-in-same-jvm = on",
      // up to 10 agents share a JVM's GC pauses on a shared 2-core box: a 3 s pause would make
      // members unreachable and the split-brain resolver down them
      "pekko.cluster.failure-detector.acceptable-heartbeat-pause = 10 s");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final ControlService control;
  private final List<AgentLayout> layouts;
  private final AgentProcess solo;
  private final Path soloArchive;
  private final List<AgentGroup> groups;

  private ScaleCluster(ControlService control, List<AgentLayout> layouts, AgentProcess solo,
      Path soloArchive, List<AgentGroup> groups) {
    this.control = control;
    this.layouts = layouts;
    this.solo = solo;
    this.soloArchive = soloArchive;
    this.groups = groups;
  }

  /**
   * Starts the control service and {@code nodes} agents under {@code dir}, and waits until every
   * agent answers ready. {@code soloJvm}: node1's JVM flags (a production host's);
   * {@code groupJvmPerAgent}: heap MB per agent of a group JVM.
   */
  public static ScaleCluster start(int nodes, int perJvm, Path dir, List<String> soloJvm,
      int groupHeapMbPerAgent, Duration timeout) throws Exception {
    dir = dir.toAbsolutePath();
    List<AgentLayout> layouts = new ArrayList<>();
    for (int n = 1; n <= nodes; n++) {
      Path nodeDir = dir.resolve("node" + n);
      int dataPort = AgentLayout.freePort();
      layouts.add(new AgentLayout(n, "node" + n, UUID.randomUUID().toString(), nodeDir,
          nodeDir.resolve("plugins").resolve("flocker.sock"), nodeDir.resolve("mounts"),
          AgentLayout.freePort(), AgentLayout.freePort(), dataPort, dataPort, null));
    }
    ControlService control = ControlService.start(
        ControlSettings.defaults(dir.resolve("control")).withPort(0))
        .toCompletableFuture().get(60, TimeUnit.SECONDS);
    AgentLayout.claim(control.port());
    List<AgentLayout> seeds = seeds(layouts);
    AgentProcess solo = new AgentProcess(layouts.get(0), soloJvm);
    List<AgentGroup> groups = new ArrayList<>();
    ScaleCluster cluster =
        new ScaleCluster(control, layouts, solo, dir.resolve("node1-agent.jsa"), groups);
    try {
      for (AgentLayout l : layouts) {
        l.writeConfig(control.url(), seeds, EXTRA);
      }
      cluster.startSolo();
      // one group JVM at a time: three of ten agents each starting together on 2 vCPUs held
      // their cluster heartbeats past the failure detector's pause (a 30 x 1k run was downed)
      List<AgentLayout> started = new ArrayList<>(List.of(layouts.get(0)));
      for (int from = 1; from < nodes; from += perJvm) {
        List<AgentLayout> members = layouts.subList(from, Math.min(nodes, from + perJvm));
        int heap = Math.min(6144, 64 + groupHeapMbPerAgent * members.size());
        AgentGroup g = new AgentGroup(members,
            LocalCluster.Options.productionJvm(heap),
            dir.resolve("group" + groups.size() + ".log"));
        groups.add(g);
        g.start();
        started.addAll(members);
        cluster.awaitReady(started, timeout);
      }
      cluster.awaitReady(timeout);
      solo.stop(Duration.ofSeconds(15));
      cluster.startSolo();
      cluster.awaitReady(timeout);
      return cluster;
    } catch (Exception e) {
      cluster.close();
      throw e;
    }
  }

  /**
   * At most three seeds, node1 never first: Pekko's first seed joins itself when no other seed
   * answers, so node1 (the one the bench restarts) could otherwise form a second cluster.
   */
  static List<AgentLayout> seeds(List<AgentLayout> layouts) {
    if (layouts.size() == 1) {
      return List.of(layouts.get(0));
    }
    List<AgentLayout> seeds = new ArrayList<>(layouts.subList(1, Math.min(3, layouts.size())));
    seeds.add(layouts.get(0));
    return seeds;
  }

  /** Waits until every agent's /health/ready answers 200; names the ones that do not. */
  public void awaitReady(Duration timeout) throws Exception {
    awaitReady(layouts, timeout);
  }

  private void awaitReady(List<AgentLayout> agents, Duration timeout) throws Exception {
    long until = System.nanoTime() + timeout.toNanos();
    List<AgentLayout> waiting = new ArrayList<>(agents);
    while (true) {
      if (!solo.alive() || groups.stream().anyMatch(g -> !g.alive())) {
        throw new IllegalStateException("an agent JVM exited during start; see the logs under "
            + layouts.get(0).dir().getParent());
      }
      waiting.removeIf(ScaleCluster::ready);
      if (waiting.isEmpty()) {
        return;
      }
      if (System.nanoTime() > until) {
        throw new IllegalStateException(waiting.size() + " agents not ready after "
            + timeout.toSeconds() + " s, e.g. " + waiting.get(0).name());
      }
      Thread.sleep(200);
    }
  }

  /** True once the agent's {@code /health/ready} answers 200. */
  public static boolean ready(AgentLayout l) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(l.statusUrl() + "/health/ready"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding())
          .statusCode() == 200;
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public ControlService control() {
    return control;
  }

  public int nodes() {
    return layouts.size();
  }

  /** Node n's layout, 1-based. */
  public AgentLayout layout(int n) {
    return layouts.get(n - 1);
  }

  /** node1, the agent alone in its JVM. */
  public AgentProcess solo() {
    return solo;
  }

  /**
   * Starts node1 (stopped): from its class-data-sharing archive once a run recorded it, else
   * recording it (the JVM writes it as it exits).
   */
  public void startSolo() throws IOException {
    solo.start(Files.isRegularFile(soloArchive)
        ? List.of("-XX:SharedArchiveFile=" + soloArchive)
        : List.of("-XX:ArchiveClassesAtExit=" + soloArchive));
  }

  public List<AgentGroup> groups() {
    return groups;
  }

  @Override
  public void close() throws Exception {
    solo.stop(Duration.ofSeconds(15));
    // in parallel: each group's agents leave the cluster one coordinated shutdown at a time
    groups.parallelStream().forEach(g -> {
      try {
        g.stop(Duration.ofSeconds(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    control.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
