package io.flockerdocker.sim.scenario;

import static io.flockerdocker.sim.scenario.DockerSwarmIT.any;
import static io.flockerdocker.sim.scenario.DockerSwarmIT.dataScript;
import static io.flockerdocker.sim.scenario.DockerSwarmIT.on;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Faults under a Swarm service with a flocker volume on three real dockerd hosts with private
 * dataset roots: a second drain while the first move is under way, dockerd restarted under the
 * task, and a host whose agent and dockerd die (recovered by {@code release} plus the host's
 * return, since its disk holds the data). Each ends with exactly one running task and the data
 * intact. Durations are printed, never asserted.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerSwarmFaultsIT {
  private static final Duration MOVE = Duration.ofSeconds(180);
  private static final String WHO = "[DockerSwarmFaultsIT] ";
  private static DockerCluster cluster;
  private static Swarm swarm;

  @BeforeAll
  static void up() {
    LabGate.requireLab("DockerSwarmFaultsIT");
    long pid = ProcessHandle.current().pid();
    // short: socket paths are limited to 108 bytes
    cluster = DockerCluster.up(DockerCluster.Options.of(3, Path.of("/tmp", "fdsf-it-" + pid))
        .withKeepLogs(Path.of("/tmp", "fdsf-it-" + pid + "-logs")), s -> System.err.println(WHO + s));
    swarm = Swarm.form(cluster, s -> System.err.println(WHO + s));
  }

  @AfterAll
  static void down() {
    if (cluster != null) cluster.close();
  }

  /** A new service on volume NAME with MB of data; its first task, once it wrote them. */
  private static Swarm.Task started(String name, int mb) {
    swarm.createService(name, name, 1, dataScript(mb));
    Swarm.Task t = swarm.awaitOneRunning(name, any(), MOVE);
    assertThat(SwarmDemo.awaitLog(swarm, t, "wrote")).as("first task of %s", name).isEqualTo("wrote");
    return t;
  }

  private static void intact(String name, Swarm.Task t) {
    assertThat(swarm.running(name)).as("running tasks of %s", name).hasSize(1);
    assertThat(SwarmDemo.awaitLog(swarm, t, "intact")).as("%s's data on host%d", name, t.host())
        .isEqualTo("intact");
  }

  @Test
  @Order(1)
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
  @Order(2)
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
  @Order(3)
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
}
