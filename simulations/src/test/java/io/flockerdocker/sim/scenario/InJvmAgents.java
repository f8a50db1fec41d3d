package io.flockerdocker.sim.scenario;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.flockerdocker.agent.AgentConfig;
import io.flockerdocker.agent.AgentDeps;
import io.flockerdocker.agent.AgentServers;
import io.flockerdocker.agent.config.AgentSettings;
import io.flockerdocker.agent.Guardian;
import io.flockerdocker.agent.cluster.NodeInfo;
import io.flockerdocker.agent.flocker.HttpFlockerClient;
import io.flockerdocker.agent.dataset.DataPlane;
import io.flockerdocker.control.ControlService;
import io.flockerdocker.control.ControlSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * The embedded control service and N real agents in this JVM, one ActorSystem each, on port 0,
 * forming one cluster (node1 joins itself, the others join node1). Each agent is wired exactly as
 * AgentMain wires it: Guardian, AgentServers, HttpFlockerClient, its own unix socket.
 */
final class InJvmAgents implements AutoCloseable {
  /** One running agent. */
  record Agent(String name, String uuid, Path socket, Path mounts, ActorSystem<Void> system,
      AgentDeps deps) {}

  final Path dir;
  final ControlService control;
  final List<Agent> agents = new ArrayList<>();

  private InJvmAgents(Path dir, ControlService control) {
    this.dir = dir;
    this.control = control;
  }

  static InJvmAgents start(int n, Duration timeout) throws Exception {
    return start(n, timeout, "");
  }

  /** {@code extraConfig}: HOCON appended to every agent's configuration (overrides defaults). */
  static InJvmAgents start(int n, Duration timeout, String extraConfig) throws Exception {
    // short: unix socket paths are limited to ~108 bytes
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "fdj");
    List<Spec> specs = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      specs.add(new Spec("node" + i, UUID.randomUUID().toString(),
          dir.resolve("n" + i).resolve("mounts")));
    }
    ControlService control = ControlService.start(ControlSettings.defaults(dir.resolve("control"))
        .withPort(0)).toCompletableFuture().get(30, TimeUnit.SECONDS);
    InJvmAgents cluster = new InJvmAgents(dir, control);
    try {
      String seed = null;
      for (Spec spec : specs) {
        Agent a = cluster.startAgent(spec, seed, extraConfig);
        cluster.agents.add(a);
        if (seed == null) {
          seed = Cluster.get(a.system()).selfMember().address().toString();
        }
      }
      cluster.awaitReady(timeout);
      return cluster;
    } catch (Exception | AssertionError e) {
      cluster.close();
      throw e;
    }
  }

  /** One in-JVM node: its name, node UUID and dataset root. */
  private record Spec(String name, String uuid, Path datasetRoot) {}

  private Agent startAgent(Spec spec, String seed, String extraConfig) throws Exception {
    Path nodeDir = dir.resolve(spec.name().replace("node", "n"));
    Path socket = nodeDir.resolve("s.sock");
    Files.createDirectories(spec.datasetRoot());
    Config config = AgentConfig.load(ConfigFactory.parseString(String.join("\n",
        "flocker-docker {",
        "  node.name = \"" + spec.name() + "\"",
        "  node.uuid = \"" + spec.uuid() + "\"",
        "  plugin.socket = \"" + socket + "\"",
        "  flocker.url = \"" + control.url() + "\"",
        "  flocker.allow-plaintext = on",
        "  state-dir = \"" + nodeDir.resolve("state") + "\"",
        "  status.port = 0",
        "  status.admin-socket = \"" + nodeDir.resolve("adm/a.sock") + "\"",
        "  cluster.tls = off",
        "  volume.mount-timeout = 30 s",
        "  dataset { root = \"" + spec.datasetRoot() + "\", advertise-host = \"127.0.0.1\",",
        "    port = 0, tls = off, converge-interval = 100 ms, heartbeat = 1 s }",
        "}",
        "pekko.remote.artery.canonical.port = 0",
        "pekko.cluster.jmx.multi-mbeans-in-same-jvm = on",
        "pekko.cluster.roles = [\"name:" + spec.name() + "\", \"uuid:" + spec.uuid() + "\"]",
        "pekko.cluster.seed-nodes = [" + (seed == null ? "" : "\"" + seed + "\"") + "]",
        "pekko.cluster.split-brain-resolver.stable-after = 5s",
        // both members leave together at the end of a test: do not wait 10 s for each other
        "pekko.coordinated-shutdown.phases.cluster-exiting.timeout = 2 s",
        "pekko.loglevel = INFO",
        extraConfig)));
    AgentSettings s = AgentSettings.create(config);
    AgentDeps deps = AgentDeps.create(s, Map.of(), system -> HttpFlockerClient.create(system, s),
        java.util.Optional.of(DataPlane.production(s)));
    ActorSystem<Void> system =
        ActorSystem.create(Guardian.create(deps, new AgentServers()), "flocker-docker", config);
    return new Agent(spec.name(), spec.uuid(), socket, spec.datasetRoot(), system, deps);
  }

  /** Every socket answers and every agent sees every other one with its MountTable. */
  private void awaitReady(Duration timeout) throws Exception {
    long until = System.nanoTime() + timeout.toNanos();
    for (Agent a : agents) {
      while (!ready(a)) {
        if (System.nanoTime() > until) {
          throw new AssertionError(a.name() + " not ready after " + timeout.toSeconds()
              + "s: nodes " + a.deps().nodes().all() + ", socket " + a.socket());
        }
        Thread.sleep(50);
      }
    }
  }

  private boolean ready(Agent a) {
    if (a.deps().nodes().all().stream().filter(NodeInfo::available).count() < agents.size()) {
      return false;
    }
    try (PluginClient c = new PluginClient(a.socket())) {
      return c.call("/Plugin.Activate", Map.of()).ok();
    } catch (Exception e) {
      return false;
    }
  }

  Agent agent(int n) {
    return agents.get(n - 1);
  }

  @Override
  public void close() throws Exception {
    for (Agent a : agents) {
      a.system().terminate();
    }
    for (Agent a : agents) {
      a.system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    // a test may have stopped it on purpose; stopping twice would wait on a dead binding
    if (!control.whenTerminated().toCompletableFuture().isDone()) {
      control.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    LocalCluster.deleteTree(dir);
  }
}
