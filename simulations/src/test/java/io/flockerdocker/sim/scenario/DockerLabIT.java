package io.flockerdocker.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Smoke test of the real-engine lab: one host runs a busybox container. Where the lab cannot run
 * (not root, no dockerd, no docker-hosts.sh) it is skipped and the reason is printed.
 */
class DockerLabIT {
  @Test
  void oneHostRunsBusybox() {
    String why = DockerLab.unavailableReason();
    if (why != null) System.err.println("[DockerLabIT] SKIPPED, DockerLab unavailable: " + why);
    assumeTrue(why == null, () -> "DockerLab unavailable: " + why);
    Path labDir = Path.of("/tmp", "dlab-it-" + ProcessHandle.current().pid());
    try (DockerLab lab = DockerLab.up(1, labDir)) {
      assertThat(lab.pluginDir(1)).isDirectory();
      DockerLab.Result r = lab.docker(1, "run", "--rm", "busybox:local", "echo", "hi");
      assertThat(r.ok()).as("docker run: %s", r).isTrue();
      assertThat(r.stdout()).isEqualTo("hi\n");
    }
    assertThat(Files.exists(labDir)).as("down removes the lab dir").isFalse();
  }
}
