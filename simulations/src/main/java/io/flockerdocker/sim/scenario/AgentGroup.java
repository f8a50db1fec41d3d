package io.flockerdocker.sim.scenario;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Several node agents in one child JVM ({@link AgentGroupMain}), so that a machine can hold many
 * more agents than it could hold JVMs. Each agent keeps everything of its own (see AgentLayout);
 * what they share is the heap, the GC, the JIT and the Pekko dispatcher threads' CPUs.
 */
public final class AgentGroup {
  private final List<AgentLayout> layouts;
  private final List<String> jvmFlags;
  private final Path log;
  private Process process;

  public AgentGroup(List<AgentLayout> layouts, List<String> jvmFlags, Path log) {
    this.layouts = List.copyOf(layouts);
    this.jvmFlags = List.copyOf(jvmFlags);
    this.log = log;
  }

  public List<AgentLayout> layouts() {
    return layouts;
  }

  public Path log() {
    return log;
  }

  public synchronized void start() throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmFlags);
    // the simulations jar holds the agent's classes too (it runs this very class)
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(AgentGroupMain.class.getName());
    layouts.forEach(l -> cmd.add(l.config().toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(LocalCluster.Options.PRODUCTION_ENV);
    process = pb
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  public synchronized long pid() {
    return process == null ? -1 : process.pid();
  }

  public synchronized boolean alive() {
    return process != null && process.isAlive();
  }

  /** SIGTERM (every agent shuts down), then SIGKILL if the JVM is still there after grace. */
  public synchronized void stop(Duration grace) throws InterruptedException {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
