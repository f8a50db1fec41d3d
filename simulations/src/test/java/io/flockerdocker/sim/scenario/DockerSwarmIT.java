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
 * One lab for all scenarios, each with its own service and volume. Usage first (drains, refusals,
 * stacks), then faults: a drain during a move, dockerd restarted under the task, and a host whose
 * agent and dockerd die (recovered by {@code release} plus the host's return, since its disk holds
 * the data); each ends with exactly one running task and the data intact. Durations are printed,
 * never asserted.
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
    swarm.check(1, "service", "rm", "empty", "full"); // the later faults would move them too
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
    Swarm.Task t = started(name, nocopy, mb);
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
    swarm.removeStack("st", MOVE);
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
    swarm.removeStack("bad", MOVE);
  }

  @Test
  @Order(6)
  void aDrainOfTheTargetDuringAMoveEndsWithOneTaskOnTheThirdHost() throws Exception {
    Swarm.Task t = started("hop", 64);
    int a = t.host();
    swarm.drain(a);
    // the replacement is assigned (and prepared) before the old task is gone: drain its host too
    Swarm.Task assigned = Faults.untilValue(MOVE, "a replacement task assigned to another host",
        () -> swarm.tasks("hop").stream().filter(x -> "running".equals(x.desired()) && x.host() != 0
            && x.host() != a).findFirst().orElse(null), x -> x != null);
    int b = assigned.host();
    System.err.println(WHO + "replacement on host" + b + " in state " + assigned.state() + ": draining it too");
    swarm.drain(b);
    Swarm.Task end = swarm.awaitOneRunning("hop", on(h -> h != a && h != b), MOVE);
    swarm.activate(a);
    swarm.activate(b);
    intact("hop", end);
    swarm.check(1, "service", "rm", "hop");
  }

  @Test
  @Order(7)
  void dockerdRestartedUnderTheTaskEndsWithOneTaskAndTheData() throws Exception {
    Swarm.Task t = started("rst", 8);
    // not the manager's engine: restarting host 1 would restart the whole (one-manager) swarm
    if (t.host() == 1) {
      swarm.drain(1);
      t = swarm.awaitOneRunning("rst", on(h -> h != 1), MOVE);
      swarm.activate(1);
    }
    String before = t.id();
    Instant start = Instant.now();
    cluster.lab().restartDockerd(t.host());
    Swarm.Task after = swarm.awaitOneRunning("rst", x -> !x.id().equals(before), MOVE);
    System.err.println(WHO + "dockerd of host" + t.host() + " restarted: new task on host" + after.host()
        + " running " + Duration.between(start, Instant.now()).toMillis() + " ms after the restart began");
    intact("rst", after);
    swarm.check(1, "service", "rm", "rst");
  }

  @Test
  @Order(8)
  void aDeadHostsTaskRunsElsewhereAfterReleaseAndTheHostsReturn() throws Exception {
    Swarm.Task t = started("dead", 8);
    if (t.host() == 1) { // host 1 runs the swarm manager and the control service: keep it alive
      swarm.drain(1);
      t = swarm.awaitOneRunning("dead", on(h -> h != 1), MOVE);
      swarm.activate(1);
    }
    int x = t.host();
    String old = t.id();
    String name = cluster.name(x);
    Instant start = Instant.now();
    cluster.killAgent(x, "KILL");
    cluster.lab().stopDockerd(x);
    String refused = awaitError("dead", "which is unreachable");
    System.err.println(WHO + "host" + x + " dead; " + ms(start) + " ms later Swarm's new task is refused: " + refused);
    assertThat(refused).contains("flocker-docker release dead --from " + name);

    int other = x == 2 ? 3 : 2;
    DockerLab.Result rel = cluster.lab().exec(other, Duration.ofSeconds(60),
        FlockerLauncher.find().command("release", "dead", "--from", name).toArray(String[]::new));
    assertThat(rel.ok()).as("release on host%d: %s", other, rel).isTrue();
    // directory backend: the only copy of the data is on the dead host's disk
    String noData = awaitError("dead", "has its data on " + name);
    System.err.println(WHO + "after release (" + ms(start) + " ms): " + noData);

    Instant back = Instant.now();
    // the agent first, as a booting host starts it: dockerd's startup asks the plugin about its
    // volumes and waits out its plugin retries while the socket is missing
    cluster.startAgent(x);
    cluster.lab().startDockerd(x);
    cluster.awaitReady(x, Duration.ofSeconds(90));
    Swarm.Task end = swarm.awaitOneRunning("dead", y -> !y.id().equals(old), MOVE);
    System.err.println(WHO + "host" + x + " back: task running on host" + end.host() + " " + ms(back)
        + " ms after its restart began, " + ms(start) + " ms after the failure");
    intact("dead", end);
  }

  /** Polls docker service ps until some task's error contains text; that error. */
  private static String awaitError(String service, String text) throws Exception {
    return Faults.untilValue(MOVE, "a task error containing '" + text + "'",
        () -> swarm.tasks(service).stream().map(Swarm.Task::err).filter(e -> e.contains(text))
            .findFirst().orElse(""), e -> !e.isEmpty());
  }

  private static long ms(Instant since) {
    return Duration.between(since, Instant.now()).toMillis();
  }

  /** A new service on volume NAME with MB of data; its first task, once it wrote them. */
  private static Swarm.Task started(String name, int mb) {
    return started(name, true, mb);
  }

  private static Swarm.Task started(String name, boolean nocopy, int mb) {
    swarm.createService(name, name, nocopy, 1, dataScript(mb));
    Swarm.Task t = swarm.awaitOneRunning(name, any(), MOVE);
    assertThat(SwarmDemo.awaitLog(swarm, t, "wrote")).as("first task of %s", name).isEqualTo("wrote");
    return t;
  }

  private static void intact(String name, Swarm.Task t) {
    assertThat(swarm.running(name)).as("running tasks of %s", name).hasSize(1);
    assertThat(SwarmDemo.awaitLog(swarm, t, "intact")).as("%s's data on host%d", name, t.host())
        .isEqualTo("intact");
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
