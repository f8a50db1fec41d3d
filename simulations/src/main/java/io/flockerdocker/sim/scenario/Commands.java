package io.flockerdocker.sim.scenario;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs one external command to completion with a timeout, capturing stdout and stderr. */
final class Commands {
  private Commands() {}

  static DockerLab.Result run(List<String> cmd, Map<String, String> env, Duration timeout) {
    return run(cmd, env, timeout, p -> { });
  }

  /** Same; {@code started} sees the process first (so a shutdown hook can stop it). */
  static DockerLab.Result run(List<String> cmd, Map<String, String> env, Duration timeout,
      java.util.function.Consumer<Process> started) {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(new File("/dev/null"));
    pb.environment().putAll(env);
    try {
      Process p = pb.start();
      started.accept(p);
      CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> slurp(p.getInputStream()));
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> slurp(p.getErrorStream()));
      boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!done) {
        p.destroyForcibly().waitFor();
      }
      return new DockerLab.Result(done ? p.exitValue() : 124, out.join(), err.join(), !done);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + cmd, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + cmd, e);
    }
  }

  /** Runs and throws, naming the command and its stderr, unless it exits 0. */
  static String check(List<String> cmd, Map<String, String> env, Duration timeout) {
    DockerLab.Result r = run(cmd, env, timeout);
    if (!r.ok()) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed ("
          + (r.timedOut() ? "timed out after " + timeout.toSeconds() + " s" : "exit " + r.exitCode())
          + "): " + r.stderr().strip());
    }
    return r.stdout();
  }

  // a stream that breaks while the process dies yields what was read: the exit code tells the story
  private static String slurp(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(output unreadable: " + e.getMessage() + ")";
    }
  }
}
