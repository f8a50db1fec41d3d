package io.flockerdocker.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * DockerCluster's deployment steps on a 2-host lab, with a stand-in launcher (fake-flocker.sh)
 * instead of the agent jar: the contract's calls in order, processes inside their hosts,
 * readiness, agent crash and restart, and a down that leaves nothing.
 */
class DockerClusterHarnessIT {
  @Test
  void deploysThroughTheLauncherContractAndRestartsAnAgent() throws Exception {
    LabGate.requireLab("DockerClusterHarnessIT");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "the stand-in needs python3");
    Path work = Files.createTempDirectory("fdh-");
    Path fake = work.resolve("fake-flocker.sh");
    try (InputStream in = getClass().getResourceAsStream("/io/flockerdocker/sim/lab/fake-flocker.sh")) {
      Files.copy(in, fake);
    }
    Path calls = work.resolve("calls");
    FlockerLauncher launcher = new FlockerLauncher(List.of("env", "FAKE_CALLS=" + calls, "bash", fake.toString()));
    Path labDir = Path.of("/tmp", "fdl-h-" + ProcessHandle.current().pid());
    String prefix;
    try (DockerCluster c = DockerCluster.up(DockerCluster.Options.of(2, labDir).withLauncher(launcher)
        .withReady(Duration.ofSeconds(30)), s -> System.err.println("[DockerClusterHarnessIT] " + s))) {
      prefix = c.lab().prefix();
      assertThat(c.uuid(2)).isEqualTo("00000000-0000-4000-8000-000000000002");
      String tls = c.tlsDir().toString();
      assertThat(Files.readAllLines(calls)).startsWith(
          "ca init --dir " + tls + " --control-address 10.77.0.1",
          "ca node --dir " + tls + " --name host1 --address 10.77.0.1",
          "node-config --name host1 --address 10.77.0.1 --seeds 10.77.0.1,10.77.0.2"
              + " --control https://10.77.0.1:4523 --tls-dir " + tls + "/host1"
              + " --data-root /var/lib/flocker-docker/datasets --socket /run/docker/plugins/flocker.sock"
              + " --status-port 4530");
      assertThat(Files.readAllLines(calls)).contains("control --port 4523 --data " + labDir
          + "/control-data --tls-dir " + tls + " --listen 10.77.0.1");
      assertThat(c.config(2)).content().contains("name = host2");
      // host 2 reaches the control service on host 1 over the lab network
      assertThat(c.lab().exec(2, Duration.ofSeconds(10), "/bin/busybox", "wget", "-q", "-O", "/dev/null",
          "http://10.77.0.1:4523/").ok()).isTrue();

      c.killAgent(2, "KILL");
      assertThat(c.lab().exec(2, Duration.ofSeconds(10), "/bin/busybox", "wget", "-q", "-O", "/dev/null",
          "http://127.0.0.1:4530/health/ready").ok()).as("health after SIGKILL").isFalse();
      c.startAgent(2);
      c.awaitReady(2, Duration.ofSeconds(30));
      String log = Files.readString(c.lab().logFile(2, DockerCluster.AGENT));
      assertThat(log.split("fake agent ready", -1)).as("both lives in the appended log: %s", log).hasSize(3);
    } finally {
      LocalCluster.deleteTree(work);
    }
    assertThat(labDir).doesNotExist();
    Process ip = new ProcessBuilder("ip", "netns", "list").start();
    assertThat(new String(ip.getInputStream().readAllBytes())).doesNotContain(prefix + "-");
  }
}
