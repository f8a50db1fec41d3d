package io.flockerdocker.sim.scenario;

import io.flockerdocker.sim.control.ControlService;
import io.flockerdocker.sim.control.ControlSettings;
import io.flockerdocker.sim.control.NodeSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A whole cluster on this machine: the embedded control service in this JVM and N node agents,
 * each in its own JVM, on 127.0.0.1 with free ports, everything under one directory. Used by
 * {@code cluster}, {@code demo}, the fault runs, the benchmarks and the multi-node tests.
 */
public final class LocalCluster implements AutoCloseable {

  /**
   * How to lay the cluster out. {@code socketTemplate} has {n} for 1..N; null = default.
   * {@code agentJvm}: the agents' JVM flags; tests cap the JIT at C1 to start fast, the
   * benchmarks run the flags a real host runs (conf/flocker-docker.service).
   */
  public record Options(int nodes, Path dir, Duration moveDelay, String socketTemplate,
      String extraAgentConfig, List<String> agentJvm) {
    public static final List<String> TEST_JVM =
        List.of("-Xmx192m", "-XX:+UseSerialGC", "-Xss512k", "-XX:TieredStopAtLevel=1");
    public static final List<String> PRODUCTION_JVM =
        List.of("-Xmx256m", "-XX:+UseSerialGC", "-Xss512k");

    public static Options of(int nodes, Path dir) {
      return new Options(nodes, dir, Duration.ZERO, null, "", TEST_JVM);
    }

    public Options withMoveDelay(Duration d) {
      return new Options(nodes, dir, d, socketTemplate, extraAgentConfig, agentJvm);
    }

    public Options withSocketTemplate(String t) {
      return new Options(nodes, dir, moveDelay, t, extraAgentConfig, agentJvm);
    }

    public Options withExtraAgentConfig(String hocon) {
      return new Options(nodes, dir, moveDelay, socketTemplate, hocon, agentJvm);
    }

    public Options withProductionJvm() {
      return new Options(nodes, dir, moveDelay, socketTemplate, extraAgentConfig, PRODUCTION_JVM);
    }
  }

  private final Options options;
  private final ControlSettings controlSettings;
  private volatile ControlService control;
  private final List<AgentProcess> agents;

  private LocalCluster(Options options, ControlSettings controlSettings, ControlService control,
      List<AgentProcess> agents) {
    this.options = options;
    this.controlSettings = controlSettings;
    this.control = control;
    this.agents = agents;
  }

  /** Starts everything and waits (up to {@code timeout}) until every agent is ready. */
  public static LocalCluster start(Options o, Duration timeout) throws Exception {
    if (o.nodes() < 1) {
      throw new IllegalArgumentException("--nodes must be at least 1");
    }
    Path dir = o.dir().toAbsolutePath();
    List<AgentLayout> layouts = new ArrayList<>();
    List<NodeSpec> specs = new ArrayList<>();
    for (int n = 1; n <= o.nodes(); n++) {
      String name = "node" + n;
      Path nodeDir = dir.resolve(name);
      Path socket = o.socketTemplate() == null
          ? nodeDir.resolve("plugins").resolve("flocker.sock")
          : Path.of(o.socketTemplate().replace("{n}", Integer.toString(n))).toAbsolutePath();
      AgentLayout l = new AgentLayout(n, name, UUID.randomUUID().toString(), nodeDir, socket,
          nodeDir.resolve("mounts"), AgentLayout.freePort(), AgentLayout.freePort());
      layouts.add(l);
      specs.add(new NodeSpec(name, l.uuid(), l.mounts()));
    }
    ControlSettings settings = ControlSettings.defaults(dir.resolve("control"))
        .withPort(0).withNodes(specs).withMoveDelay(o.moveDelay());
    ControlService control = ControlService.start(settings)
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    AgentLayout.claim(control.port());
    List<AgentProcess> agents = new ArrayList<>();
    // a restarted control service binds the same port, so agents' configured URL stays valid
    LocalCluster cluster = new LocalCluster(o, settings.withPort(control.port()), control, agents);
    try {
      for (AgentLayout l : layouts) {
        l.writeConfig(control.url(), layouts, o.extraAgentConfig());
        AgentProcess p = new AgentProcess(l, o.agentJvm());
        agents.add(p);
        p.start();
      }
      cluster.awaitReady(timeout);
      return cluster;
    } catch (Exception e) {
      cluster.close();
      throw e;
    }
  }

  /** Waits until every live agent answers ready; fails naming the ones that did not. */
  public void awaitReady(Duration timeout) throws Exception {
    Instant until = Instant.now().plus(timeout);
    while (true) {
      List<String> notReady = new ArrayList<>();
      for (AgentProcess a : agents) {
        if (!a.alive()) {
          throw new IllegalStateException(a.layout().name() + " exited during start; see "
              + a.layout().log());
        }
        if (!a.ready()) {
          notReady.add(a.layout().name());
        }
      }
      if (notReady.isEmpty()) {
        return;
      }
      if (Instant.now().isAfter(until)) {
        throw new IllegalStateException("not ready after " + timeout.toSeconds() + "s: "
            + notReady + "; see their agent.log under " + options.dir());
      }
      Thread.sleep(100);
    }
  }

  /** The running control service, or null while it is stopped (see stopControl). */
  public ControlService control() {
    return control;
  }

  /** The control service's base URL; the same before and after a restart. */
  public String controlUrl() {
    return "http://127.0.0.1:" + controlSettings.port();
  }

  /** True while the control service is serving (between stopControl and startControl: false). */
  public boolean controlUp() {
    return control != null;
  }

  /** Stops the control service (an outage); configuration and node roots stay on disk. */
  public synchronized void stopControl() throws Exception {
    if (control != null) {
      ControlService c = control;
      control = null;
      c.stop().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  /**
   * Starts a new control service on the same port and data directory; retries the bind for a
   * while because the old listening socket may linger. {@code moveDelay} applies to its moves.
   */
  public synchronized void startControl(Duration moveDelay) throws Exception {
    if (control != null) {
      return;
    }
    Instant until = Instant.now().plusSeconds(30);
    while (true) {
      try {
        control = ControlService.start(controlSettings.withMoveDelay(moveDelay))
            .toCompletableFuture().get(30, TimeUnit.SECONDS);
        return;
      } catch (java.util.concurrent.ExecutionException e) {
        if (Instant.now().isAfter(until)) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }

  /** Starts the control service again with the move delay the cluster was started with. */
  public void startControl() throws Exception {
    startControl(controlSettings.moveDelay());
  }

  /** A control-service outage of no length: stop, then start on the same port and data. */
  public void restartControl() throws Exception {
    stopControl();
    startControl();
  }

  /**
   * Starts agent {@code n} again after a kill or stop. Its seed list leaves itself out: Pekko's
   * first seed node joins itself when the others do not answer within seed-node-timeout, so a
   * restarted node1 listing itself first could form a second cluster beside the running one.
   */
  public void restartAgent(int n) throws IOException {
    AgentProcess a = agent(n);
    List<AgentLayout> others =
        agents.stream().map(AgentProcess::layout).filter(l -> l.index() != n).toList();
    a.layout().writeConfig(controlUrl(), others, options.extraAgentConfig());
    a.start();
  }

  public List<AgentProcess> agents() {
    return agents;
  }

  public AgentProcess agent(int n) {
    return agents.get(n - 1);
  }

  @Override
  public void close() throws Exception {
    for (AgentProcess a : agents) {
      a.stop(Duration.ofSeconds(15));
    }
    if (control != null) {
      control.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  public static void deleteTree(Path dir) throws IOException {
    if (!java.nio.file.Files.exists(dir)) {
      return;
    }
    try (var walk = java.nio.file.Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        java.nio.file.Files.deleteIfExists(p);
      }
    }
  }
}
