package io.flockerdocker.sim.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.flockerdocker.agent.catalog.StateWatcher;
import io.flockerdocker.agent.catalog.VolumeCatalog;
import io.flockerdocker.agent.cluster.Nodes;
import io.flockerdocker.agent.flocker.ChangeFeedAnswer;
import io.flockerdocker.agent.flocker.FlockerException;
import io.flockerdocker.agent.flocker.HttpFlockerClient;
import io.flockerdocker.control.ControlService;
import io.flockerdocker.control.ControlSettings;
import io.flockerdocker.protocol.flocker.CreateDatasetRequest;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.NodeReport;
import io.flockerdocker.protocol.flocker.ReportedDataset;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's one reader of the control service over real HTTP: against our control service it
 * learns of a change through the change feed, without re-reading a list (its idle timer is an
 * hour, so nothing else could tell it); against a plain Flocker API (extensions off) through its
 * timer.
 */
class StateWatcherWatchTest {
  static final String NODE = UUID.randomUUID().toString();
  @TempDir Path dir;
  ActorTestKit testKit;
  ControlService control;

  @AfterEach
  void stop() throws Exception {
    if (testKit != null) {
      testKit.shutdownTestKit();
    }
    if (control != null) {
      control.stop().toCompletableFuture().get();
    }
  }

  /** Calls of each FlockerClient method the watcher made. */
  final CountedFlockerClient counted = new CountedFlockerClient();

  VolumeCatalog start(boolean extensions, Duration idle) throws Exception {
    return start(extensions, idle, false);
  }

  /** {@code idle}: also the wait before it asks an unreachable control service again. */
  VolumeCatalog start(boolean extensions, Duration idle, boolean withReports) throws Exception {
    control = ControlService.start(ControlSettings.defaults(dir).withExtensions(extensions))
        .toCompletableFuture().get();
    testKit = ActorTestKit.create("StateWatcherWatchTest");
    VolumeCatalog catalog = new VolumeCatalog(NODE, dir.resolve("mounts"), new Nodes());
    testKit.spawn(StateWatcher.create(counted.wrap(client(), this::feedAnswer), catalog, idle,
        Duration.ofMillis(20), withReports));
    return catalog;
  }

  /** Answers for the watcher's next changesSince calls, one each, instead of the service's. */
  final Queue<CompletableFuture<ChangeFeedAnswer>> feedAnswers = new ConcurrentLinkedQueue<>();

  private Object feedAnswer(String method) {
    return method.equals("changesSince") ? feedAnswers.poll() : null;
  }

  int calls(String method) {
    return counted.calls(method);
  }

  HttpFlockerClient client() {
    return new HttpFlockerClient(testKit.system(), URI.create(control.url()), Optional.empty(),
        Duration.ofSeconds(10));
  }

  void createElsewhere(String name) throws Exception {
    client().createDataset(new CreateDatasetRequest(NODE, null, null,
        Map.of(DatasetConfiguration.NAME_KEY, name)), Optional.empty())
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** Waits (bounded, generously: this is about whether, not how fast) for the volume to show. */
  static void awaitVolume(VolumeCatalog catalog, String name) throws InterruptedException {
    await(name + " reaching the catalog", () -> catalog.get(name).isPresent());
  }

  static void await(String what, BooleanSupplier done) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!done.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited 30 s for " + what).isLessThan(until);
      Thread.sleep(10);
    }
  }

  @Test
  void aChangeArrivesWithoutATimedPoll() throws Exception {
    VolumeCatalog catalog = start(true, Duration.ofHours(1));
    createElsewhere("first");
    awaitVolume(catalog, "first");
    // a second change after the watcher has parked on the watch again
    createElsewhere("second");
    awaitVolume(catalog, "second");
    assertThat(catalog.get("first")).isPresent();
  }

  @Test
  void againstAPlainFlockerTheTimerReadsAgain() throws Exception {
    VolumeCatalog catalog = start(false, Duration.ofMillis(200));
    createElsewhere("first");
    awaitVolume(catalog, "first");
    createElsewhere("second");
    awaitVolume(catalog, "second");
  }

  @Test
  void withTheFeedChangesArriveWithoutReReadingAnyList() throws Exception {
    VolumeCatalog catalog = start(true, Duration.ofHours(1));
    createElsewhere("first");
    awaitVolume(catalog, "first");
    createElsewhere("second");
    createElsewhere("third");
    awaitVolume(catalog, "second");
    awaitVolume(catalog, "third");
    assertThat(calls("listAllDatasetsConfiguration")).isEqualTo(1);
    assertThat(calls("listAllDatasetsConfigurationIfChanged")).isZero();
    assertThat(calls("changesSince")).isGreaterThan(1);
  }

  @Test
  void withTheFeedADeleteAndAHostsNewCopyReachTheCatalog() throws Exception {
    VolumeCatalog catalog = start(true, Duration.ofHours(1));
    createElsewhere("gone");
    createElsewhere("here");
    awaitVolume(catalog, "gone");
    awaitVolume(catalog, "here");
    String goneId = catalog.snapshot().byName("gone").orElseThrow().datasetId();
    String hereId = catalog.snapshot().byName("here").orElseThrow().datasetId();
    client().deleteDataset(goneId).toCompletableFuture().get(30, TimeUnit.SECONDS);
    String path = dir.resolve("mounts").resolve(hereId).toString();
    client().reportState(new NodeReport(NODE, "127.0.0.1", 4524, "directory", 1, 1, List.of(
        new ReportedDataset(hereId, ReportedDataset.MANIFEST, path, 1, null, null))))
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    await("the delete and the copy to arrive",
        () -> catalog.get("gone").isEmpty() && catalog.path("here").equals(path));
    assertThat(calls("listAllDatasetsConfiguration")).isEqualTo(1);
  }

  @Test
  void withTheFeedAndTheDatasetRoleReportsAndDeletedDatasetsReachTheSnapshot() throws Exception {
    VolumeCatalog catalog = start(true, Duration.ofHours(1), true);
    createElsewhere("gone");
    createElsewhere("here");
    awaitVolume(catalog, "gone");
    awaitVolume(catalog, "here");
    String goneId = catalog.snapshot().byName("gone").orElseThrow().datasetId();
    String hereId = catalog.snapshot().byName("here").orElseThrow().datasetId();
    client().deleteDataset(goneId).toCompletableFuture().get(30, TimeUnit.SECONDS);
    // a sealed copy: the feed's state shows no change for it, the host's report does
    String other = UUID.randomUUID().toString();
    client().reportState(new NodeReport(other, "127.0.0.2", 4524, "directory", 1, 1, List.of(
        new ReportedDataset(hereId, ReportedDataset.SEALED, "/x/" + hereId, 3, null, null))))
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    await("the delete and the report to arrive",
        () -> catalog.snapshot().deleted().stream().anyMatch(d -> d.datasetId().equals(goneId))
            && catalog.snapshot().copies(hereId).stream().anyMatch(c -> c.node().equals(other)));
    assertThat(catalog.snapshot().copies(hereId).stream().filter(c -> c.node().equals(other))
        .findFirst().orElseThrow().copy().generation()).isEqualTo(3);
    assertThat(calls("listAllDatasetsConfiguration")).isEqualTo(1);
    // the feed carried the host's copy: the reports list was read once, at the full read
    assertThat(calls("listReportsIfChanged")).isEqualTo(1);
  }

  @Test
  void againstAPlainFlockerTheFeedIsNotUsed() throws Exception {
    VolumeCatalog catalog = start(false, Duration.ofMillis(200));
    createElsewhere("first");
    awaitVolume(catalog, "first");
    assertThat(calls("listAllDatasetsConfigurationIfChanged")).isGreaterThan(0);
    assertThat(calls("listAllDatasetsConfiguration")).isZero();
  }

  @Test
  void withTheFeedAnOutageIsWaitedOutAndTheFeedFollowedOnFromWhereItWas() throws Exception {
    VolumeCatalog catalog = start(true, Duration.ofMillis(200));
    createElsewhere("before");
    awaitVolume(catalog, "before");
    for (int i = 0; i < 2; i++) {
      feedAnswers.add(CompletableFuture.failedFuture(
          FlockerException.unreachable("control service down (test)", null)));
    }
    createElsewhere("during"); // ends the parked long-poll: the next two asks fail
    await("both failed asks", feedAnswers::isEmpty);
    createElsewhere("after");
    awaitVolume(catalog, "during");
    awaitVolume(catalog, "after");
    // it asked again from the version it had: no list read again
    assertThat(calls("listAllDatasetsConfiguration")).isEqualTo(1);
    assertThat(calls("changesSince")).isGreaterThanOrEqualTo(5);
  }

  @Test
  void withTheFeedA410CostsOneFullReadAndTheFeedIsFollowedAgain() throws Exception {
    VolumeCatalog catalog = start(true, Duration.ofHours(1));
    createElsewhere("before");
    awaitVolume(catalog, "before");
    feedAnswers.add(CompletableFuture.completedFuture(ChangeFeedAnswer.Gone.INSTANCE));
    createElsewhere("during"); // ends the parked long-poll: the next ask is answered 410
    awaitVolume(catalog, "during");
    await("a second full read", () -> calls("listAllDatasetsConfiguration") == 2);
    createElsewhere("after");
    awaitVolume(catalog, "after");
    assertThat(catalog.get("before")).isPresent();
    assertThat(calls("listAllDatasetsConfiguration")).isEqualTo(2);
  }
}
