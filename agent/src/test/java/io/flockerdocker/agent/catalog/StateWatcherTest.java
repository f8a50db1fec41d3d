package io.flockerdocker.agent.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.flockerdocker.agent.cluster.Nodes;
import io.flockerdocker.agent.flocker.FakeFlockerClient;
import io.flockerdocker.agent.flocker.FlockerSnapshot;
import io.flockerdocker.agent.flocker.ObservedFlocker;
import io.flockerdocker.protocol.flocker.CreateDatasetRequest;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.Node;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The node's one reader against a service without the watch extension (the fake advertises
 * none), on manual time: one timer re-armed per reply, busy while awaited.
 */
@ExtendWith(LogCapturingExtension.class)
class StateWatcherTest {
  static final String NODE1 = "5e7c1d3a-0b9e-4c1e-9a53-1f1a0c7e2b10";
  static final String NODE2 = "7d2f4b6e-1c3a-4e5f-8a9b-0c1d2e3f4a5b";
  static final Duration IDLE = Duration.ofSeconds(1);
  static final Duration BUSY = Duration.ofMillis(20);
  static final ActorTestKit testKit = ActorTestKit.create("StateWatcherTest",
      ManualTime.config().withFallback(ConfigFactory.parseString("pekko.actor.provider = local"))
          .withFallback(ConfigFactory.load()));
  static final ManualTime time = ManualTime.get(testKit.system());

  FakeFlockerClient fake;
  ObservedFlocker flocker;
  TestProbe<String> reads;
  VolumeCatalog catalog;
  DatasetConfiguration home;
  ActorRef<StateWatcher.Command> watcher;

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void setUp() {
    fake = new FakeFlockerClient(List.of(new Node("10.0.0.1", NODE1), new Node("10.0.0.2", NODE2)));
    reads = testKit.createTestProbe();
    flocker = new ObservedFlocker(fake, reads.ref()::tell);
    catalog = new VolumeCatalog(NODE1, Path.of("/flocker"), new Nodes());
    home = create("home", NODE1);
    fake.converge();
  }

  DatasetConfiguration create(String name, String primary) {
    return fake.createDataset(new CreateDatasetRequest(primary, null, null, Map.of("name", name)),
        Optional.empty()).toCompletableFuture().join();
  }

  void start() {
    watcher = testKit.spawn(StateWatcher.create(flocker, catalog, IDLE, BUSY));
  }

  /**
   * Waits (real time) until a poll newer than {@code before} is published, then syncs. The
   * catalog's own empty snapshot before the first read counts as unpublished, so that a sync
   * sent before the first reply cannot start a second read (a waiter during a read reads again).
   */
  void awaitPublishedAfter(FlockerSnapshot before) throws InterruptedException {
    awaitSnapshot(s -> s != before && !s.startedAt().equals(Instant.EPOCH),
        "no poll published within 5 s");
  }

  /**
   * Waits (real time) until a read that started after {@code t} is published, then syncs: the
   * read after the first one's reply (its snapshot may be published after the first's).
   */
  void awaitReadStartedAfter(Instant t) throws InterruptedException {
    awaitSnapshot(s -> s.startedAt().isAfter(t), "no later read published within 5 s");
  }

  /** Polls the catalog's snapshot until {@code published} holds (at most 5 s), then syncs. */
  private void awaitSnapshot(Predicate<FlockerSnapshot> published, String failure)
      throws InterruptedException {
    long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!published.test(catalog.snapshot())) {
      assertThat(System.nanoTime()).as(failure).isLessThan(until);
      Thread.sleep(5);
    }
    sync();
  }

  /** Returns once the watcher has handled everything sent to it before (its timer is armed). */
  void sync() {
    TestProbe<StateWatcher.Manifest> p = testKit.createTestProbe();
    watcher.tell(new StateWatcher.AwaitManifest(home.datasetId(), NODE1,
        Instant.now().plusSeconds(60), p.ref()));
    p.expectMessageClass(StateWatcher.Manifest.class);
  }

  @Test
  void withReportsTheCatalogsSubscribersGetReportsAndDeletedDatasets() throws Exception {
    DatasetConfiguration gone = create("gone", NODE2);
    fake.converge();
    fake.deleteDataset(gone.datasetId()).toCompletableFuture().join();
    TestProbe<FlockerSnapshot> subscriber = testKit.createTestProbe();
    catalog.subscribe(p -> subscriber.ref().tell(p.snapshot()));
    watcher = testKit.spawn(StateWatcher.create(flocker, catalog, IDLE, BUSY, true));
    FlockerSnapshot first = subscriber.expectMessageClass(FlockerSnapshot.class);
    assertThat(first.copies(home.datasetId())).extracting(c -> c.node()).contains(NODE1);
    assertThat(first.deleted()).extracting(DatasetConfiguration::datasetId)
        .containsExactly(gone.datasetId());
    assertThat(first.datasets()).extracting(DatasetConfiguration::datasetId)
        .containsExactly(home.datasetId());
    assertThat(catalog.get("gone")).isEmpty();

    // a host's report changes: the next poll hands it over
    DatasetConfiguration away = create("away", NODE2);
    fake.converge();
    time.timePasses(IDLE);
    FlockerSnapshot changed = subscriber.expectMessageClass(FlockerSnapshot.class);
    assertThat(changed.copies(away.datasetId())).extracting(c -> c.node()).contains(NODE2);
    assertThat(changed.sameLists(first)).isFalse();
  }

  @Test
  void withoutReportsNoReportIsRead() throws Exception {
    TestProbe<FlockerSnapshot> subscriber = testKit.createTestProbe();
    catalog.subscribe(p -> subscriber.ref().tell(p.snapshot()));
    start();
    assertThat(subscriber.expectMessageClass(FlockerSnapshot.class).allCopies()).isEmpty();
  }

  @Test
  void onePollAtATimeAndTheTimerIsArmedOnlyAfterTheReply() throws Exception {
    flocker.hold(true);
    start();
    reads.expectMessage("configuration");
    // the reply is outstanding: neither time nor nudges start another poll
    time.expectNoMessageFor(Duration.ofSeconds(5), reads);
    watcher.tell(StateWatcher.Nudge.INSTANCE);
    reads.expectNoMessage(Duration.ofMillis(100));

    Instant released = Instant.now();
    flocker.hold(false);
    flocker.release();
    // the nudge came while a read was in flight, which may have started before the change it
    // announces: one more read right after the reply, not a second one at the same time
    reads.expectMessage("configuration");
    awaitReadStartedAfter(released);
    assertThat(catalog.get("home")).isPresent();
    // one timer, armed now at the idle interval
    time.expectNoMessageFor(IDLE.minusMillis(10), reads);
    time.timePasses(Duration.ofMillis(10));
    reads.expectMessage("configuration");
    reads.expectNoMessage(Duration.ofMillis(50));
  }

  @Test
  void pollsAtTheBusyIntervalWhileSomeoneWaitsAndAnswersWhenTheDatasetArrives()
      throws Exception {
    DatasetConfiguration away = create("away", NODE2);
    start();
    reads.expectMessage("configuration");
    awaitPublishedAfter(FlockerSnapshot.empty());
    time.expectNoMessageFor(BUSY.multipliedBy(3), reads);

    TestProbe<StateWatcher.Manifest> waiter = testKit.createTestProbe();
    FlockerSnapshot before = catalog.snapshot();
    watcher.tell(new StateWatcher.AwaitManifest(away.datasetId(), NODE2,
        Instant.now().plusSeconds(60), waiter.ref()));
    // polled at once for the waiter; while busy, polls read only the dataset state (no
    // configuration read), so they show up as new snapshots, not on the reads probe
    awaitPublishedAfter(before);
    for (int i = 0; i < 3; i++) {
      before = catalog.snapshot();
      time.timePasses(BUSY);
      awaitPublishedAfter(before);
    }
    waiter.expectNoMessage(Duration.ofMillis(20));

    fake.converge(); // the dataset agent mounts it on node2
    before = catalog.snapshot();
    time.timePasses(BUSY);
    StateWatcher.Manifest m = waiter.receiveMessage();
    assertThat(m.datasetId()).isEqualTo(away.datasetId());
    assertThat(m.nodeUuid()).isEqualTo(NODE2);
    assertThat(m.path()).endsWith(away.datasetId());
    awaitPublishedAfter(before);

    // nobody waits any more: back to the idle interval
    time.expectNoMessageFor(BUSY.multipliedBy(5), reads);
    time.timePasses(IDLE);
    reads.expectMessage("configuration");
  }

  @Test
  void aWaiterForADatasetAlreadyThereIsAnsweredWithoutAPoll() throws Exception {
    start();
    reads.expectMessage("configuration");
    awaitPublishedAfter(FlockerSnapshot.empty());
    sync();
    reads.expectNoMessage(Duration.ofMillis(50));
  }

  @Test
  void anUnreachableControlServiceLeavesTheLastSnapshotInPlace() throws Exception {
    start();
    reads.expectMessage("configuration");
    awaitPublishedAfter(FlockerSnapshot.empty());
    FlockerSnapshot good = catalog.snapshot();

    fake.setUnreachable(true);
    LoggingTestKit.warn("control service unreachable").expect(testKit.system(), () -> {
      time.timePasses(IDLE);
      return null;
    });
    reads.expectMessage("configuration");
    sync();
    assertThat(catalog.snapshot()).isSameAs(good);
    assertThat(catalog.get("home")).isPresent();
    assertThat(catalog.list()).hasSize(1);

    // still polling at the idle interval, and the next good reply is published
    fake.setUnreachable(false);
    create("later", NODE1);
    time.timePasses(IDLE);
    reads.expectMessage("configuration");
    awaitPublishedAfter(good);
    assertThat(catalog.get("later")).isPresent();
  }
}
