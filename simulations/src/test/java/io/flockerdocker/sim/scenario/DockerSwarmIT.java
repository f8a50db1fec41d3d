package io.flockerdocker.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Swarm services and stacks with flocker volumes on three real dockerd hosts in one swarm
 * (DockerCluster + Swarm: private dataset roots, so data crosses the lab network on every move).
 * One lab for all scenarios, each with its own service and volume; the disruptive ones run last.
 * Drain timings are printed, never asserted.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerSwarmIT {
  /** First run writes MB of random data and its checksum; later runs check it. */
  static String dataScript(int mb) {
    return Swarm.idleAfter("if [ -f /data/sum ]; then md5sum -c -s /data/sum && echo intact"
        + " || echo CORRUPT; else dd if=/dev/urandom of=/data/blob bs=1048576 count=" + mb
        + " 2>/dev/null && md5sum /data/blob > /data/sum && echo wrote; fi");
  }

  private static final Duration MOVE = Duration.ofSeconds(180);
  private static final String WHO = "[DockerSwarmIT] ";
  private static DockerCluster cluster;
  private static Swarm swarm;
  private static Path files;

  @BeforeAll
  static void up() throws Exception {
    LabGate.requireLab("DockerSwarmIT");
    long pid = ProcessHandle.current().pid();
    // short: socket paths are limited to 108 bytes
    cluster = DockerCluster.up(DockerCluster.Options.of(3, Path.of("/tmp", "fdsw-it-" + pid))
        .withKeepLogs(Path.of("/tmp", "fdsw-it-" + pid + "-logs")), s -> System.err.println(WHO + s));
    swarm = Swarm.form(cluster, s -> System.err.println(WHO + s));
    files = Files.createTempDirectory("fdsw-stacks");
  }

  @AfterAll
  static void down() throws Exception {
    if (cluster != null) cluster.close();
    if (files != null) LocalCluster.deleteTree(files);
  }

  @Test
  @Order(1)
  void drainMovesTheTaskWithItsDataEmptyAndWith64Mb() throws Exception {
    List<Long> empty = drains("empty", true, 0, 3);
    List<Long> full = drains("full", true, 64, 3);
    System.err.println(WHO + "drain -> new task running, no data: " + empty + " ms; 64 MB: " + full + " ms");
  }

  @Test
  @Order(2)
  void withCopyUpTheNewHostsEarlyMountIsRefusedAndSwarmsRetryConverges() throws Exception {
    // without volume-nocopy the new host Mounts during Prepare, while the old task still runs
    List<Long> copyUp = drains("copyup", false, 8, 2);
    System.err.println(WHO + "drain -> new task running with copy-up (early Mount), 8 MB: " + copyUp + " ms");
    String refusals = swarm.check(1, "service", "ps", "--no-trunc", "--format", "{{.Error}}", "copyup");
    System.err.println(WHO + "docker service ps copyup errors:\n" + refusals.strip());
    swarm.check(1, "service", "rm", "copyup");
  }

  /** A service on volume NAME with MB of data, drained {@code times} from host to host. */
  private static List<Long> drains(String name, boolean nocopy, int mb, int times) throws Exception {
    swarm.createService(name, name, nocopy, 1, dataScript(mb));
    Swarm.Task t = swarm.awaitOneRunning(name, any(), MOVE);
    assertThat(SwarmDemo.awaitLog(swarm, t, "wrote")).as("first task of %s", name).isEqualTo("wrote");
    List<Long> ms = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      int from = t.host();
      Instant start = Instant.now();
      swarm.drain(from);
      t = swarm.awaitOneRunning(name, on(h -> h != from), MOVE);
      ms.add(Duration.between(start, Instant.now()).toMillis());
      swarm.activate(from);
      assertThat(SwarmDemo.awaitLog(swarm, t, "intact")).as("%s's data on host%d after the drain of host%d",
          name, t.host(), from).isEqualTo("intact");
    }
    return ms;
  }

  @Test
  @Order(3)
  void aSecondReplicaOnAnotherHostIsRefusedVisiblyInServicePs() throws Exception {
    swarm.createService("dup", "dup", 2, Swarm.idleAfter("echo up"), "--replicas-max-per-node", "1");
    Swarm.Task holder = swarm.awaitOneRunning("dup", any(), MOVE);
    String ps = Faults.untilValue(MOVE, "a refused replica in docker service ps",
        () -> swarm.check(1, "service", "ps", "--no-trunc", "--format", "{{.Node}} {{.Error}}", "dup"),
        out -> out.contains("is in use on " + cluster.name(holder.host())));
    System.err.println(WHO + "docker service ps dup:\n" + ps);
    assertThat(ps).contains("stop the containers using it there first");
    assertThat(swarm.running("dup")).as("running replicas of dup").hasSize(1);
    swarm.check(1, "service", "rm", "dup");
  }

  @Test
  @Order(4)
  void stackDeployWithATopLevelFlockerVolumeFollowsADrain() throws Exception {
    Path stack = files.resolve("stack.yml");
    Files.writeString(stack, stackFile("stackdb", "", dataScript(1)));
    swarm.check(1, "stack", "deploy", "--resolve-image", "never", "-c", stack.toString(), "st");
    Swarm.Task t = swarm.awaitOneRunning("st_app", any(), MOVE);
    assertThat(SwarmDemo.awaitLog(swarm, t, "wrote")).isEqualTo("wrote");
    assertThat(swarm.check(t.host(), "volume", "inspect", "--format", "{{.Driver}}", "stackdb").strip())
        .isEqualTo("flocker");
    int from = t.host();
    Instant start = Instant.now();
    swarm.drain(from);
    t = swarm.awaitOneRunning("st_app", on(h -> h != from), MOVE);
    System.err.println(WHO + "stack drain -> new task running: "
        + Duration.between(start, Instant.now()).toMillis() + " ms");
    swarm.activate(from);
    assertThat(SwarmDemo.awaitLog(swarm, t, "intact")).isEqualTo("intact");
    swarm.check(1, "stack", "rm", "st");
  }

  @Test
  @Order(5)
  void aStackWithUnknownDriverOptsShowsOurErrorInServicePs() throws Exception {
    Path stack = files.resolve("bad.yml");
    Files.writeString(stack, stackFile("badopts", "    driver_opts: {colour: blue}\n",
        Swarm.idleAfter("echo up")));
    swarm.check(1, "stack", "deploy", "--resolve-image", "never", "-c", stack.toString(), "bad");
    String ps = Faults.untilValue(MOVE, "our Create error in docker service ps",
        () -> swarm.check(1, "service", "ps", "--no-trunc", "--format", "{{.Error}}", "bad_app"),
        out -> out.contains("unknown option(s) colour"));
    System.err.println(WHO + "docker service ps bad_app:\n" + ps);
    assertThat(ps).contains("valid options are size, profile");
    assertThat(swarm.running("bad_app")).isEmpty();
    swarm.check(1, "stack", "rm", "bad");
  }

  static String stackFile(String volume, String opts, String script) {
    return "version: \"3.8\"\nservices:\n  app:\n    image: " + Swarm.IMAGE + "\n"
        + "    command: [\"sh\", \"-c\", \"" + script.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]\n"
        + "    stop_grace_period: 1s\n"
        + "    volumes:\n      - {type: volume, source: db, target: /data, volume: {nocopy: true}}\n"
        + "volumes:\n  db:\n    driver: flocker\n    name: " + volume + "\n" + opts;
  }

  static Predicate<Swarm.Task> any() {
    return t -> true;
  }

  static Predicate<Swarm.Task> on(java.util.function.IntPredicate host) {
    return t -> host.test(t.host());
  }
}
