package io.flockerdocker.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The real-engine lab itself (one 3-host lab for the class): engines run, dataset roots are
 * private, hosts reach each other only over the lab network, spawn/kill work and down leaves
 * nothing behind. Fails (not skips) under DOCKERLAB=require when the lab cannot run.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerLabIT {
  private static final Duration T = Duration.ofSeconds(30);
  private static DockerLab lab;

  @BeforeAll
  static void up() {
    LabGate.requireLab("DockerLabIT");
    lab = DockerLab.up(3, Path.of("/tmp", "fdl-labit-" + ProcessHandle.current().pid()));
  }

  @AfterAll
  static void down() {
    if (lab != null) lab.close();
  }

  @Test
  @Order(1)
  void everyHostRunsBusybox() {
    for (int h = 1; h <= 3; h++) {
      assertThat(lab.pluginDir(h)).isDirectory();
      assertThat(ok(lab.docker(h, "run", "--rm", "busybox:local", "echo", "hi"))).isEqualTo("hi\n");
    }
  }

  @Test
  @Order(2)
  void datasetRootsArePrivateToEachHost() {
    String probe = lab.datasetRoot(1) + "/probe-" + ProcessHandle.current().pid();
    ok(lab.exec(1, T, "sh", "-c", "mkdir -p " + probe + " && echo secret > " + probe + "/f"));
    // a container on host 1 sees the directory the host's dockerd sees
    assertThat(ok(lab.docker(1, "run", "--rm", "-v", probe + ":/data", "busybox:local", "cat",
        "/data/f"))).isEqualTo("secret\n");
    assertThat(lab.exec(2, T, "test", "-e", probe).exitCode()).as("host 2 sees host 1's root").isEqualTo(1);
    assertThat(lab.exec(3, T, "test", "-e", probe).exitCode()).as("host 3 sees host 1's root").isEqualTo(1);
    assertThat(Path.of(probe)).as("the root namespace sees host 1's root").doesNotExist();
    assertThat(ok(lab.exec(1, T, "stat", "-f", "-c", "%T", lab.datasetRoot(1).toString())).strip())
        .isEqualTo("tmpfs");
  }

  @Test
  @Order(3)
  void everyHostPingsEveryOtherOverTheLabNetwork() {
    for (int from = 1; from <= 3; from++) {
      for (int to = 1; to <= 3; to++) {
        ok(lab.exec(from, T, "/bin/busybox", "ping", "-c1", "-W2", lab.address(to)));
      }
    }
    // a throttled host still talks (slowly); lifting the limit twice is fine
    lab.limitEgress(1, "100mbit");
    assertThat(ok(lab.exec(1, T, "tc", "qdisc", "show", "dev", "eth0"))).contains("tbf");
    ok(lab.exec(1, T, "/bin/busybox", "ping", "-c1", "-W2", lab.address(2)));
    lab.limitEgress(1, null);
    lab.limitEgress(1, null);
    assertThat(ok(lab.exec(1, T, "tc", "qdisc", "show", "dev", "eth0"))).doesNotContain("tbf");
    // the lab network is not routed to the root namespace
    assertThat(lab.exec(1, T, "/bin/busybox", "ip", "-4", "route").stdout()).doesNotContain("default");
  }

  @Test
  @Order(4)
  void spawnedProcessesTalkAcrossHostsAndAreKilled() throws Exception {
    long listener = lab.spawn(2, "nc", List.of("/bin/busybox", "nc", "-l", "-p", "5000"));
    DockerLab.Result sent = null;
    for (int i = 0; i < 50 && (sent == null || !sent.ok()); i++) {
      Thread.sleep(100); // until the listener is bound
      sent = lab.exec(1, T, "sh", "-c", "echo over-the-wire | /bin/busybox nc " + lab.address(2) + " 5000");
    }
    ok(sent);
    awaitExit(listener);
    assertThat(Files.readString(lab.logFile(2, "nc"))).contains("over-the-wire");

    long sleeper = lab.spawn(3, "sleeper", List.of("/bin/busybox", "sleep", "600"));
    assertThat(Path.of("/proc/" + sleeper)).exists();
    lab.kill(3, "sleeper", "KILL");
    awaitExit(sleeper);
  }

  @Test
  @Order(5)
  void downLeavesNothingBehind() throws Exception {
    Path dir = lab.labDir();
    String prefix = lab.prefix();
    lab.close();
    assertThat(dir).doesNotExist();
    Process ip = new ProcessBuilder("ip", "netns", "list").start();
    assertThat(new String(ip.getInputStream().readAllBytes())).doesNotContain(prefix + "-");
    assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(dir.toString());
    try (Stream<Path> cg = Files.walk(Path.of("/sys/fs/cgroup"), 4)) {
      assertThat(cg.filter(p -> p.getFileName() != null && p.getFileName().toString().startsWith(prefix)))
          .as("cgroup dirs of the lab").isEmpty();
    }
  }

  @Test
  @Order(6)
  void sharedRootsAreOneDirectoryOnEveryHost() throws Exception {
    Path dir = Path.of("/tmp", "fdl-labit-shared-" + ProcessHandle.current().pid());
    try (DockerLab shared = DockerLab.up(DockerLab.Options.of(2, dir).withSharedRoots())) {
      ok(shared.exec(1, T, "sh", "-c", "echo both > " + DockerLab.SHARED_MOUNT + "/f; echo mine > "
          + shared.datasetRoot(1) + "/private"));
      assertThat(ok(shared.exec(2, T, "cat", DockerLab.SHARED_MOUNT + "/f"))).isEqualTo("both\n");
      assertThat(shared.sharedRoot().resolve("f")).hasContent("both");
      // the rest of each root (where agents keep their state) stays private
      assertThat(shared.exec(2, T, "test", "-e", shared.datasetRoot(2) + "/private").exitCode()).isEqualTo(1);
    }
    assertThat(dir).doesNotExist();
  }

  /** Waits until pid is gone or a zombie: spawned processes are reaped late by PID 1. */
  private static void awaitExit(long pid) throws Exception {
    Path status = Path.of("/proc/" + pid + "/status");
    for (int i = 0; i < 100; i++) {
      if (!Files.exists(status) || Files.readString(status).matches("(?s).*State:\\s*Z.*")) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("pid " + pid + " still alive 10 s after it should have exited");
  }

  private static String ok(DockerLab.Result r) {
    assertThat(r.ok()).as("%s", r).isTrue();
    return r.stdout();
  }
}
