package io.flockerdocker.sim.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.flockerdocker.agent.catalog.CatalogFile;
import io.flockerdocker.agent.catalog.CatalogSaver;
import io.flockerdocker.agent.catalog.StateWatcher;
import io.flockerdocker.agent.catalog.VolumeCatalog;
import io.flockerdocker.agent.cluster.Nodes;
import io.flockerdocker.agent.flocker.FlockerException;
import io.flockerdocker.agent.flocker.HttpFlockerClient;
import io.flockerdocker.control.ControlService;
import io.flockerdocker.control.ControlSettings;
import io.flockerdocker.protocol.flocker.CreateDatasetRequest;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restarted agent's catalog from its saved copy plus the change feed, over real HTTP against
 * our control service: what changed while it was away arrives without any list being read; a
 * saved copy the feed cannot continue (another run of the service) or cannot be read at all
 * costs one full read and nothing else.
 */
class CatalogFileRestartTest {
  static final String NODE = UUID.randomUUID().toString();
  @TempDir Path dir;
  ActorTestKit testKit;
  ControlService control;
  final CountedFlockerClient counted = new CountedFlockerClient();
  ActorRef<StateWatcher.Command> watcher;
  /** This many changesSince calls fail as if the control service were down. */
  final AtomicInteger feedDown = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    control = startControl("control");
    testKit = ActorTestKit.create("CatalogFileRestartTest");
  }

  @AfterEach
  void stop() throws Exception {
    testKit.shutdownTestKit();
    control.stop().toCompletableFuture().get();
  }

  ControlService startControl(String data) throws Exception {
    return ControlService.start(ControlSettings.defaults(dir.resolve(data)))
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  CatalogFile file() {
    return new CatalogFile(dir.resolve("state"));
  }

  /** A watcher as the Guardian starts it: with what the file holds (read in the background). */
  VolumeCatalog agent(String name) throws Exception {
    return agent(name, Duration.ofHours(1));
  }

  /** {@code idle}: also the wait before it tries an unreachable control service again. */
  VolumeCatalog agent(String name, Duration idle) throws Exception {
    Files.createDirectories(dir.resolve("state"));
    VolumeCatalog catalog = new VolumeCatalog(NODE, dir.resolve("mounts"), new Nodes());
    watcher = testKit.spawn(StateWatcher.create(counted.wrap(client(), this::feedDown), catalog, idle,
        Duration.ofMillis(20), true, file().readInBackground()), name);
    return catalog;
  }

  /** Saves the catalog as the agent does as it stops, and stops its watcher. */
  void saveAndStop(VolumeCatalog catalog, String name) {
    ActorRef<CatalogSaver.Command> saver = testKit.spawn(
        CatalogSaver.create(catalog, file(), Duration.ofHours(1), Runnable::run), name + "-saver");
    TestProbe<Done> done = testKit.createTestProbe();
    saver.tell(new CatalogSaver.SaveNow(done.ref()));
    done.expectMessage(Duration.ofSeconds(30), Done.getInstance());
    testKit.stop(saver);
    testKit.stop(watcher);
  }

  @Test
  void aRestartReadsNoListAndGetsWhatChangedMeanwhile() throws Exception {
    VolumeCatalog before = agent("first");
    DatasetConfiguration gone = create("gone");
    create("kept");
    awaitVolume(before, "kept");
    awaitVolume(before, "gone");
    saveAndStop(before, "first");
    assertThat(file().path()).exists();

    client().deleteDataset(gone.datasetId()).toCompletableFuture().get(30, TimeUnit.SECONDS);
    create("new");
    counted.clear();
    VolumeCatalog after = agent("second");
    awaitVolume(after, "new");
    assertThat(after.get("kept")).isPresent();
    assertThat(after.get("gone")).isEmpty();
    assertThat(after.snapshot().deleted()).extracting(DatasetConfiguration::datasetId)
        .contains(gone.datasetId());
    assertThat(calls("listAllDatasetsConfiguration")).isZero();
    assertThat(calls("listDatasetsState")).isZero();
    assertThat(calls("listReportsIfChanged")).isZero();
  }

  @Test
  void aSavedCatalogFromAnotherRunOfTheServiceIsReplacedByOneFullRead() throws Exception {
    VolumeCatalog before = agent("first");
    create("old");
    awaitVolume(before, "old");
    saveAndStop(before, "first");

    control.stop().toCompletableFuture().get();
    control = startControl("another"); // a new run with other datasets: the feed answers 410
    create("other");
    counted.clear();
    VolumeCatalog after = agent("second");
    awaitVolume(after, "other");
    assertThat(after.get("old")).isEmpty();
    assertThat(calls("listAllDatasetsConfiguration")).isEqualTo(1);
  }

  @Test
  void aControlServiceDownAtStartDoesNotCostTheSavedCatalog() throws Exception {
    VolumeCatalog before = agent("first");
    create("kept");
    awaitVolume(before, "kept");
    saveAndStop(before, "first");
    create("new");
    counted.clear();
    feedDown.set(1);
    VolumeCatalog after = agent("second", Duration.ofMillis(200));
    awaitVolume(after, "new");
    assertThat(after.get("kept")).isPresent();
    assertThat(calls("changesSince")).isGreaterThan(1); // the failed one and the retry
    assertThat(calls("listAllDatasetsConfiguration")).isZero();
  }

  @Test
  void anUnreadableFileMeansOneFullRead() throws Exception {
    create("there");
    Files.createDirectories(dir.resolve("state"));
    Files.writeString(file().path(), "{\"format\": 1, \"version\": \"x\", \"configur");
    VolumeCatalog catalog = agent("first");
    awaitVolume(catalog, "there");
    assertThat(calls("listAllDatasetsConfiguration")).isEqualTo(1);
  }

  DatasetConfiguration create(String name) throws Exception {
    return client().createDataset(new CreateDatasetRequest(NODE, null, null,
        Map.of(DatasetConfiguration.NAME_KEY, name)), Optional.empty())
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  HttpFlockerClient client() {
    return new HttpFlockerClient(testKit.system(), URI.create(control.url()), Optional.empty(),
        Duration.ofSeconds(10));
  }

  /** A failed changesSince while {@link #feedDown} counts down, as if the service were down. */
  private Object feedDown(String method) {
    return method.equals("changesSince") && feedDown.getAndUpdate(n -> Math.max(0, n - 1)) > 0
        ? CompletableFuture.failedFuture(
            FlockerException.unreachable("control service down (test)", null))
        : null;
  }

  int calls(String method) {
    return counted.calls(method);
  }

  /** Waits (bounded, generously: this is about whether, not how fast) for the volume to show. */
  static void awaitVolume(VolumeCatalog catalog, String name) throws InterruptedException {
    StateWatcherWatchTest.awaitVolume(catalog, name);
  }
}
