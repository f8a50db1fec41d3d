package io.flockerdocker.agent.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.flockerdocker.agent.cluster.Nodes;
import io.flockerdocker.agent.flocker.FlockerSnapshot;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The saver writes the published catalog when its version moved (on its timer, or when asked
 * as the agent stops), never an empty or unchanged one, and a failed write still answers.
 */
class CatalogSaverTest {
  static final ActorTestKit kit = ActorTestKit.create("CatalogSaverTest", ManualTime.config());
  static final ManualTime time = ManualTime.get(kit.system());
  static final String NODE = UUID.randomUUID().toString();
  static final Duration EVERY = Duration.ofMinutes(5);

  @TempDir Path dir;

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  static FlockerSnapshot at(String version, String... names) {
    List<DatasetConfiguration> datasets = java.util.Arrays.stream(names)
        .map(n -> new DatasetConfiguration(UUID.randomUUID().toString(), NODE, false,
            Map.of(DatasetConfiguration.NAME_KEY, n), null))
        .toList();
    return FlockerSnapshot.of(version, datasets, List.of(), List.of(), List.of(), List.of(),
        Instant.now());
  }

  void saveNow(ActorRef<CatalogSaver.Command> saver) {
    TestProbe<Done> done = kit.createTestProbe();
    saver.tell(new CatalogSaver.SaveNow(done.ref()));
    done.expectMessage(Done.getInstance());
  }

  @Test
  void writesWhatMovedOnItsTimerAndWhenAskedAndNothingElse() throws Exception {
    VolumeCatalog catalog = new VolumeCatalog(NODE, dir.resolve("mounts"), new Nodes());
    CatalogFile file = new CatalogFile(dir);
    ActorRef<CatalogSaver.Command> saver =
        kit.spawn(CatalogSaver.create(catalog, file, EVERY, Runnable::run));

    saveNow(saver); // nothing read yet: an empty catalog is never saved
    assertThat(file.path()).doesNotExist();

    catalog.update(at("v1", "a"));
    saveNow(saver);
    assertThat(file.read().orElseThrow().version()).isEqualTo("v1");

    Files.delete(file.path());
    saveNow(saver); // same version: no write
    assertThat(file.path()).doesNotExist();

    catalog.update(at("v2", "a", "b"));
    time.timePasses(EVERY); // the timer writes it, unasked
    kit.createTestProbe().awaitAssert(() -> {
      assertThat(file.read().map(CatalogFile.Saved::version)).contains("v2");
      return null;
    });
    assertThat(file.read().orElseThrow().snapshot().byName("b")).isPresent();
    kit.stop(saver);
  }

  @Test
  void aFailedWriteStillAnswers() {
    VolumeCatalog catalog = new VolumeCatalog(NODE, dir.resolve("mounts"), new Nodes());
    ActorRef<CatalogSaver.Command> saver = kit.spawn(CatalogSaver.create(catalog,
        new CatalogFile(dir.resolve("no-such-dir")), EVERY, Runnable::run));
    catalog.update(at("v1", "a"));
    saveNow(saver);
    assertThat(dir.resolve("no-such-dir")).doesNotExist();
    kit.stop(saver);
  }
}
