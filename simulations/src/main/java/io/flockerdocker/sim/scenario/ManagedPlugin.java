package io.flockerdocker.sim.scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * flocker-docker as a Docker managed plugin on a {@link DockerCluster} started {@code
 * withoutAgents()}: the package is built once by {@code bin/build-plugin} (rootfs + config.json)
 * and each host gets it the way the README tells a user: {@code docker plugin create}, {@code
 * docker plugin set} (control URL, the host's node.conf and certificate directories), {@code
 * docker plugin enable}.
 */
public final class ManagedPlugin {
  /** The plugin's name on every host, hence the volume driver name ({@code flocker:latest}). */
  public static final String NAME = "flocker";
  private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration CREATE_TIMEOUT = Duration.ofMinutes(2);

  private final Path dir;

  private ManagedPlugin(Path dir) {
    this.dir = dir;
  }

  /** Runs {@code bin/build-plugin --jar agentJar dir}; dir must not exist yet. */
  public static ManagedPlugin build(Path dir, Path agentJar) {
    Commands.check(List.of(buildScript().toString(), "--jar", agentJar.toString(), dir.toString()),
        Map.of(), BUILD_TIMEOUT);
    return new ManagedPlugin(dir);
  }

  /** The plugin directory ({@code config.json}, {@code rootfs/}). */
  public Path dir() {
    return dir;
  }

  /** Size of the rootfs in bytes (files only; what {@code docker plugin create} copies). */
  public long rootfsBytes() {
    try (var files = Files.walk(dir.resolve("rootfs"))) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot measure " + dir.resolve("rootfs"), e);
    }
  }

  /**
   * {@code docker plugin create} on host, then {@code docker plugin set} of the control URL and
   * of the mounts: host's node.conf (copied into a directory of its own, as
   * /etc/flocker-docker is on a real host) and its certificate directory from {@code ca node}.
   */
  public void install(DockerCluster cluster, int host) {
    DockerLab lab = cluster.lab();
    Path config = lab.labDir().resolve("plugin-config").resolve(cluster.name(host));
    try {
      Files.createDirectories(config);
      Files.copy(cluster.config(host), config.resolve("node.conf"), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + config, e);
    }
    check(lab, host, CREATE_TIMEOUT, "plugin", "create", NAME, dir.toString());
    check(lab, host, DockerLab.DEFAULT_TIMEOUT, set(cluster.controlUrl(), config,
        cluster.tlsDir().resolve(cluster.name(host))));
  }

  /** {@code docker plugin set NAME KEY=VALUE...} (the plugin must be disabled). */
  public DockerLab.Result set(DockerLab lab, int host, String... settings) {
    List<String> args = new ArrayList<>(List.of("plugin", "set", NAME));
    args.addAll(List.of(settings));
    return lab.docker(host, args.toArray(String[]::new));
  }

  /** {@code docker plugin enable NAME}: returns once dockerd reached the plugin's socket, or failed. */
  public DockerLab.Result enable(DockerLab lab, int host) {
    return lab.docker(host, "plugin", "enable", NAME);
  }

  /** {@code docker plugin disable [-f] NAME}. */
  public DockerLab.Result disable(DockerLab lab, int host, boolean force) {
    return force ? lab.docker(host, "plugin", "disable", "-f", NAME)
        : lab.docker(host, "plugin", "disable", NAME);
  }

  /** Whether {@code docker plugin inspect} says enabled. */
  public boolean enabled(DockerLab lab, int host) {
    DockerLab.Result r = lab.docker(host, "plugin", "inspect", "--format", "{{.Enabled}}", NAME);
    return r.ok() && r.stdout().strip().equals("true");
  }

  private static String[] set(String controlUrl, Path config, Path certs) {
    return new String[] {"plugin", "set", NAME, "FLOCKER_CONTROL_URL=" + controlUrl,
        "config.source=" + config, "certs.source=" + certs};
  }

  private static void check(DockerLab lab, int host, Duration timeout, String... args) {
    DockerLab.Result r = lab.docker(host, timeout, args);
    if (!r.ok()) {
      throw new IllegalStateException("host" + host + ": docker " + String.join(" ", args)
          + " failed (" + (r.timedOut() ? "timed out" : "exit " + r.exitCode()) + "): "
          + r.stderr().strip());
    }
  }

  /** bin/build-plugin of this checkout: the first one above the working directory. */
  static Path buildScript() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path script = d.resolve("bin/build-plugin");
      if (Files.isExecutable(script)) {
        return script;
      }
    }
    throw new IllegalStateException("no executable bin/build-plugin above " + Path.of("").toAbsolutePath());
  }
}
