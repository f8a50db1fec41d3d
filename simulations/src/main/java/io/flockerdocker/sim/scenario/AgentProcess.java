package io.flockerdocker.sim.scenario;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One node agent running in its own JVM (so it can be killed alone), started from the agent jar
 * named by {@code -Dflocker-docker.agent-jar} or else from this JVM's class path. Its output
 * goes to {@code agent.log} next to its config.
 */
public final class AgentProcess {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final AgentLayout layout;
  private final List<String> jvmFlags;
  private Process process;

  public AgentProcess(AgentLayout layout, List<String> jvmFlags) {
    this.layout = layout;
    this.jvmFlags = List.copyOf(jvmFlags);
  }

  public AgentLayout layout() {
    return layout;
  }

  public void start() throws IOException {
    start(List.of());
  }

  /** Starts it with {@code runFlags} after its JVM flags, for this run only. */
  public synchronized void start(List<String> runFlags) throws IOException {
    if (process != null && process.isAlive()) {
      return;
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmFlags);
    cmd.addAll(runFlags);
    // extra flags for one run, e.g. -XX:StartFlightRecording=filename=agent.jfr (profiling)
    String extra = System.getenv("FLOCKER_DOCKER_AGENT_JVM_OPTS");
    if (extra != null && !extra.isBlank()) {
      cmd.addAll(List.of(extra.trim().split("\\s+")));
    }
    String jar = System.getProperty("flocker-docker.agent-jar", "");
    if (!jar.isEmpty()) {
      cmd.add("-jar");
      cmd.add(jar);
    } else {
      cmd.add("-cp");
      cmd.add(System.getProperty("java.class.path"));
      cmd.add("io.flockerdocker.agent.Main");
    }
    cmd.add("agent");
    cmd.add("--config");
    cmd.add(layout.config().toString());
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(LocalCluster.Options.PRODUCTION_ENV);
    process = pb
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(layout.log().toFile()))
        .start();
  }

  public synchronized long pid() {
    return process == null ? -1 : process.pid();
  }

  public synchronized boolean alive() {
    return process != null && process.isAlive();
  }

  /** True once {@code /health/ready} answers 200: socket serving and cluster member Up. */
  public boolean ready() {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
              URI.create(layout.statusUrl() + "/health/ready"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** kill -9: no shutdown hooks, the socket file stays behind, as after a crash. */
  public synchronized void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** SIGTERM, then SIGKILL if it has not stopped within {@code grace}. */
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
