package io.flockerdocker.sim.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.flockerdocker.agent.catalog.StateWatcher;
import io.flockerdocker.agent.catalog.VolumeCatalog;
import io.flockerdocker.agent.cluster.Nodes;
import io.flockerdocker.agent.flocker.HttpFlockerClient;
import io.flockerdocker.control.ControlService;
import io.flockerdocker.control.ControlSettings;
import io.flockerdocker.protocol.flocker.CreateDatasetRequest;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's one reader of the control service over real HTTP: against our control service it
 * learns of a change through the watch (its idle timer is an hour, so nothing else could tell
 * it); against a plain Flocker API (extensions off) through its timer.
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

  VolumeCatalog start(boolean extensions, Duration idle) throws Exception {
    control = ControlService.start(ControlSettings.defaults(dir).withExtensions(extensions))
        .toCompletableFuture().get();
    testKit = ActorTestKit.create("StateWatcherWatchTest");
    VolumeCatalog catalog = new VolumeCatalog(NODE, dir.resolve("mounts"), new Nodes());
    testKit.spawn(StateWatcher.create(client(), catalog, idle, Duration.ofMillis(20)));
    return catalog;
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
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (catalog.get(name).isEmpty()) {
      assertThat(System.nanoTime()).as(name + " never reached the catalog").isLessThan(until);
      Thread.sleep(10);
    }
  }

  @Test
  void aChangeArrivesThroughTheWatchWithoutATimedPoll() throws Exception {
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
}
