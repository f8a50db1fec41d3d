package io.flockerdocker.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** Docker client helpers for the end-to-end tests: run, expect success or failure, poll. */
final class DockerE2E {
  /** Upper bound for one docker client call, including the engine's ~15 s plugin retries. */
  static final java.time.Duration DOCKER_TIMEOUT = java.time.Duration.ofSeconds(45);

  static final String DRIVER = "--volume-driver=flocker";
  static final String IMAGE = "busybox:local";

  private final DockerLab lab;

  DockerE2E(DockerLab lab) {
    this.lab = lab;
  }

  DockerLab.Result docker(int host, String... args) {
    return lab.docker(host, DOCKER_TIMEOUT, args);
  }

  /** Runs and asserts exit 0; returns stdout. */
  String ok(int host, String... args) {
    return ok(DOCKER_TIMEOUT, host, args);
  }

  /** Same, for calls that may wait for a volume to cross the network. */
  String ok(Duration timeout, int host, String... args) {
    DockerLab.Result r = lab.docker(host, timeout, args);
    assertThat(r.ok()).as("host%d docker %s -> %s", host, String.join(" ", args), r).isTrue();
    return r.stdout();
  }

  /** Runs and asserts docker failed (not by our timeout); returns stderr. */
  String fails(int host, String... args) {
    DockerLab.Result r = docker(host, args);
    assertThat(r.timedOut()).as("host%d docker %s timed out", host, String.join(" ", args))
        .isFalse();
    assertThat(r.exitCode()).as("host%d docker %s should fail: %s", host,
        String.join(" ", args), r).isNotZero();
    return r.stderr();
  }

  /** {@code docker run --rm -v VOL:/data --volume-driver=flocker busybox sh -c SCRIPT}. */
  String[] runSh(String volume, String script) {
    return new String[] {"run", "--rm", "-v", volume + ":/data", DRIVER, IMAGE, "sh", "-c", script};
  }

  /** A detached container holding VOL; writes {@code marker} to /data/m first, then sleeps. */
  void hold(int host, String name, String volume, String marker) throws InterruptedException {
    ok(host, "run", "-d", "--name", name, "-v", volume + ":/data", DRIVER, IMAGE, "sh", "-c",
        "echo " + marker + " > /data/m; exec sleep 300");
    awaitOutput(host, marker, "exec", name, "cat", "/data/m");
  }

  /** Polls (bounded) until the command prints exactly {@code expected}. */
  void awaitOutput(int host, String expected, String... args) throws InterruptedException {
    Instant until = Instant.now().plus(Duration.ofSeconds(20));
    DockerLab.Result r;
    do {
      r = docker(host, args);
      if (r.ok() && r.stdout().strip().equals(expected)) {
        return;
      }
      Thread.sleep(100);
    } while (Instant.now().isBefore(until));
    throw new AssertionError("host" + host + " docker " + String.join(" ", args)
        + " never printed " + expected + "; last: " + r);
  }

  /** {@code docker volume ls} as "driver name" lines. */
  List<String> volumes(int host) {
    String out = ok(host, "volume", "ls", "--format", "{{.Driver}} {{.Name}}");
    return Arrays.stream(out.split("\n")).filter(l -> !l.isBlank()).toList();
  }

  /**
   * Polls {@code docker volume ls} (bounded) until {@code line} is listed ({@code present}) or not.
   * Each agent learns other nodes' creates and removes from its next Flocker poll (1 s), so
   * another host's List lags by up to about a second; returns how long it took.
   */
  Duration awaitListed(int host, String line, boolean present) throws InterruptedException {
    Instant start = Instant.now();
    List<String> last;
    do {
      last = volumes(host);
      if (last.contains(line) == present) {
        if (present) {
          assertThat(last).as("host%d volume ls: no duplicate", host).containsOnlyOnce(line);
        }
        return Duration.between(start, Instant.now());
      }
      Thread.sleep(100);
    } while (Duration.between(start, Instant.now()).toSeconds() < 10);
    throw new AssertionError("host" + host + " volume ls " + (present ? "never listed " : "still lists ")
        + line + " after 10 s: " + last);
  }

  /** {@code docker volume inspect} as "driver scope name". */
  String inspect(int host, String volume) {
    return ok(host, "volume", "inspect", "--format", "{{.Driver}} {{.Scope}} {{.Name}}", volume)
        .strip();
  }

  void removeQuietly(int host, String... containers) {
    String[] args = new String[containers.length + 2];
    args[0] = "rm";
    args[1] = "-f";
    System.arraycopy(containers, 0, args, 2, containers.length);
    docker(host, args);
  }
}
