package io.flockerdocker.sim.scenario;

import io.flockerdocker.control.ControlService;
import io.flockerdocker.control.ControlSettings;
import io.flockerdocker.control.ca.ClusterCa;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A whole cluster on this machine: the control service in this JVM and N node agents, each in its
 * own JVM with its own dataset root, on 127.0.0.1 with free ports, everything under one directory.
 * Datasets move between the roots over the agents' data channels, each behind a {@link DataProxy}
 * that stands for the network. Used by {@code cluster}, {@code demo}, the fault runs, the
 * benchmarks and the multi-node tests.
 */
public final class LocalCluster implements AutoCloseable {

  /**
   * How to lay the cluster out. {@code socketTemplate} has {n} for 1..N; null = default.
   * {@code agentJvm}: the agents' JVM flags; tests cap the JIT at C1 to start fast, the
   * benchmarks run the flags a real host runs (conf/flocker-docker.service).
   */
  public record Options(int nodes, Path dir, Duration moveDelay, String socketTemplate,
      String extraAgentConfig, List<String> agentJvm, boolean tls, String smallRoots,
      boolean plainControl) {
    public static final List<String> TEST_JVM =
        List.of("-Xmx192m", "-XX:+UseSerialGC", "-Xss512k", "-XX:TieredStopAtLevel=1");
    /** conf/flocker-docker.service's flags (and bin/flocker-docker's AGENT_JAVA_OPTS default). */
    public static final List<String> PRODUCTION_JVM = List.of("-Xms32m", "-Xmx256m",
        "-XX:MaxNewSize=32m", "-XX:+UseSerialGC", "-XX:MinHeapFreeRatio=10",
        "-XX:MaxHeapFreeRatio=20", "-XX:-ShrinkHeapInSteps", "-Xss512k",
        "-XX:MaxMetaspaceSize=128m", "-XX:ReservedCodeCacheSize=64m",
        "-XX:+ExitOnOutOfMemoryError");
    /**
     * conf/flocker-docker.service's environment for the JVM: two glibc malloc arenas instead of
     * up to 8 per core, each keeping its own freed memory (every agent JVM gets it).
     */
    public static final Map<String, String> PRODUCTION_ENV = Map.of("MALLOC_ARENA_MAX", "2");

    /**
     * {@link #PRODUCTION_JVM} with another maximum heap, and the young generation kept at the
     * same eighth of it (a group JVM's agents share both).
     */
    public static List<String> productionJvm(int heapMb) {
      return PRODUCTION_JVM.stream().map(f -> f.startsWith("-Xmx") ? "-Xmx" + heapMb + "m"
          : f.startsWith("-XX:MaxNewSize=") ? "-XX:MaxNewSize=" + heapMb / 8 + "m" : f).toList();
    }

    /** The maximum heap of {@link #PRODUCTION_JVM}, in MB. */
    public static int productionHeapMb() {
      return PRODUCTION_JVM.stream().filter(f -> f.startsWith("-Xmx"))
          .map(f -> Integer.parseInt(f.substring(4, f.length() - 1))).findFirst().orElseThrow();
    }

    public static Options of(int nodes, Path dir) {
      return new Options(nodes, dir, Duration.ZERO, null, "", TEST_JVM, false, null, false);
    }

    public Options withMoveDelay(Duration d) {
      return new Options(nodes, dir, d, socketTemplate, extraAgentConfig, agentJvm, tls,
          smallRoots, plainControl);
    }

    public Options withSocketTemplate(String t) {
      return new Options(nodes, dir, moveDelay, t, extraAgentConfig, agentJvm, tls,
          smallRoots, plainControl);
    }

    public Options withExtraAgentConfig(String hocon) {
      return new Options(nodes, dir, moveDelay, socketTemplate, hocon, agentJvm, tls,
          smallRoots, plainControl);
    }

    public Options withProductionJvm() {
      return new Options(nodes, dir, moveDelay, socketTemplate, extraAgentConfig, PRODUCTION_JVM,
          tls, smallRoots, plainControl);
    }

    /**
     * Each node's dataset root is its own tmpfs of {@code size} (root only), so that {@link
     * LocalCluster#fillDisk} can fill one host's disk; null = the roots share the machine's disk.
     */
    public Options withSmallRoots(String size) {
      return new Options(nodes, dir, moveDelay, socketTemplate, extraAgentConfig, agentJvm, tls,
          size, plainControl);
    }

    /** Control-service mTLS and data-channel mTLS with certificates of a CA made under dir. */
    public Options withTls(boolean on) {
      return new Options(nodes, dir, moveDelay, socketTemplate, extraAgentConfig, agentJvm, on,
          smallRoots, plainControl);
    }

    /**
     * The control service without its extensions (a plain Flocker v1 API: no ETags, watch or
     * create-if-name-unused), so the agents run their fallbacks.
     */
    public Options withPlainControl(boolean on) {
      return new Options(nodes, dir, moveDelay, socketTemplate, extraAgentConfig, agentJvm, tls,
          smallRoots, on);
    }
  }

  private final Options options;
  private final ControlSettings controlSettings;
  private volatile ControlService control;
  private final List<AgentProcess> agents;
  private final List<DataProxy> proxies;
  private final SmallDisks disks;

  private LocalCluster(Options options, ControlSettings controlSettings, ControlService control,
      List<AgentProcess> agents, List<DataProxy> proxies, SmallDisks disks) {
    this.disks = disks;
    this.options = options;
    this.controlSettings = controlSettings;
    this.control = control;
    this.agents = agents;
    this.proxies = proxies;
  }

  /** Starts everything and waits (up to {@code timeout}) until every agent is ready. */
  public static LocalCluster start(Options o, Duration timeout) throws Exception {
    if (o.nodes() < 1) {
      throw new IllegalArgumentException("--nodes must be at least 1");
    }
    Path dir = o.dir().toAbsolutePath();
    Path pki = dir.resolve("pki");
    if (o.tls()) {
      ClusterCa.init(pki, List.of("127.0.0.1"));
    }
    List<AgentLayout> layouts = new ArrayList<>();
    List<DataProxy> proxies = new ArrayList<>();
    for (int n = 1; n <= o.nodes(); n++) {
      String name = "node" + n;
      Path nodeDir = dir.resolve(name);
      Path socket = o.socketTemplate() == null
          ? nodeDir.resolve("plugins").resolve("flocker.sock")
          : Path.of(o.socketTemplate().replace("{n}", Integer.toString(n))).toAbsolutePath();
      String uuid = o.tls()
          ? ClusterCa.node(pki, name, "127.0.0.1", Optional.empty())
          : UUID.randomUUID().toString();
      int dataPort = AgentLayout.freePort();
      DataProxy proxy = DataProxy.start(AgentLayout.freePort(), dataPort);
      proxy.setDelay(o.moveDelay());
      proxies.add(proxy);
      layouts.add(new AgentLayout(n, name, uuid, nodeDir, socket, nodeDir.resolve("mounts"),
          AgentLayout.freePort(), AgentLayout.freePort(), dataPort, proxy.port(),
          o.tls() ? pki.resolve(name) : null));
    }
    SmallDisks disks = new SmallDisks();
    ControlSettings settings = ControlSettings.defaults(dir.resolve("control")).withPort(0)
        .withExtensions(!o.plainControl());
    if (o.tls()) {
      settings = settings.withTlsDir(pki);
    }
    ControlService control;
    try {
      if (o.smallRoots() != null) {
        for (AgentLayout l : layouts) {
          disks.mount(l.mounts(), o.smallRoots());
        }
      }
      control = ControlService.start(settings).toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      proxies.forEach(DataProxy::close);
      disks.close();
      throw e;
    }
    AgentLayout.claim(control.port());
    List<AgentProcess> agents = new ArrayList<>();
    // a restarted control service binds the same port, so agents' configured URL stays valid
    LocalCluster cluster =
        new LocalCluster(o, settings.withPort(control.port()), control, agents, proxies,
            disks);
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
    return (options.tls() ? "https" : "http") + "://127.0.0.1:" + controlSettings.port();
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
   * while because the old listening socket may linger.
   */
  public synchronized void startControl() throws Exception {
    if (control != null) {
      return;
    }
    Instant until = Instant.now().plusSeconds(30);
    while (true) {
      try {
        control = ControlService.start(controlSettings).toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
        return;
      } catch (java.util.concurrent.ExecutionException e) {
        if (Instant.now().isAfter(until)) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }

  /** Every transfer that starts from now on waits {@code delay} first (a slow network). */
  public void setMoveDelay(Duration delay) {
    proxies.forEach(p -> p.setDelay(delay));
  }

  /**
   * Drops every data-channel connection in flight to node {@code n} (a network cut between it and
   * the hosts pulling from it); returns how many transfers were cut.
   */
  public int cutTransfersFrom(int n) {
    return proxies.get(n - 1).cut();
  }

  /** Why {@link Options#withSmallRoots} cannot work on this machine, or null if it can. */
  public static String smallDisksUnavailable() {
    return SmallDisks.unavailableReason();
  }

  /** True when every node's dataset root is a small filesystem of its own (see withSmallRoots). */
  public boolean smallDisks() {
    return options.smallRoots() != null;
  }

  /** Fills node {@code n}'s dataset filesystem (needs smallDisks()); returns the bytes it took. */
  public long fillDisk(int n) throws IOException {
    return SmallDisks.fill(agent(n).layout().mounts());
  }

  /** Gives node {@code n}'s filled disk its space back. */
  public void freeDisk(int n) throws IOException {
    SmallDisks.free(agent(n).layout().mounts());
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
    proxies.forEach(DataProxy::close);
    disks.close();
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
