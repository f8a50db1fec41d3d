package io.flockerdocker.sim.scenario;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * N real dockerd "hosts" on this machine, driven by the repo's lab launcher (resource
 * {@code io/flockerdocker/sim/lab/docker-hosts.sh}). Host I has its own netns (eth0 = {@link
 * #address}), mount namespace, /run/docker/plugins ({@link #pluginDir}) and dataset root
 * ({@link #DATASET_ROOT}: a private tmpfs; a shared lab also mounts one directory at {@link
 * #SHARED_MOUNT} on every host, as NFS would be).
 * {@link #close()} runs {@code down}, idempotently, also on JVM exit; it stops every process
 * spawned in a host. Processes the caller starts in the root namespaces are NOT stopped.
 */
public final class DockerLab implements AutoCloseable {
  /** Outcome of one command; {@code timedOut} means the process was killed (exit 124). */
  public record Result(int exitCode, String stdout, String stderr, boolean timedOut) {
    public boolean ok() {
      return exitCode == 0 && !timedOut;
    }
  }

  /**
   * How to start a lab. Each host's {@link #DATASET_ROOT} is a private tmpfs of {@code rootSize};
   * {@code sharedRoots}: {@link #sharedRoot()} is also mounted at {@link #SHARED_MOUNT} on all.
   * {@code keepLogs}: where {@code down} copies dockerd's and spawned processes' logs (null: none).
   */
  public record Options(int hosts, Path labDir, boolean sharedRoots, String rootSize, Path keepLogs) {
    public static Options of(int hosts, Path labDir) {
      return new Options(hosts, labDir.toAbsolutePath().normalize(), false, "2g", null);
    }

    public Options withSharedRoots() {
      return new Options(hosts, labDir, true, rootSize, keepLogs);
    }

    public Options withRootSize(String size) {
      return new Options(hosts, labDir, sharedRoots, size, keepLogs);
    }

    public Options withKeepLogs(Path dir) {
      return new Options(hosts, labDir, sharedRoots, rootSize, dir);
    }
  }

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  /** Where each host's dataset root is mounted, inside the host's mount namespace. */
  public static final Path DATASET_ROOT = Path.of("/var/lib/flocker-docker");
  /** Where a shared lab mounts {@link #sharedRoot()}, inside every host. */
  public static final Path SHARED_MOUNT = DATASET_ROOT.resolve("datasets");
  static final String SUBNET = "10.77.0";

  private final Options options;
  private final LabScript launcher;
  private final String prefix;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread shutdownHook = new Thread(this::down, "docker-lab-down");

  private DockerLab(Options options) {
    this.options = options;
    // netns and cgroup names are machine-wide: one prefix per lab dir keeps parallel labs apart
    this.prefix = prefixOf(options.labDir());
    Map<String, String> env = new HashMap<>(Map.of("LAB", labDir().toString(), "CLIENT", client(),
        "ROOTS", options.sharedRoots() ? "shared" : "private", "ROOT_SIZE", options.rootSize(),
        "DATA_ROOT", DATASET_ROOT.toString(), "SUBNET", SUBNET, "PFX", prefix));
    env.put("SHARED_AT", SHARED_MOUNT.toString());
    if (options.keepLogs() != null) env.put("KEEP_LOGS", options.keepLogs().toString());
    this.launcher = LabScript.extract(labDir(), env);
  }

  /** Why the lab cannot run here (not Linux, not root, a binary missing), or null if it can. */
  public static String unavailableReason() {
    return LabRequirements.unavailableReason(client(), LabScript.RESOURCE);
  }

  public static boolean available() {
    return unavailableReason() == null;
  }

  /** Starts {@code hosts} engines with private dataset roots (each with image busybox:local). */
  public static DockerLab up(int hosts, Path labDir) {
    return up(Options.of(hosts, labDir));
  }

  /** Starts the lab; tears down again on failure. */
  public static DockerLab up(Options options) {
    String why = unavailableReason();
    if (why != null) throw new IllegalStateException("DockerLab unavailable: " + why);
    DockerLab lab = new DockerLab(options);
    Runtime.getRuntime().addShutdownHook(lab.shutdownHook);
    Result r = lab.launcher.up(options.hosts(), Duration.ofSeconds(120));
    if (!r.ok()) {
      lab.close();
      throw new IllegalStateException("lab up of " + options.hosts() + " hosts in "
          + options.labDir() + " failed (" + r.exitCode() + "): " + r.stderr().strip());
    }
    return lab;
  }

  public int hosts() {
    return options.hosts();
  }

  public Path labDir() {
    return options.labDir();
  }

  /** The netns and cgroup name prefix of a lab in labDir (absolute, normalized). */
  static String prefixOf(Path labDir) {
    return String.format("fd%06x", labDir.toString().hashCode() & 0xffffff);
  }

  /** Prefix of this lab's netns ({@code PREFIX-hI}, {@code PREFIX-sw}) and cgroup names. */
  public String prefix() {
    return prefix;
  }

  /** Host {@code host}'s address on the lab network (10.77.0.host). */
  public String address(int host) {
    hostDir(host);
    return SUBNET + "." + host;
  }

  /** The dataset root of {@code host}, as a path inside that host ({@link #exec}, spawn). */
  public Path datasetRoot(int host) {
    hostDir(host);
    return DATASET_ROOT;
  }

  /** The directory every host mounts at {@link #SHARED_MOUNT} (root namespace path); shared labs only. */
  public Path sharedRoot() {
    if (!options.sharedRoots()) throw new IllegalStateException("lab has private dataset roots");
    return labDir().resolve("shared-root");
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
    return Commands.run(cmd, Map.of(), timeout);
  }

  /** Runs {@code cmd} in the foreground inside host's network and mount namespaces. */
  public Result exec(int host, Duration timeout, String... cmd) {
    List<String> args = new ArrayList<>(List.of("exec", Integer.toString(host)));
    args.addAll(List.of(cmd));
    return script(timeout, args.toArray(String[]::new));
  }

  /** Starts {@code cmd} in the background inside host; returns its pid. Log: {@link #logFile}. */
  public long spawn(int host, String name, List<String> cmd) {
    List<String> args = new ArrayList<>(List.of("spawn", Integer.toString(host), name));
    args.addAll(cmd);
    Result r = script(Duration.ofSeconds(30), args.toArray(String[]::new));
    if (!r.ok()) {
      throw new IllegalStateException("spawn of " + name + " on host " + host + " failed: "
          + r.stderr().strip() + " (log " + logFile(host, name) + ")");
    }
    return Long.parseLong(r.stdout().strip());
  }

  /** Signals a spawned process (e.g. "TERM", "KILL") and waits until it has exited. */
  public void kill(int host, String name, String signal) {
    Result r = script(Duration.ofSeconds(60), "kill", Integer.toString(host), name, signal);
    if (!r.ok()) {
      throw new IllegalStateException("kill -" + signal + " of " + name + " on host " + host
          + " failed: " + r.stderr().strip());
    }
  }

  /** The log (stdout + stderr, appended across restarts) of a process spawned as {@code name}. */
  public Path logFile(int host, String name) {
    return hostDir(host).resolve("procs").resolve(name + ".log");
  }

  /** Host's dockerd log; a managed plugin's stdout and stderr land there (tagged plugin=ID). */
  public Path dockerdLog(int host) {
    return hostDir(host).resolve("dockerd.log");
  }

  /**
   * Limits what host sends on the lab network to {@code rate} (tc syntax, e.g. "200mbit"), or
   * removes the limit when rate is null: makes a transfer slow enough to interrupt on purpose.
   */
  public void limitEgress(int host, String rate) {
    Result r = rate == null
        ? exec(host, DEFAULT_TIMEOUT, "tc", "qdisc", "del", "dev", "eth0", "root")
        : exec(host, DEFAULT_TIMEOUT, "tc", "qdisc", "replace", "dev", "eth0", "root", "tbf",
            "rate", rate, "burst", "256kb", "latency", "100ms");
    // removing a limit twice is fine: what counts is that no tbf is left
    if (!r.ok() && (rate != null || exec(host, DEFAULT_TIMEOUT, "tc", "qdisc", "show", "dev", "eth0")
        .stdout().contains("tbf"))) {
      throw new IllegalStateException("tc on host " + host + " failed: " + r.stderr().strip());
    }
  }

  /** Stops and restarts host's dockerd (containers stop; restart policies and plugin re-Get apply). */
  public void restartDockerd(int host) {
    Result r = script(Duration.ofSeconds(120), "restart", Integer.toString(host));
    if (!r.ok()) throw new IllegalStateException("restart of host " + host + " failed: " + r.stderr());
  }

  /** Stops host's dockerd (SIGTERM, as at shutdown: its containers stop without restart-policy care). */
  public void stopDockerd(int host) {
    Result r = script(Duration.ofSeconds(120), "stop", Integer.toString(host));
    if (!r.ok()) throw new IllegalStateException("stop of host " + host + "'s dockerd failed: " + r.stderr());
  }

  /** Starts host's dockerd again after {@link #stopDockerd}. */
  public void startDockerd(int host) {
    Result r = script(Duration.ofSeconds(120), "start", Integer.toString(host));
    if (!r.ok()) throw new IllegalStateException("start of host " + host + "'s dockerd failed: " + r.stderr());
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

  // synchronized: a caller that tears down other things afterwards must not overtake a down
  // still removing containers, which needs the plugins for Unmount
  private synchronized void down() {
    if (closed.compareAndSet(false, true)) {
      launcher.stopUp();
      Result r = script(Duration.ofSeconds(180), "down");
      if (!r.ok()) System.err.println("[DockerLab] down failed (" + r.exitCode() + "): " + r.stderr());
    }
  }

  private Path hostDir(int host) {
    if (host < 1 || host > options.hosts()) throw new IllegalArgumentException("no host " + host);
    return labDir().resolve("h" + host);
  }

  private Result script(Duration timeout, String... args) {
    return launcher.run(timeout, args);
  }

  private static String client() {
    return LabRequirements.env("CLIENT", "/usr/bin/docker");
  }
}
