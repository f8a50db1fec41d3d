package io.flockerdocker.agent.mounts;

import static org.assertj.core.api.Assertions.assertThat;

import io.flockerdocker.agent.volume.VolumeTestConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The node's mount multiset: counting, journaling before the reply, reload, write failures. */
@ExtendWith(LogCapturingExtension.class)
class MountTableTest {
  static final Path STATE = Path.of(System.getProperty("java.io.tmpdir"), "mount-table-test");
  static final ActorTestKit testKit =
      ActorTestKit.create("MountTableTest", VolumeTestConfig.config(STATE, ""));
  static final ExecutorService io = Executors.newSingleThreadExecutor();

  @TempDir Path dir;
  MountJournal journal;
  ActorRef<MountTable.Command> table;
  TestProbe<StatusReply<MountTable.Count>> replies;

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
    io.shutdownNow();
  }

  @BeforeEach
  void setUp() {
    journal = new MountJournal(dir);
    table = testKit.spawn(MountTable.create(journal, Map.of(), io));
    replies = testKit.createTestProbe();
  }

  MountTable.Count add(ActorRef<MountTable.Command> t, String volume, String id) {
    t.tell(new MountTable.Add(volume, id, replies.ref()));
    return ok(replies.receiveMessage());
  }

  MountTable.Count drop(ActorRef<MountTable.Command> t, String volume, String id) {
    t.tell(new MountTable.Drop(volume, id, replies.ref()));
    return ok(replies.receiveMessage());
  }

  int count(ActorRef<MountTable.Command> t, String volume) {
    TestProbe<MountTable.Count> p = testKit.createTestProbe();
    t.tell(new MountTable.Get(volume, p.ref()));
    return p.receiveMessage().mounts();
  }

  ActorRef<MountTable.Reserved> reserved() {
    return testKit.<MountTable.Reserved>createTestProbe().ref();
  }

  static MountTable.Count ok(StatusReply<MountTable.Count> r) {
    assertThat(r.isSuccess()).as("reply %s", r).isTrue();
    return r.getValue();
  }

  @Test
  void aReservationCountsUntilItIsRecordedOrDropped() {
    table.tell(new MountTable.Reserve("demo", "request-1", far(), reserved()));
    assertThat(count(table, "demo")).isEqualTo(1);
    table.tell(new MountTable.Record("demo", "A", "request-1", true, replies.ref()));
    MountTable.Count recorded = ok(replies.receiveMessage());
    assertThat(recorded.mounts()).isEqualTo(1);
    assertThat(recorded.known()).as("no leftovers").isFalse();
    assertThat(count(table, "demo")).as("recorded in place of the reservation").isEqualTo(1);

    table.tell(new MountTable.Reserve("demo", "request-2", far(), reserved()));
    assertThat(count(table, "demo")).isEqualTo(2);
    // the LeaseKeeper and the status read recorded mounts only: a reservation takes no lease
    TestProbe<MountTable.Counts> snapshot = testKit.createTestProbe();
    table.tell(new MountTable.Snapshot(snapshot.ref()));
    assertThat(snapshot.receiveMessage().mounts()).isEqualTo(Map.of("demo", 1));
    TestProbe<MountTable.Count> dropped = testKit.createTestProbe();
    table.tell(new MountTable.Unreserve("demo", "request-2", dropped.ref()));
    assertThat(dropped.receiveMessage().mounts()).isEqualTo(1);
    assertThat(drop(table, "demo", "A").mounts()).isZero();
  }

  @Test
  void anExpiredReservationNoLongerCounts() {
    table.tell(new MountTable.Reserve("demo", "request-1", System.currentTimeMillis() - 1,
        reserved()));
    assertThat(count(table, "demo")).isZero();
  }

  @Test
  void aTakeOverDropsOnlyTheIdsLeftFromBeforeItsReservation() {
    assertThat(add(table, "demo", "old").mounts()).isEqualTo(1); // left from an earlier holding
    table.tell(new MountTable.Reserve("demo", "request-1", far(), reserved()));
    table.tell(new MountTable.Reserve("demo", "request-2", far(), reserved()));
    // request-2 was granted after request-1 (same holding) but is recorded first
    table.tell(new MountTable.Record("demo", "B", "request-2", false, replies.ref()));
    assertThat(ok(replies.receiveMessage()).mounts()).isEqualTo(2);
    table.tell(new MountTable.Record("demo", "A", "request-1", true, replies.ref()));
    MountTable.Count after = ok(replies.receiveMessage());
    assertThat(after.known()).as("leftovers dropped").isTrue();
    assertThat(after.mounts()).as("A and B, not old").isEqualTo(2);
    assertThat(drop(table, "demo", "old").known()).isFalse();
  }

  private static long far() {
    return System.currentTimeMillis() + 60_000;
  }

  @Test
  void theSameIdTwiceThenOneDropLeavesOne() {
    assertThat(add(table, "demo", "A").mounts()).isEqualTo(1);
    assertThat(add(table, "demo", "A").mounts()).isEqualTo(2);
    MountTable.Count after = drop(table, "demo", "A");
    assertThat(after.known()).isTrue();
    assertThat(after.mounts()).isEqualTo(1);
    assertThat(count(table, "demo")).isEqualTo(1);
  }

  @Test
  void dropOfAnUnknownIdIsNotKnownAndChangesNothing() throws IOException {
    add(table, "demo", "A");
    MountTable.Count unknown = drop(table, "demo", "B");
    assertThat(unknown.known()).isFalse();
    assertThat(unknown.mounts()).isEqualTo(1);
    MountTable.Count otherVolume = drop(table, "other", "A");
    assertThat(otherVolume.known()).isFalse();
    assertThat(otherVolume.mounts()).isZero();
    assertThat(journal.load()).isEqualTo(Map.of("demo", Map.of("A", 1)));
  }

  @Test
  void countsNeverGoNegative() {
    add(table, "demo", "A");
    assertThat(drop(table, "demo", "A").mounts()).isZero();
    MountTable.Count again = drop(table, "demo", "A");
    assertThat(again.known()).isFalse();
    assertThat(again.mounts()).isZero();
    assertThat(add(table, "demo", "A").mounts()).isEqualTo(1);
  }

  @Test
  void theJournalHoldsTheIdWhenTheReplyArrives() throws IOException {
    add(table, "demo", "A");
    // read the file right after the reply, from a fresh journal: no later write can have helped
    assertThat(new MountJournal(dir).load()).isEqualTo(Map.of("demo", Map.of("A", 1)));
    add(table, "demo", "A");
    add(table, "web", "B");
    assertThat(new MountJournal(dir).load())
        .isEqualTo(Map.of("demo", Map.of("A", 2), "web", Map.of("B", 1)));
    drop(table, "web", "B");
    assertThat(new MountJournal(dir).load()).isEqualTo(Map.of("demo", Map.of("A", 2)));
  }

  @Test
  void aTableStartedFromTheJournalHasTheSameCounts() throws IOException {
    add(table, "demo", "A");
    add(table, "demo", "A");
    add(table, "demo", "B");
    testKit.stop(table);
    ActorRef<MountTable.Command> restarted =
        testKit.spawn(MountTable.create(journal, new MountJournal(dir).load(), io));
    assertThat(count(restarted, "demo")).isEqualTo(3);
    assertThat(drop(restarted, "demo", "B").mounts()).isEqualTo(2);
    assertThat(drop(restarted, "demo", "A").mounts()).isEqualTo(1);
  }

  @Test
  void aFailingJournalWriteAnswersAnErrorAndChangesNothing() throws IOException {
    // a file where the state directory should be: no write can succeed, even as root
    Path blocker = dir.resolve("blocked");
    Files.writeString(blocker, "not a directory");
    MountJournal broken = new MountJournal(blocker.resolve("state"));
    ActorRef<MountTable.Command> t =
        testKit.spawn(MountTable.create(broken, Map.of("demo", Map.of("A", 1)), io));

    t.tell(new MountTable.Add("demo", "B", replies.ref()));
    StatusReply<MountTable.Count> failed = replies.receiveMessage();
    assertThat(failed.isError()).isTrue();
    assertThat(failed.getError().getMessage()).contains("cannot record the mount");
    assertThat(count(t, "demo")).isEqualTo(1);

    t.tell(new MountTable.Drop("demo", "A", replies.ref()));
    assertThat(replies.receiveMessage().isError()).isTrue();
    assertThat(count(t, "demo")).isEqualTo(1);
  }

  /** What a table pushed, as the Guardian's sharding sender would carry it. */
  record Pushed(String volume, int count, long seq, ActorRef<MountTable.Command> ackTo)
      implements io.flockerdocker.agent.support.CborSerializable {}

  ActorRef<MountTable.Command> pushing(Map<String, Map<String, Integer>> loaded,
      TestProbe<Pushed> pushes) {
    return testKit.spawn(MountTable.create(journal, loaded, io, total -> { },
        new MountTableHealth(), (v, c, seq, ack) -> pushes.ref().tell(new Pushed(v, c, seq, ack))));
  }

  @Test
  void everyChangeOfTheHeldCountIsPushedWithAGrowingSeqUntilAcknowledged() {
    TestProbe<Pushed> pushes = testKit.createTestProbe();
    ActorRef<MountTable.Command> t = pushing(Map.of(), pushes);
    TestProbe<MountTable.Reserved> reserved = testKit.createTestProbe();
    t.tell(new MountTable.Reserve("demo", "request-1", far(), reserved.ref()));
    Pushed held = pushes.receiveMessage();
    assertThat(held.count()).isEqualTo(1);
    assertThat(reserved.receiveMessage().seq()).as("the Mount carries it").isEqualTo(held.seq());
    held.ackTo().tell(new MountTable.Ack("demo", held.seq()));

    t.tell(new MountTable.Record("demo", "A", "request-1", true, replies.ref()));
    ok(replies.receiveMessage());
    assertThat(drop(t, "demo", "A").mounts()).isZero();
    // the record changed nothing the entity counts: the next push is the drop's
    Pushed none = pushes.receiveMessage();
    assertThat(none.count()).isZero();
    assertThat(none.seq()).isGreaterThan(held.seq());
    // not acknowledged: sent again on the timer, same seq
    assertThat(pushes.receiveMessage(CountPushes.RESEND.multipliedBy(3))).isEqualTo(none);
  }

  @Test
  void aStartingTablePushesItsVolumesAndTheLeasedOnesWithZero() {
    TestProbe<Pushed> pushes = testKit.createTestProbe();
    ActorRef<MountTable.Command> t = pushing(Map.of("demo", Map.of("A", 2)), pushes);
    assertThat(pushes.receiveMessage().count()).isEqualTo(2);
    t.tell(new MountTable.Leased(java.util.List.of("leased-only")));
    Pushed zero = pushes.receiveMessage();
    assertThat(zero.volume()).isEqualTo("leased-only");
    assertThat(zero.count()).isZero();
  }
}
