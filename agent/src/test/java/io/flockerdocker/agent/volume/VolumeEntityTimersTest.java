package io.flockerdocker.agent.volume;

import static io.flockerdocker.agent.volume.VolumeTestConfig.NODE1;
import static io.flockerdocker.agent.volume.VolumeTestConfig.NODE2;
import static org.assertj.core.api.Assertions.assertThat;

import io.flockerdocker.agent.cluster.TestNodes;
import io.flockerdocker.agent.mounts.MountTable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The entity's waits, driven by ManualTime: recovery waiting for a just-restarted holder's count
 * push, and the retry of a lease release that failed. Log lines are the sync points, so the
 * clock is advanced only once the timer in question is armed.
 */
@ExtendWith(LogCapturingExtension.class)
class VolumeEntityTimersTest {
  static final ActorTestKit testKit = ActorTestKit.create("VolumeEntityTimersTest",
      ManualTime.config().withFallback(VolumeTestConfig.config(
          Path.of(System.getProperty("java.io.tmpdir"), "entity-timers-test"), "")));
  static final ManualTime time = ManualTime.get(testKit.system());
  static final ExecutorService io = Executors.newSingleThreadExecutor();

  @TempDir Path dir;
  VolumeEntityFixture fx;
  String datasetId;

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
    io.shutdownNow();
  }

  /** "demo" exists and node1 holds its lease; its entity is a fresh incarnation (hand-off). */
  @BeforeEach
  void setUp() {
    fx = new VolumeEntityFixture(testKit, dir, io);
    ActorRef<VolumeCommands.Command> first = fx.entity("demo");
    datasetId = ((VolumeCommands.Created) fx.create(first, fx.node1, VolumeOptions.none()))
        .dataset().datasetId();
    fx.fake.acquireLease(datasetId, NODE1, Optional.empty()).toCompletableFuture().join();
    testKit.stop(first);
  }

  @AfterEach
  void tearDown() {
    fx.stop();
  }

  @Test
  void recoveryWaitsForARestartedHoldersPushAndItsZeroGivesTheLeaseBack() {
    ActorRef<VolumeCommands.Command> demo = fx.entity("demo");
    TestProbe<VolumeCommands.RemoveReply> removed = removeWaitingForRestartedNode1(demo);
    time.expectNoMessageFor(Duration.ofSeconds(4), removed); // the Remove waits with recovery

    TestProbe<MountTable.Command> acks = testKit.createTestProbe();
    demo.tell(new VolumeCommands.HostCount(NODE1, 0, 7, acks.ref()));
    assertThat(acks.receiveMessage()).isEqualTo(new MountTable.Ack("demo", 7));
    assertThat(removed.receiveMessage(VolumeEntityFixture.WAIT)).isEqualTo(VolumeCommands.Removed.INSTANCE);
    assertThat(fx.leaseHolder(datasetId)).isEmpty();
    assertThat(fx.datasetsNamed("demo")).isEmpty();
  }

  @Test
  void aHolderSilentPastTheWaitStillHoldsTheVolume() {
    ActorRef<VolumeCommands.Command> demo = fx.entity("demo");
    TestProbe<VolumeCommands.RemoveReply> removed = removeWaitingForRestartedNode1(demo);
    time.expectNoMessageFor(VolumeEntity.HOLDER_ANNOUNCE.minusMillis(1), removed);
    time.timePasses(Duration.ofMillis(1));
    VolumeCommands.RemoveReply refused = removed.receiveMessage(VolumeEntityFixture.WAIT);
    assertThat(refused).isInstanceOf(VolumeCommands.Refused.class);
    assertThat(((VolumeCommands.Refused) refused).failure())
        .isInstanceOf(VolumeFailure.HeldElsewhere.class);
    assertThat(((VolumeCommands.Refused) refused).failure().message()).contains("node1");
    assertThat(fx.leaseHolder(datasetId)).contains(NODE1);
  }

  @Test
  void aFailedReleaseIsRetriedOnItsTimer() {
    node1Restarting();
    ActorRef<VolumeCommands.Command> demo = fx.entity("demo");
    TestProbe<MountTable.Command> acks = testKit.createTestProbe();
    LoggingTestKit.info("waiting for its mount count").expect(testKit.system(), () -> {
      // node2's table tells its 0 (it never held it): that wakes the entity, and decides nothing
      demo.tell(new VolumeCommands.HostCount(NODE2, 0, 1, acks.ref()));
      return null;
    });
    fx.fake.setUnreachable(true);
    LoggingTestKit.warn("lease release failed").expect(testKit.system(), () -> {
      demo.tell(new VolumeCommands.HostCount(NODE1, 0, 5, acks.ref()));
      return null;
    });
    assertThat(fx.leaseHolder(datasetIdWhileDown())).contains(NODE1);

    LoggingTestKit.info("given back").expect(testKit.system(), () -> {
      time.timePasses(VolumeEntity.RETRY_RELEASE);
      return null;
    });
    assertThat(fx.leaseHolder(datasetId)).isEmpty();
  }

  /**
   * node1 has just restarted and has not pushed yet; node2 asks to remove "demo", which makes the
   * entity recover and wait for node1's count. The probe gets the Remove's reply.
   */
  private TestProbe<VolumeCommands.RemoveReply> removeWaitingForRestartedNode1(
      ActorRef<VolumeCommands.Command> demo) {
    node1Restarting();
    TestProbe<VolumeCommands.RemoveReply> removed = testKit.createTestProbe();
    LoggingTestKit.info("waiting for its mount count").expect(testKit.system(), () -> {
      demo.tell(remove(removed));
      return null;
    });
    return removed;
  }

  /** The control service comes back (the lease is read through it). */
  private String datasetIdWhileDown() {
    fx.fake.setUnreachable(false);
    return datasetId;
  }

  /** node1 is Up and reachable again, its MountTable not announced yet: it just restarted. */
  private void node1Restarting() {
    TestNodes.publish(fx.deps.nodes(), new NodeRef(NODE1, "node1", null, "/flocker"), fx.node2);
  }

  private static VolumeCommands.Remove remove(TestProbe<VolumeCommands.RemoveReply> replyTo) {
    return new VolumeCommands.Remove(VolumeEntityFixture.requestId(), fx2(), Long.MAX_VALUE,
        replyTo.ref());
  }

  private static NodeRef fx2() {
    return new NodeRef(NODE2, "node2", null, "/flocker");
  }
}
