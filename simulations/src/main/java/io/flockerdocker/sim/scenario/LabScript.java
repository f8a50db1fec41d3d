package io.flockerdocker.sim.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The lab launcher (docker-hosts.sh) copied out of the class path and run with one lab's env. */
final class LabScript {
  static final String RESOURCE = "/io/flockerdocker/sim/lab/docker-hosts.sh";

  private final Path script;
  private final Map<String, String> env;
  private volatile Process upProcess;

  private LabScript(Path script, Map<String, String> env) {
    this.script = script;
    this.env = Map.copyOf(env);
  }

  /** Copies the launcher into the lab dir: it must work from a jar as well as from the repo. */
  static LabScript extract(Path labDir, Map<String, String> env) {
    Path target = labDir.resolve("docker-hosts.sh");
    try (InputStream in = LabScript.class.getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException(RESOURCE + " not on the class path");
      Files.createDirectories(labDir);
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      return new LabScript(target, env);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract the lab launcher to " + target, e);
    }
  }

  DockerLab.Result run(Duration timeout, String... args) {
    return Commands.run(command(args), env, timeout);
  }

  /** {@code up N}, remembering the process so that {@link #stopUp} can stop it. */
  DockerLab.Result up(int hosts, Duration timeout) {
    return Commands.run(command("up", Integer.toString(hosts)), env, timeout, p -> upProcess = p);
  }

  /** Ctrl-C during up: stop it first, or it would go on creating hosts after down removed them. */
  void stopUp() {
    Process p = upProcess;
    if (p == null || !p.isAlive()) return;
    p.destroy();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the caller's down still runs: it is the point of the hook
    }
  }

  private List<String> command(String... args) {
    List<String> cmd = new ArrayList<>(List.of("bash", script.toString()));
    cmd.addAll(List.of(args));
    return cmd;
  }
}
