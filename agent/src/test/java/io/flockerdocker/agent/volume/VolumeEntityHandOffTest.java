package io.flockerdocker.agent.volume;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster Sharding's stop message ({@link VolumeCommands.HandOff}): an entity handed off to
 * another node while an operation is in flight stops only once that operation is done, so the
 * next incarnation never works on the volume while the old one's calls are still running.
 */
@ExtendWith(LogCapturingExtension.class)
class VolumeEntityHandOffTest {
  static final ActorTestKit testKit = ActorTestKit.create("VolumeEntityHandOffTest",
      VolumeTestConfig.config(Path.of(System.getProperty("java.io.tmpdir"), "handoff-test"),
          "flocker-docker.flocker.poll-interval = 100ms\n"
              + "flocker-docker.flocker.poll-interval-busy = 10ms"));
  static final ExecutorService io = Executors.newSingleThreadExecutor();

  @TempDir Path dir;
  VolumeEntityFixture fx;

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
    io.shutdownNow();
  }

  @BeforeEach
  void setUp() {
    fx = new VolumeEntityFixture(testKit, dir, io);
  }

  @AfterEach
  void tearDown() {
    fx.stop();
  }

  @Test
  void anIdleEntityStopsAtOnce() {
    ActorRef<VolumeCommands.Command> demo = fx.entity("demo");
    assertThat(fx.create(demo, fx.node1, VolumeOptions.none()))
        .isInstanceOf(VolumeCommands.Created.class);
    TestProbe<Object> watcher = testKit.createTestProbe();
    demo.tell(VolumeCommands.HandOff.INSTANCE);
    watcher.expectTerminated(demo, Duration.ofSeconds(5));
  }

  @Test
  void aHandedOffEntityFinishesItsMountBeforeItStops() {
    ActorRef<VolumeCommands.Command> demo = fx.entity("demo");
    assertThat(fx.create(demo, fx.node1, VolumeOptions.none()))
        .isInstanceOf(VolumeCommands.Created.class);
    fx.flocker.convergeOnStateRead(false); // the move to node2 stalls until we let it arrive
    TestProbe<VolumeCommands.MountReply> reply = testKit.createTestProbe();
    demo.tell(new VolumeCommands.Mount(VolumeEntityFixture.requestId(), fx.node2, "B", 0,
        VolumeEntityFixture.deadline(), reply.ref()));
    awaitPhase(demo, "moving");

    demo.tell(VolumeCommands.HandOff.INSTANCE);
    TestProbe<Object> watcher = testKit.createTestProbe();
    reply.expectNoMessage(Duration.ofMillis(500));
    assertThat(phase(demo)).isEqualTo("moving"); // still alive and still at it

    fx.flocker.convergeOnStateRead(true);
    VolumeCommands.MountReply granted = reply.receiveMessage(Duration.ofSeconds(10));
    assertThat(granted).isInstanceOf(VolumeCommands.Granted.class);
    assertThat(((VolumeCommands.Granted) granted).takeOver()).isTrue();
    watcher.expectTerminated(demo, Duration.ofSeconds(5));
  }

  private static String phase(ActorRef<VolumeCommands.Command> e) {
    TestProbe<VolumeCommands.VolumeStatus> p = testKit.createTestProbe();
    e.tell(new VolumeCommands.Inspect(Long.MAX_VALUE, p.ref()));
    return p.receiveMessage(Duration.ofSeconds(5)).state();
  }

  private static void awaitPhase(ActorRef<VolumeCommands.Command> e, String want) {
    long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!phase(e).equals(want)) {
      assertThat(System.nanoTime()).as("phase %s not reached", want).isLessThan(until);
      try {
        Thread.sleep(20);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        throw new AssertionError(ex);
      }
    }
  }
}
