package io.flockerdocker.sim.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.flockerdocker.agent.flocker.ChangeFeedAnswer;
import io.flockerdocker.agent.flocker.ControlExtensions;
import io.flockerdocker.agent.flocker.DatasetsConfiguration;
import io.flockerdocker.agent.flocker.HttpFlockerClient;
import io.flockerdocker.agent.flocker.NamedCreate;
import io.flockerdocker.control.ControlService;
import io.flockerdocker.control.ControlSettings;
import io.flockerdocker.protocol.flocker.ChangeBatch;
import io.flockerdocker.protocol.flocker.CreateDatasetRequest;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.NamedDataset;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HttpFlockerClient's scale methods against the real control service with its extensions on and
 * off (a plain Flocker API): the same answers either way, and with them on, "unchanged" reads
 * and a watch that parks until the next change.
 */
class HttpFlockerClientExtensionsTest {
  @TempDir static Path dir;
  static ActorTestKit testKit;
  static ControlService extended;
  static ControlService plain;
  static String node = UUID.randomUUID().toString();

  @BeforeAll
  static void start() throws Exception {
    extended = ControlService.start(ControlSettings.defaults(dir.resolve("on")))
        .toCompletableFuture().get();
    plain = ControlService.start(ControlSettings.defaults(dir.resolve("off"))
        .withExtensions(false)).toCompletableFuture().get();
    testKit = ActorTestKit.create("HttpFlockerClientExtensionsTest");
  }

  @AfterAll
  static void stop() throws Exception {
    testKit.shutdownTestKit();
    extended.stop().toCompletableFuture().get();
    plain.stop().toCompletableFuture().get();
  }

  /** A fresh client per test: the remembered ETags and watch token are per client. */
  static HttpFlockerClient client(boolean on) {
    return new HttpFlockerClient(testKit.system(),
        URI.create((on ? extended : plain).url()), Optional.empty(), Duration.ofSeconds(10));
  }

  static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  static CreateDatasetRequest named(String name) {
    return new CreateDatasetRequest(node, null, null, Map.of(DatasetConfiguration.NAME_KEY, name));
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void extensionsAreWhatTheServiceAdvertises(boolean on) throws Exception {
    ControlExtensions x = await(client(on).extensions());
    if (on) {
      assertThat(x.names()).containsExactlyInAnyOrder(ControlExtensions.ETAG,
          ControlExtensions.WATCH, ControlExtensions.CREATE_IF_NAME_UNUSED,
          ControlExtensions.CHANGES, ControlExtensions.CHANGES_COPIES,
          ControlExtensions.DATASETS_BY_NAME,
          ControlExtensions.HEARTBEAT);
    } else {
      assertThat(x).isEqualTo(ControlExtensions.NONE);
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void aSecondReadWithoutAChangeIsUnchangedOnlyWithTheExtension(boolean on) throws Exception {
    HttpFlockerClient c = client(on);
    DatasetsConfiguration first = await(c.listAllDatasetsConfigurationIfChanged()).orElseThrow();
    assertThat(await(c.listDatasetsStateIfChanged())).isPresent();
    assertThat(await(c.listNodesIfChanged())).isPresent();
    assertThat(await(c.listLeasesIfChanged())).isPresent();

    assertThat(await(c.listAllDatasetsConfigurationIfChanged()).isPresent()).isEqualTo(!on);
    assertThat(await(c.listDatasetsStateIfChanged()).isPresent()).isEqualTo(!on);
    assertThat(await(c.listNodesIfChanged()).isPresent()).isEqualTo(!on);
    assertThat(await(c.listLeasesIfChanged()).isPresent()).isEqualTo(!on);

    DatasetConfiguration made =
        ((NamedCreate.Created) await(c.createDatasetIfNameUnused(named("r-" + UUID.randomUUID()))))
            .dataset();
    DatasetsConfiguration after = await(c.listAllDatasetsConfigurationIfChanged()).orElseThrow();
    assertThat(after.datasets()).contains(made);
    assertThat(after.tag()).isNotEqualTo(first.tag());
  }

  @Test
  void aWatchAnswersAtOnceFirstThenParksUntilTheNextChange() throws Exception {
    HttpFlockerClient c = client(true);
    assertThat(await(c.awaitChange(Duration.ofSeconds(40), Duration.ofSeconds(1)))).isTrue();
    int before = extended.watchers();
    CompletableFuture<Boolean> parked =
        c.awaitChange(Duration.ofSeconds(40), Duration.ofSeconds(1)).toCompletableFuture();
    while (extended.watchers() <= before && !parked.isDone()) {
      Thread.sleep(10);
    }
    await(client(true).createDatasetIfNameUnused(named("w-" + UUID.randomUUID())));
    assertThat(await(parked)).isTrue();
  }

  @Test
  void aWatchThatTimesOutSaysNothingChanged() throws Exception {
    HttpFlockerClient c = client(true);
    await(c.awaitChange(Duration.ofSeconds(1), Duration.ofSeconds(1)));
    // other tests may change the service meanwhile: then true, which is also correct
    Boolean second = await(c.awaitChange(Duration.ofSeconds(1), Duration.ofSeconds(1)));
    assertThat(second).isNotNull();
  }

  @Test
  void withoutTheWatchAwaitChangeIsATimedPoll() throws Exception {
    assertThat(await(client(false).awaitChange(Duration.ofSeconds(40), Duration.ofMillis(50))))
        .isTrue();
    assertThat(plain.watchers()).isZero();
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void racingCreatesOfOneNameMakeOneDataset(boolean on) throws Exception {
    String name = "race-" + UUID.randomUUID();
    List<CompletableFuture<NamedCreate>> racers = IntStream.range(0, 8)
        .mapToObj(i -> client(on).createDatasetIfNameUnused(named(name)).toCompletableFuture())
        .toList();
    List<NamedCreate> outcomes = racers.stream().map(CompletableFuture::join).toList();
    List<NamedCreate.Created> created = outcomes.stream()
        .filter(o -> o instanceof NamedCreate.Created).map(o -> (NamedCreate.Created) o).toList();
    assertThat(created).hasSize(1);
    assertThat(outcomes).filteredOn(o -> o instanceof NamedCreate.NameTaken)
        .allSatisfy(o -> assertThat(((NamedCreate.NameTaken) o).dataset())
            .isEqualTo(created.get(0).dataset()));
    assertThat(await(client(on).listDatasetsConfiguration()).datasets())
        .filteredOn(d -> name.equals(d.name())).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void aLookupByNameFindsTheDatasetAndItsLeaseWithOrWithoutTheExtension(boolean on)
      throws Exception {
    HttpFlockerClient c = client(on);
    String name = "n-" + UUID.randomUUID();
    assertThat(await(c.datasetByName(name))).isEmpty();
    DatasetConfiguration made =
        ((NamedCreate.Created) await(c.createDatasetIfNameUnused(named(name)))).dataset();
    NamedDataset found = await(c.datasetByName(name)).orElseThrow();
    assertThat(found.dataset()).isEqualTo(made);
    assertThat(found.lease()).isNull();
    await(c.acquireLease(made.datasetId(), node, Optional.empty()));
    assertThat(await(c.datasetByName(name)).orElseThrow().lease().nodeUuid()).isEqualTo(node);
    await(c.releaseLease(made.datasetId()));
    await(c.deleteDataset(made.datasetId()));
    assertThat(await(c.datasetByName(name))).isEmpty();
  }

  @Test
  void theChangeFeedBringsACreateAndADeleteSinceAVersion() throws Exception {
    HttpFlockerClient c = client(true);
    String v0 = ((ChangeFeedAnswer.Changes) await(c.changesSince(Optional.empty(),
        Duration.ZERO))).batch().version();
    DatasetConfiguration made = ((NamedCreate.Created) await(c.createDatasetIfNameUnused(
        named("f-" + UUID.randomUUID())))).dataset();
    ChangeBatch created = ((ChangeFeedAnswer.Changes) await(c.changesSince(Optional.of(v0),
        Duration.ofSeconds(5)))).batch();
    assertThat(created.datasets()).anySatisfy(d -> assertThat(d.configuration())
        .isEqualTo(made));
    await(c.deleteDataset(made.datasetId()));
    ChangeBatch deleted = ((ChangeFeedAnswer.Changes) await(c.changesSince(
        Optional.of(created.version()), Duration.ofSeconds(5)))).batch();
    assertThat(deleted.datasets()).anySatisfy(d -> assertThat(d.configuration().deleted())
        .isTrue());
    assertThat(await(c.changesSince(Optional.of("another-run-3"), Duration.ZERO)))
        .isEqualTo(ChangeFeedAnswer.Gone.INSTANCE);
  }

  @Test
  void withoutTheExtensionsTheChangeFeedIsNotOffered() throws Exception {
    assertThat(await(client(false).changesSince(Optional.empty(), Duration.ZERO)))
        .isEqualTo(ChangeFeedAnswer.NotOffered.INSTANCE);
  }
}
