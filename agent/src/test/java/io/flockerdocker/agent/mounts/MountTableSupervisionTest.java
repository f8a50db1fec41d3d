package io.flockerdocker.agent.mounts;

import static org.assertj.core.api.Assertions.assertThat;

import io.flockerdocker.agent.status.Readiness;
import io.flockerdocker.agent.volume.VolumeTestConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13: the MountTable survives its own failures, a full stash, and readiness sees it. */
@ExtendWith(LogCapturingExtension.class)
class MountTableSupervisionTest {
  static final ActorTestKit testKit = ActorTestKit.create("MountTableSupervisionTest",
      VolumeTestConfig.config(Path.of(System.getProperty("java.io.tmpdir"), "mt-sup"), ""));
  static final ExecutorService io = Executors.newSingleThreadExecutor();

  @TempDir Path dir;
  final TestProbe<StatusReply<MountTable.Count>> replies = testKit.createTestProbe();
  final MountTableHealth health = new MountTableHealth();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
    io.shutdownNow();
  }

  @Test
  void aFullStashRefusesTheChangeAndKeepsServing() {
    ConcurrentLinkedQueue<Runnable> held = new ConcurrentLinkedQueue<>();
    AtomicBoolean open = new AtomicBoolean();
    // journal writes wait until the test opens the gate
    Executor gated = r -> {
      if (open.get()) {
        io.execute(r);
      } else {
        held.add(r);
      }
    };
    ActorRef<MountTable.Command> table = testKit.spawn(MountTable.create(new MountJournal(dir),
        Map.of(), gated, total -> { }, health, (v, c, seq, ack) -> { }, 2));
    for (String id : new String[] {"A", "B", "C", "D"}) {
      table.tell(new MountTable.Add("demo", id, replies.ref()));
    }
    // A is being written, B and C wait in the stash, D finds it full
    StatusReply<MountTable.Count> refused = replies.receiveMessage();
    assertThat(refused.isError()).isTrue();
    assertThat(refused.getError().getMessage()).isEqualTo(
        "this node's mount table is overloaded (2 commands wait for the journal); retry");
    TestProbe<MountTable.Count> get = testKit.createTestProbe();
    table.tell(new MountTable.Get("demo", get.ref()));
    assertThat(get.receiveMessage().mounts()).as("a read is answered, not stashed").isZero();

    open.set(true);
    held.forEach(io::execute);
    assertThat(replies.receiveSeveralMessages(3))
        .allSatisfy(r -> assertThat(r.isSuccess()).isTrue());
    table.tell(new MountTable.Get("demo", get.ref()));
    assertThat(get.receiveMessage().mounts()).isEqualTo(3);
    assertThat(health.problem()).isNull();
  }

  @Test
  void aFailureRestartsTheTableFromItsJournal() {
    AtomicBoolean failOnce = new AtomicBoolean(true);
    ActorRef<MountTable.Command> table = testKit.spawn(MountTable.create(new MountJournal(dir),
        Map.of(), io, total -> {
          if (total == 2 && failOnce.getAndSet(false)) {
            throw new IllegalStateException("boom after the write of B");
          }
        }, health, (v, c, seq, ack) -> { }));
    table.tell(new MountTable.Add("demo", "A", replies.ref()));
    assertThat(replies.receiveMessage().getValue().mounts()).isEqualTo(1);
    table.tell(new MountTable.Add("demo", "B", replies.ref()));
    replies.expectNoMessage(Duration.ofMillis(300)); // its incarnation failed before answering

    TestProbe<MountTable.Count> get = testKit.createTestProbe();
    table.tell(new MountTable.Get("demo", get.ref()));
    assertThat(get.receiveMessage().mounts()).as("B was on disk: reloaded").isEqualTo(2);
    assertThat(health.problem()).isNull();
  }

  @Test
  void aStoppedTableMakesTheNodeNotReady() {
    ActorRef<MountTable.Command> table = testKit.spawn(MountTable.create(new MountJournal(dir),
        Map.of(), io, total -> { }, health, (v, c, seq, ack) -> { }));
    testKit.spawn(MountTableHealth.watch(table, health));
    Readiness readiness = new Readiness(() -> true, health::problem);
    readiness.socketServing(true);
    TestProbe<MountTable.Count> get = testKit.createTestProbe();
    table.tell(new MountTable.Get("demo", get.ref()));
    get.receiveMessage();
    assertThat(readiness.ready()).isTrue();

    testKit.stop(table);
    get.awaitAssert(() -> {
      assertThat(readiness.ready()).isFalse();
      assertThat(readiness.reason()).startsWith("mount table stopped");
      return null;
    });
  }
}
