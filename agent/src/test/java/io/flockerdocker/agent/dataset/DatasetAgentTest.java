package io.flockerdocker.agent.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.flockerdocker.agent.flocker.FakeFlockerClient;
import io.flockerdocker.protocol.flocker.CreateDatasetRequest;
import io.flockerdocker.protocol.flocker.Node;
import io.flockerdocker.protocol.flocker.ReportedDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Two hosts' dataset agents against the fake control service, on manual time. */
@ExtendWith(LogCapturingExtension.class)
class DatasetAgentTest {
  static final ActorTestKit kit = ActorTestKit.create("DatasetAgentTest",
      ManualTime.config().withFallback(ConfigFactory.parseString(
          "pekko.actor.provider = local\npekko.actor.serialize-messages = on"))
          .withFallback(ConfigFactory.load()));
  static final ManualTime time = ManualTime.get(kit.system());
  static final ExecutorService io = Executors.newFixedThreadPool(2);

  @TempDir Path root1;
  @TempDir Path root2;
  final String node1 = UUID.randomUUID().toString();
  final String node2 = UUID.randomUUID().toString();
  FakeFlockerClient fake;
  LocalCopyClient client;
  TestProbe<Object> probe;

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
    io.shutdownNow();
  }

  @BeforeEach
  void setUp() {
    fake = new FakeFlockerClient(List.of(new Node("127.0.0.1", node1),
        new Node("127.0.0.2", node2)));
    client = new LocalCopyClient();
    probe = kit.createTestProbe();
  }

  DatasetAgentFixture host(String name, String uuid, Path root) {
    return new DatasetAgentFixture(kit, name, uuid, root, fake, client, io);
  }

  String createOn(String primary) {
    return fake.createDataset(new CreateDatasetRequest(primary, null, null,
        Map.of("name", "v-" + UUID.randomUUID())), Optional.empty())
        .toCompletableFuture().join().datasetId();
  }

  /** Lets ticks pass (one second per try) until {@code check} holds. */
  void eventually(Runnable check) {
    probe.awaitAssert(Duration.ofSeconds(15), Duration.ofMillis(50), () -> {
      time.timePasses(Duration.ofSeconds(1));
      check.run();
      return null;
    });
  }

  void ticks(int n) throws InterruptedException {
    for (int i = 0; i < n; i++) {
      time.timePasses(Duration.ofSeconds(1));
      Thread.sleep(50);
    }
  }

  @Test
  void theConfiguredPrimaryCreatesAnEmptyCopyAndReportsItManifest() {
    DatasetAgentFixture h1 = host("node1", node1, root1);
    String id = createOn(node1);
    eventually(() -> assertThat(h1.reported(fake, id)).contains(new ReportedDataset(id,
        ReportedDataset.MANIFEST, root1.resolve(id).toAbsolutePath().toString(), 1, null, null)));
    assertThat(root1.resolve(id)).isDirectory();
    assertThat(fake.listDatasetsState().toCompletableFuture().join())
        .anyMatch(s -> s.datasetId().equals(id) && s.isManifestOn(node1));
  }

  @Test
  void stepsFollowEachOtherWithoutWaitingForTheNextTick() {
    List<String> ids = List.of(createOn(node1), createOn(node1), createOn(node1),
        createOn(node1), createOn(node1));
    host("node1", node1, root1);
    eventually(() -> assertThat(ids).anyMatch(id -> Files.isDirectory(root1.resolve(id))));
    // from the first copy on, no time passes: each next step starts as the last one ends
    probe.awaitAssert(Duration.ofSeconds(15), Duration.ofMillis(50), () -> {
      time.timePasses(Duration.ZERO);
      assertThat(ids).allMatch(id -> Files.isDirectory(root1.resolve(id)));
      return null;
    });
  }

  @Test
  void sealsWhenThePrimaryMovesAwayAndNoLeaseHoldsIt() {
    DatasetAgentFixture h1 = host("node1", node1, root1);
    String id = createOn(node1);
    eventually(() -> assertThat(h1.reported(fake, id)).isPresent());
    fake.moveDataset(id, node2).toCompletableFuture().join();
    eventually(() -> assertThat(h1.reported(fake, id).map(ReportedDataset::state))
        .contains(ReportedDataset.SEALED));
    assertThat(h1.served.resolve(id, node2).allowed()).isTrue();
    assertThat(h1.served.resolve(id, node1).allowed()).isFalse();
  }

  @Test
  void neverSealsWhileLeased() throws Exception {
    DatasetAgentFixture h1 = host("node1", node1, root1);
    String id = createOn(node1);
    eventually(() -> assertThat(h1.reported(fake, id)).isPresent());
    fake.acquireLease(id, node1, Optional.empty()).toCompletableFuture().join();
    fake.moveDataset(id, node2).toCompletableFuture().join();
    ticks(5);
    assertThat(h1.reported(fake, id).map(ReportedDataset::state))
        .contains(ReportedDataset.MANIFEST);
    assertThat(h1.served.resolve(id, node2).allowed()).isFalse();
  }

  @Test
  void theNewPrimaryPullsReportsTheNextGenerationAndTheOldOneDemotes() throws Exception {
    DatasetAgentFixture h1 = host("node1", node1, root1);
    DatasetAgentFixture h2 = host("node2", node2, root2);
    String id = createOn(node1);
    eventually(() -> assertThat(h1.reported(fake, id)).isPresent());
    Files.writeString(root1.resolve(id).resolve("file"), "fish");
    fake.moveDataset(id, node2).toCompletableFuture().join();
    eventually(() -> assertThat(h2.reported(fake, id)).contains(new ReportedDataset(id,
        ReportedDataset.MANIFEST, root2.resolve(id).toAbsolutePath().toString(), 2, null, null)));
    assertThat(Files.readString(root2.resolve(id).resolve("file"))).isEqualTo("fish");
    eventually(() -> assertThat(h1.reported(fake, id)).isEmpty());
    assertThat(root1.resolve(".replicas").resolve(id).resolve("file")).exists();
    var counters = h2.metrics.registry().scrape().stream()
        .filter(m -> m.getMetadata().getName().startsWith("flocker_docker_dataset"))
        .map(m -> m.getMetadata().getName()).toList();
    assertThat(counters).contains("flocker_docker_dataset_transfers",
        "flocker_docker_dataset_bytes_received");
  }

  @Test
  void aFailedPullIsReportedAsAnErrorAndRetried() {
    DatasetAgentFixture h1 = host("node1", node1, root1);
    DatasetAgentFixture h2 = host("node2", node2, root2);
    String id = createOn(node1);
    eventually(() -> assertThat(h1.reported(fake, id)).isPresent());
    writeQuietly(root1.resolve(id).resolve("a"), "one"); // so the failure strikes mid-copy
    client.failNext(1);
    fake.moveDataset(id, node2).toCompletableFuture().join();
    eventually(() -> assertThat(h2.reported(fake, id)).hasValueSatisfying(d -> {
      assertThat(d.state()).isEqualTo(ReportedDataset.RECEIVING);
      assertThat(d.error()).contains("pull of dataset " + id).contains("reset (test)");
    }));
    eventually(() -> assertThat(h2.reported(fake, id)).hasValueSatisfying(d -> {
      assertThat(d.state()).isEqualTo(ReportedDataset.MANIFEST);
      assertThat(d.error()).isNull();
    }));
  }

  @Test
  void destroysOnlyWhatTheConfigurationMarksDeleted() throws Exception {
    // a copy the control service has never heard of (an empty or wrong service): kept
    String stranger = UUID.randomUUID().toString();
    Files.createDirectories(root1.resolve(stranger));
    Files.createDirectories(root1.resolve(".meta"));
    Files.writeString(root1.resolve(".meta").resolve(stranger + ".json"),
        "{\"generation\":3,\"sealed\":false}");
    DatasetAgentFixture h1 = host("node1", node1, root1);
    String id = createOn(node1);
    eventually(() -> assertThat(h1.reported(fake, id)).isPresent());
    fake.deleteDataset(id).toCompletableFuture().join();
    eventually(() -> assertThat(h1.reported(fake, id)).isEmpty());
    assertThat(root1.resolve(id)).doesNotExist();
    assertThat(root1.resolve(stranger)).isDirectory();
    assertThat(h1.reported(fake, stranger).map(ReportedDataset::generation)).contains(3L);
  }

  private static void writeQuietly(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
