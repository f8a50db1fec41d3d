package io.flockerdocker.agent.flocker;

import static io.flockerdocker.agent.volume.VolumeTestConfig.NODE1;
import static io.flockerdocker.agent.volume.VolumeTestConfig.NODE2;
import static org.assertj.core.api.Assertions.assertThat;

import io.flockerdocker.protocol.flocker.ChangeBatch;
import io.flockerdocker.protocol.flocker.DatasetChange;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.DatasetCopy;
import io.flockerdocker.protocol.flocker.DatasetState;
import io.flockerdocker.protocol.flocker.Lease;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The indexed snapshot: lookups by name, id and node, and the feed's batches as values. */
class FlockerSnapshotTest {
  static DatasetConfiguration dataset(String name, String primary) {
    return new DatasetConfiguration(UUID.randomUUID().toString(), primary, false,
        Map.of("name", name), null);
  }

  static FlockerSnapshot of(List<DatasetConfiguration> config, List<DatasetState> states,
      List<Lease> leases) {
    return FlockerSnapshot.of("t", config, states, leases, List.of(), List.of(), Instant.EPOCH);
  }

  static ChangeBatch batch(DatasetChange... changes) {
    return new ChangeBatch("v", List.of(changes), null);
  }

  @Test
  void volumesAreLiveNamedDatasetsInNameOrder() {
    DatasetConfiguration b = dataset("b", NODE1);
    DatasetConfiguration a = dataset("a", NODE2);
    DatasetConfiguration gone = dataset("c", NODE1).asDeleted();
    DatasetConfiguration unnamed =
        new DatasetConfiguration(UUID.randomUUID().toString(), NODE1, false, Map.of(), null);
    FlockerSnapshot s = of(List.of(b, a, gone, unnamed), List.of(), List.of());
    assertThat(s.inNameOrder()).containsExactly(a, b);
    assertThat(s.volumeCount()).isEqualTo(2);
    assertThat(s.datasets()).containsExactlyInAnyOrder(a, b, unnamed);
    assertThat(s.deleted()).containsExactly(gone);
    assertThat(s.byName("c")).isEmpty();
    assertThat(s.dataset(gone.datasetId())).contains(gone);
  }

  /**
   * A full read is built in one go, the feed one entry at a time: both must give the same view,
   * twins, deletions and a dataset listed twice (the last entry wins) included.
   */
  @Test
  void aFullReadGivesTheViewOfTheSameEntriesFedOneAtATime() {
    java.util.Random random = new java.util.Random(16);
    for (int round = 0; round < 50; round++) {
      List<DatasetConfiguration> all = new java.util.ArrayList<>();
      for (int i = 0; i < 40; i++) {
        DatasetConfiguration d = random.nextInt(8) == 0 && !all.isEmpty()
            ? all.get(random.nextInt(all.size())).withPrimary(NODE2) // listed twice
            : dataset("v" + random.nextInt(20), NODE1);             // twins by name
        all.add(random.nextInt(5) == 0 ? d.asDeleted() : d);
      }
      FlockerSnapshot read = of(all, List.of(), List.of());
      FlockerSnapshot fed = FlockerSnapshot.empty();
      for (DatasetConfiguration d : all) {
        fed = fed.apply(batch(new DatasetChange(d.datasetId(), d, null, null)));
      }
      assertThat(read.inNameOrder()).containsExactlyElementsOf(fed.inNameOrder());
      assertThat(read.datasets()).containsExactlyInAnyOrderElementsOf(fed.datasets());
      assertThat(read.deleted()).containsExactlyInAnyOrderElementsOf(fed.deleted());
      for (int n = 0; n < 20; n++) {
        assertThat(read.byName("v" + n)).isEqualTo(fed.byName("v" + n));
      }
    }
  }

  @Test
  void theFirstOfTwinsIsTheVolumeUntilItGoes() {
    DatasetConfiguration first = dataset("twin", NODE1);
    DatasetConfiguration second = dataset("twin", NODE2);
    FlockerSnapshot s = of(List.of(first, second), List.of(), List.of());
    assertThat(s.byName("twin")).contains(first);
    // a move of the first keeps it the volume; its deletion hands the name to the other
    s = s.apply(batch(new DatasetChange(first.datasetId(), first.withPrimary(NODE2), null,
        null)));
    assertThat(s.byName("twin")).contains(first.withPrimary(NODE2));
    s = s.apply(batch(new DatasetChange(first.datasetId(), first.asDeleted(), null, null)));
    assertThat(s.byName("twin")).contains(second);
    assertThat(s.inNameOrder()).containsExactly(second);
  }

  @Test
  void aRenameMovesTheVolumeAndTheOldNameIsFree() {
    DatasetConfiguration d = dataset("old", NODE1);
    FlockerSnapshot s = of(List.of(d), List.of(), List.of());
    DatasetConfiguration renamed = new DatasetConfiguration(d.datasetId(), NODE1, false,
        Map.of("name", "new"), null);
    s = s.apply(batch(new DatasetChange(d.datasetId(), renamed, null, null)));
    assertThat(s.byName("old")).isEmpty();
    assertThat(s.byName("new")).contains(renamed);
  }

  @Test
  void aBatchReplacesStateAndLeaseAndAnEqualBatchKeepsTheLists() {
    DatasetConfiguration d = dataset("v", NODE1);
    FlockerSnapshot s = of(List.of(d), List.of(), List.of());
    DatasetState here = new DatasetState(d.datasetId(), NODE1, null, "/flocker/v");
    ChangeBatch landed = batch(new DatasetChange(d.datasetId(), d, here,
        new Lease(d.datasetId(), NODE1, null)));
    FlockerSnapshot after = s.apply(landed);
    assertThat(after.sameLists(s)).isFalse();
    assertThat(after.manifestPath(d.datasetId(), NODE1)).contains("/flocker/v");
    assertThat(after.manifestPath(d.datasetId(), NODE2)).isEmpty();
    assertThat(after.manifestNode(d.datasetId())).contains(NODE1);
    assertThat(after.leasedBy(NODE1)).containsExactly("v");
    assertThat(after.apply(landed).sameLists(after)).as("applying it twice").isTrue();

    FlockerSnapshot gone = after.apply(batch(new DatasetChange(d.datasetId(), null, null, null)));
    assertThat(gone.byName("v")).isEmpty();
    assertThat(gone.states(d.datasetId())).isEmpty();
    assertThat(gone.lease(d.datasetId())).isEmpty();
    assertThat(s.manifestPath(d.datasetId(), NODE1)).as("the older snapshot is unchanged")
        .isEmpty();
  }

  @Test
  void aPollKeepsSeveralStatesOfOneDatasetInTransit() {
    DatasetConfiguration d = dataset("v", NODE2);
    FlockerSnapshot s = of(List.of(d), List.of(
        new DatasetState(d.datasetId(), NODE1, null, "/flocker/a"),
        new DatasetState(d.datasetId(), NODE2, null, "/flocker/b")), List.of());
    assertThat(s.manifestPath(d.datasetId(), NODE2)).contains("/flocker/b");
    assertThat(s.manifestPath(d.datasetId(), NODE1)).contains("/flocker/a");
    assertThat(s.at("t2", Instant.now()).sameLists(s)).as("a later read, nothing changed")
        .isTrue();
  }

  @Test
  void theFeedsCopiesReplaceADatasetsCopiesAndAFeedWithoutThemKeepsThem() {
    DatasetConfiguration d = dataset("v", NODE1);
    FlockerSnapshot s = FlockerSnapshot.of("t", List.of(d), List.of(), List.of(), List.of(
        new io.flockerdocker.protocol.flocker.NodeReport(NODE1, "10.0.0.1", 4524, "directory", 1,
            1, List.of(new io.flockerdocker.protocol.flocker.ReportedDataset(d.datasetId(),
                "manifest", "/flocker/v", 1, null, null)))), List.of(), Instant.EPOCH);
    assertThat(s.copies(d.datasetId())).extracting(DatasetCopy::node, DatasetCopy::host)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(NODE1, "10.0.0.1"));

    DatasetCopy sealed = new DatasetCopy(NODE1, "10.0.0.1", 4524,
        new io.flockerdocker.protocol.flocker.ReportedDataset(d.datasetId(), "sealed",
            "/flocker/v", 1, null, null));
    FlockerSnapshot moved = s.apply(batch(new DatasetChange(d.datasetId(), d.withPrimary(NODE2),
        null, null, List.of(sealed))));
    assertThat(moved.copies(d.datasetId())).containsExactly(sealed);
    assertThat(moved.apply(batch(new DatasetChange(d.datasetId(), d, null, null)))
        .copies(d.datasetId())).as("a feed without copies").containsExactly(sealed);
    assertThat(moved.apply(batch(new DatasetChange(d.datasetId(), d, null, null, List.of())))
        .copies(d.datasetId())).as("no host holds it any more").isEmpty();
  }
}
