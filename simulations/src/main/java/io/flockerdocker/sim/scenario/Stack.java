package io.flockerdocker.sim.scenario;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * N real Docker hosts (DockerLab) plus an N-node LocalCluster in the ROOT namespaces whose agent
 * sockets are the hosts' {@code flocker.sock}: the plugin protocol against real engines, but the
 * data never crosses a network (see DockerCluster for a real deployment). Torn down together (on
 * close, or by a shutdown hook on Ctrl-C / SIGTERM). Used by DockerEndToEndIT.
 */
public final class Stack implements AutoCloseable {
  private final DockerLab lab;
  private volatile LocalCluster cluster;
  private final Thread hook = new Thread(this::teardown, "stack-down");
  private boolean closed;

  private Stack(DockerLab lab) {
    this.lab = lab;
  }

  /** Lab first (its plugin dirs must exist), then the agents binding their sockets in them. */
  public static Stack up(int hosts, Path labDir, Path clusterDir, Consumer<String> say)
      throws Exception {
    say.accept("starting " + hosts + " Docker hosts under " + labDir);
    Stack s = new Stack(DockerLab.up(hosts, labDir));
    Runtime.getRuntime().addShutdownHook(s.hook);
    try {
      String template = labDir.toAbsolutePath() + "/h{n}/run/docker/plugins/flocker.sock";
      say.accept("starting control service and " + hosts + " agents under " + clusterDir);
      s.cluster = LocalCluster.start(LocalCluster.Options.of(hosts, clusterDir)
          .withSocketTemplate(template), DockerDemo.READY);
      say.accept("agents ready; plugin sockets " + template);
      return s;
    } catch (Exception | Error e) {
      s.close();
      throw e;
    }
  }

  public DockerLab lab() {
    return lab;
  }

  public LocalCluster cluster() {
    return cluster;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is already running: teardown below is idempotent
    }
    teardown();
  }

  /** Lab down first so containers are removed while the agents can still answer Unmount. */
  private synchronized void teardown() {
    if (closed) {
      return;
    }
    closed = true;
    lab.close();
    LocalCluster c = cluster;
    if (c != null) {
      try {
        c.close();
      } catch (Exception e) {
        System.err.println("[Stack] cluster close failed: " + e);
      }
    }
  }

  /** Upper bound for one docker client call, including the engine's ~15 s plugin retries. */
  public static final Duration DOCKER_TIMEOUT = Duration.ofSeconds(45);
}
