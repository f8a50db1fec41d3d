package io.flockerdocker.sim.scenario;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * N real dockerd "hosts" on this machine, driven through ../shared/tools/docker-hosts.sh. Each
 * host has its own netns, mount namespace and /run/docker/plugins (seen from outside as {@link
 * #pluginDir}). {@link #close()} runs {@code down}; it is idempotent and also runs on JVM exit.
 * Processes the caller starts in the root namespaces (e.g. an agent) are NOT stopped by down.
 *
 * <p>Mount namespaces: each host's dockerd runs in a private copy of the root mount namespace
 * taken at {@code up}. A plugin in the root namespaces can bind its socket in {@link #pluginDir}
 * and return any Mountpoint that is a plain directory on the shared filesystems (e.g. under /tmp,
 * also if created after up). Mounts made in the root namespace after up are NOT seen by the
 * hosts (the container gets the empty directory underneath), and /run inside a host is
 * {@code <lab>/hN/run}, so never return a path under /run.
 */
public final class DockerLab implements AutoCloseable {
  /** Outcome of one client call; {@code timedOut} means the process was killed (exit 124). */
  public record Result(int exitCode, String stdout, String stderr, boolean timedOut) {
    public boolean ok() {
      return exitCode == 0 && !timedOut;
    }
  }

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  private static final String SCRIPT_ENV = "DOCKER_HOSTS_SH";
  private static final String SCRIPT_REL = "shared/tools/docker-hosts.sh";

  private final Path script;
  private final Path lab;
  private final String prefix;
  private final int hosts;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread shutdownHook = new Thread(this::down, "docker-lab-down");

  private DockerLab(Path script, Path lab, int hosts) {
    this.script = script;
    this.lab = lab;
    this.hosts = hosts;
    // netns and cgroup names are machine-global: one prefix per lab dir, so labs never collide
    this.prefix = "dl" + Integer.toHexString(lab.toString().hashCode() & 0xfffff);
  }

  /** Why the lab cannot run here, or null if it can. */
  public static String unavailableReason() {
    if (!"linux".equalsIgnoreCase(System.getProperty("os.name"))) return "not Linux";
    if ("off".equalsIgnoreCase(System.getenv("DOCKERLAB"))) return "disabled by DOCKERLAB=off";
    if (!isRoot()) return "not root (needs netns, mounts and dockerd)";
    for (String bin : List.of(env("DOCKERD", "/usr/sbin/dockerd"), client(), "/bin/busybox",
        "/usr/bin/nsenter", "/usr/bin/unshare", "/usr/bin/python3")) {
      if (!Files.isExecutable(Path.of(bin))) {
        return bin + " missing (apt-get install -y docker.io busybox-static util-linux iproute2 python3)";
      }
    }
    if (!Files.isExecutable(Path.of("/sbin/ip")) && !Files.isExecutable(Path.of("/usr/sbin/ip"))) {
      return "ip missing (apt-get install -y iproute2)";
    }
    return findScript() == null
        ? "docker-hosts.sh not found: set " + SCRIPT_ENV + " or put " + SCRIPT_REL + " beside the repo"
        : null;
  }

  public static boolean available() {
    return unavailableReason() == null;
  }

  /** Starts {@code hosts} engines (each with image busybox:local); tears down again on failure. */
  public static DockerLab up(int hosts, Path labDir) {
    String why = unavailableReason();
    if (why != null) throw new IllegalStateException("DockerLab unavailable: " + why);
    DockerLab lab = new DockerLab(findScript(), labDir.toAbsolutePath().normalize(), hosts);
    Runtime.getRuntime().addShutdownHook(lab.shutdownHook);
    Result r = lab.script(Duration.ofSeconds(120), "up", Integer.toString(hosts));
    if (!r.ok()) {
      lab.close();
      throw new IllegalStateException("docker-hosts.sh up failed (" + r.exitCode() + "): " + r.stderr());
    }
    return lab;
  }

  public int hosts() {
    return hosts;
  }

  public Path labDir() {
    return lab;
  }

  /** Host {@code host}'s /run/docker/plugins as seen from the root mount namespace. */
  public Path pluginDir(int host) {
    return hostDir(host).resolve("run/docker/plugins");
  }

  /** Host {@code host}'s /etc/docker/plugins (for .spec / .json files). */
  public Path specDir(int host) {
    return hostDir(host).resolve("etc-docker/plugins");
  }

  /** Value for DOCKER_HOST / {@code docker -H}. */
  public String dockerHost(int host) {
    return "unix://" + hostDir(host).resolve("docker.sock");
  }

  public Result docker(int host, String... args) {
    return docker(host, DEFAULT_TIMEOUT, args);
  }

  public Result docker(int host, Duration timeout, String... args) {
    List<String> cmd = new ArrayList<>(List.of(client(), "-H", dockerHost(host)));
    cmd.addAll(List.of(args));
    return run(cmd, Map.of(), timeout);
  }

  /** Stops and restarts host's dockerd (containers stop; restart policies and plugin re-Get apply). */
  public void restartDockerd(int host) {
    Result r = script(Duration.ofSeconds(120), "restart", Integer.toString(host));
    if (!r.ok()) throw new IllegalStateException("restart of host " + host + " failed: " + r.stderr());
  }

  /** Runs {@code down} once; later calls do nothing, but wait while the hook's down runs. */
  @Override
  public void close() {
    if (!closed.get()) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // the hook itself is running or about to: it does the down
      }
    }
    down();
  }

  // synchronized: a caller that tears down other things afterwards (agents) must not overtake
  // a down still removing containers, which needs those agents for Unmount
  private synchronized void down() {
    if (closed.compareAndSet(false, true)) {
      Result r = script(Duration.ofSeconds(180), "down");
      if (!r.ok()) System.err.println("[DockerLab] down failed (" + r.exitCode() + "): " + r.stderr());
    }
  }

  private Path hostDir(int host) {
    if (host < 1 || host > hosts) throw new IllegalArgumentException("no host " + host);
    return lab.resolve("h" + host);
  }

  private Result script(Duration timeout, String... args) {
    List<String> cmd = new ArrayList<>(List.of("bash", script.toString()));
    cmd.addAll(List.of(args));
    return run(cmd, Map.of("LAB", lab.toString(), "PFX", prefix, "CLIENT", client()), timeout);
  }

  private static Result run(List<String> cmd, Map<String, String> env, Duration timeout) {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(new File("/dev/null"));
    pb.environment().putAll(env);
    try {
      Process p = pb.start();
      CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> slurp(p.getInputStream()));
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> slurp(p.getErrorStream()));
      boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!done) {
        p.destroyForcibly().waitFor();
      }
      return new Result(done ? p.exitValue() : 124, out.join(), err.join(), !done);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + cmd, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + cmd, e);
    }
  }

  private static String slurp(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** $DOCKER_HOSTS_SH, else shared/tools/docker-hosts.sh in the nearest ancestor of the cwd. */
  private static Path findScript() {
    String override = System.getenv(SCRIPT_ENV);
    if (override != null && !override.isBlank()) {
      Path p = Path.of(override);
      return Files.isRegularFile(p) ? p.toAbsolutePath() : null;
    }
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve(SCRIPT_REL))) return d.resolve(SCRIPT_REL);
    }
    return null;
  }

  private static String client() {
    return env("CLIENT", "/usr/bin/docker");
  }

  private static String env(String name, String dflt) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? dflt : v;
  }

  private static boolean isRoot() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .filter(l -> l.startsWith("Uid:"))
          .anyMatch(l -> l.split("\\s+")[2].equals("0")); // effective uid
    } catch (IOException e) {
      return false;
    }
  }
}
