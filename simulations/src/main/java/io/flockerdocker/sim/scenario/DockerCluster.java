package io.flockerdocker.sim.scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * flocker-docker deployed on a DockerLab the way a user deploys it on real machines, through the
 * launcher contract only: {@code ca init}, {@code ca node} and {@code node-config} per host, the
 * control service on host 1 and one {@code agent --config} per host, each inside its host.
 */
public final class DockerCluster implements AutoCloseable {
  /**
   * {@code sharedBackend}: one dataset root for all hosts and {@code --backend shared};
   * {@code launcher} null: {@link FlockerLauncher#find()}; {@code agents} false: configs and
   * control service only, the caller runs the agents (e.g. as managed plugins).
   */
  public record Options(int hosts, Path labDir, boolean sharedBackend, String rootSize, Path keepLogs,
      Duration ready, FlockerLauncher launcher, boolean agents) {
    public static Options of(int hosts, Path labDir) {
      return new Options(hosts, labDir, false, "2g", null, Duration.ofSeconds(120), null, true);
    }

    /** No {@code agent} processes: {@link #up} stops after the control service is listening. */
    public Options withoutAgents() {
      return new Options(hosts, labDir, sharedBackend, rootSize, keepLogs, ready, launcher, false);
    }

    public Options withSharedBackend() {
      return new Options(hosts, labDir, true, rootSize, keepLogs, ready, launcher, agents);
    }

    public Options withRootSize(String size) {
      return new Options(hosts, labDir, sharedBackend, size, keepLogs, ready, launcher, agents);
    }

    public Options withKeepLogs(Path dir) {
      return new Options(hosts, labDir, sharedBackend, rootSize, dir, ready, launcher, agents);
    }

    public Options withReady(Duration timeout) {
      return new Options(hosts, labDir, sharedBackend, rootSize, keepLogs, timeout, launcher, agents);
    }

    public Options withLauncher(FlockerLauncher l) {
      return new Options(hosts, labDir, sharedBackend, rootSize, keepLogs, ready, l, agents);
    }
  }

  public static final int CONTROL_PORT = 4523;
  public static final int STATUS_PORT = 4530;
  public static final String CONTROL = "control";
  public static final String AGENT = "agent";
  /** Where node-config points each agent's datasets, inside its host (the shared mount if shared). */
  public static final Path DATA_ROOT = DockerLab.SHARED_MOUNT;
  static final String SOCKET = "/run/docker/plugins/flocker.sock";

  private final DockerLab lab;
  private final Options options;
  private final FlockerLauncher launcher;
  private final List<String> uuids = new ArrayList<>();
  private final Probes probes;

  private DockerCluster(DockerLab lab, Options options, FlockerLauncher launcher) {
    this.lab = lab;
    this.options = options;
    this.launcher = launcher;
    this.probes = new Probes(lab);
  }

  /** Lab, certificates, configs, control service, agents; waits until every host is ready. */
  public static DockerCluster up(Options o, Consumer<String> say) {
    FlockerLauncher launcher = o.launcher() != null ? o.launcher() : FlockerLauncher.find();
    DockerLab.Options lo = DockerLab.Options.of(o.hosts(), o.labDir()).withRootSize(o.rootSize());
    if (o.sharedBackend()) lo = lo.withSharedRoots();
    if (o.keepLogs() != null) lo = lo.withKeepLogs(o.keepLogs());
    say.accept("starting " + o.hosts() + " Docker hosts under " + o.labDir()
        + (o.sharedBackend() ? " (one shared dataset root)" : " (private dataset roots)"));
    DockerCluster c = new DockerCluster(DockerLab.up(lo), o, launcher);
    try {
      c.configure(say);
      c.startControl();
      if (o.agents()) {
        for (int h = 1; h <= o.hosts(); h++) c.startAgent(h);
        for (int h = 1; h <= o.hosts(); h++) c.awaitReady(h, o.ready());
        say.accept("flocker-docker ready on " + o.hosts() + " hosts; logs under " + o.labDir() + "/h*/procs");
      }
      return c;
    } catch (RuntimeException | Error e) {
      c.close();
      throw e;
    }
  }

  public DockerLab lab() {
    return lab;
  }

  /** The node UUID that {@code ca node} printed for host. */
  public String uuid(int host) {
    return uuids.get(host - 1);
  }

  public String name(int host) {
    return "host" + host;
  }

  /** The certificate directory ({@code ca init --dir}); host I's files are in {@code tls/hostI}. */
  public Path tlsDir() {
    return lab.labDir().resolve("tls");
  }

  /** Host's agent config as written by {@code node-config}. */
  public Path config(int host) {
    return lab.labDir().resolve(name(host) + ".conf");
  }

  /** {@code agent --config hostI.conf} inside host (also to restart it after {@link #killAgent}). */
  public void startAgent(int host) {
    lab.spawn(host, AGENT, launcher.command("agent", "--config", config(host).toString()));
  }

  /** Signals host's agent ("TERM": clean stop, "KILL": crash) and waits until it is gone. */
  public void killAgent(int host, String signal) {
    lab.kill(host, AGENT, signal);
  }

  /** Waits until host's agent serves its plugin socket, reports ready and dockerd lists volumes. */
  public void awaitReady(int host, Duration timeout) {
    probes.awaitAgentReady(host, STATUS_PORT, lab.logFile(host, AGENT), timeout);
  }

  /** Everything runs inside the lab's hosts: down removes containers first, then stops it all. */
  @Override
  public void close() {
    lab.close();
  }

  private void configure(Consumer<String> say) {
    Path tls = tlsDir();
    run("ca", "init", "--dir", tls.toString(), "--control-address", lab.address(1));
    String seeds = lab.address(1) + (options.hosts() > 1 ? "," + lab.address(2) : "");
    for (int h = 1; h <= options.hosts(); h++) {
      String out = run("ca", "node", "--dir", tls.toString(), "--name", name(h), "--address", lab.address(h));
      String[] lines = out.strip().split("\n");
      uuids.add(lines[lines.length - 1].strip());
      List<String> args = new ArrayList<>(List.of("node-config", "--name", name(h), "--address",
          lab.address(h), "--seeds", seeds, "--control", controlUrl(), "--tls-dir",
          tls.resolve(name(h)).toString(), "--data-root", DATA_ROOT.toString(), "--socket", SOCKET,
          "--status-port", Integer.toString(STATUS_PORT)));
      if (options.sharedBackend()) args.addAll(List.of("--backend", "shared"));
      write(config(h), run(args.toArray(String[]::new)));
      say.accept(name(h) + ": node " + uuid(h) + ", config " + config(h));
    }
  }

  private void startControl() {
    Path data = lab.labDir().resolve("control-data"); // host 1's disk: kept out of the dataset root
    lab.spawn(1, CONTROL, launcher.command("control", "--port", Integer.toString(CONTROL_PORT),
        "--data", data.toString(), "--tls-dir", tlsDir().toString(), "--listen", lab.address(1)));
    probes.awaitListening(1, CONTROL_PORT, lab.logFile(1, CONTROL), options.ready());
  }

  public String controlUrl() {
    return "https://" + lab.address(1) + ":" + CONTROL_PORT;
  }

  /** A one-shot subcommand run by the operator (root namespaces); its stdout. */
  private String run(String... args) {
    return Commands.check(launcher.command(args), Map.of(), Duration.ofSeconds(60));
  }

  private static void write(Path file, String content) {
    try {
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
