package io.flockerdocker.agent.volume;

import static io.flockerdocker.agent.volume.VolumeTestConfig.NODE1;
import static io.flockerdocker.agent.volume.VolumeTestConfig.NODE2;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.flockerdocker.agent.catalog.VolumeCatalog;
import io.flockerdocker.agent.cluster.Nodes;
import io.flockerdocker.agent.flocker.FlockerSnapshot;
import io.flockerdocker.agent.mounts.MountTable;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.Lease;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The janitor asks a volume's actor to check the lease only where this node holds the lease and
 * its MountTable counts no mount; it leaves alone volumes with mounts, leases of other nodes and
 * volumes nobody leased.
 */
class LeaseJanitorTest {
  static final ActorTestKit testKit = ActorTestKit.create("LeaseJanitorTest",
      ManualTime.config().withFallback(ConfigFactory.parseString("pekko.actor.provider = local")));
  static final ManualTime time = ManualTime.get(testKit.system());

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  static DatasetConfiguration dataset(String name) {
    return new DatasetConfiguration(UUID.randomUUID().toString(), NODE1, false,
        Map.of("name", name), null);
  }

  @Test
  void asksOnlyAboutLeasesThisNodeHoldsWithoutAMount() {
    DatasetConfiguration idle = dataset("idle");
    DatasetConfiguration busy = dataset("busy");
    DatasetConfiguration theirs = dataset("theirs");
    DatasetConfiguration free = dataset("free");
    VolumeCatalog catalog = new VolumeCatalog(NODE1, Path.of("/flocker"), new Nodes());
    catalog.update(new FlockerSnapshot("tag", List.of(idle, busy, theirs, free), List.of(),
        List.of(),
        List.of(new Lease(idle.datasetId(), NODE1, null), new Lease(busy.datasetId(), NODE1, null),
            new Lease(theirs.datasetId(), NODE2, null)),
        List.of(), List.of(), Instant.now()));
    TestProbe<MountTable.Command> table = testKit.createTestProbe();
    Map<String, TestProbe<VolumeCommands.Command>> entities = Map.of(
        "idle", testKit.createTestProbe(), "busy", testKit.createTestProbe(),
        "theirs", testKit.createTestProbe(), "free", testKit.createTestProbe());
    testKit.spawn(LeaseJanitor.create(NODE1, catalog, table.ref(),
        name -> entities.get(name).ref()));

    for (int round = 0; round < 2; round++) {
      time.timePasses(Duration.ofSeconds(round == 0 ? 5 : 10));
      MountTable.Snapshot ask = table.expectMessageClass(MountTable.Snapshot.class);
      ask.replyTo().tell(new MountTable.Counts(Map.of("busy", 1)));
      assertThat(entities.get("idle").expectMessageClass(VolumeCommands.CheckLease.class))
          .isNotNull();
      for (String quiet : List.of("busy", "theirs", "free")) {
        entities.get(quiet).expectNoMessage(Duration.ofMillis(50));
      }
    }
  }
}
