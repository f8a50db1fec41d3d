package io.flockerdocker.agent.catalog;

import static io.flockerdocker.agent.volume.VolumeTestConfig.NODE1;
import static io.flockerdocker.agent.volume.VolumeTestConfig.NODE2;
import static org.assertj.core.api.Assertions.assertThat;

import io.flockerdocker.agent.flocker.FlockerSnapshot;
import io.flockerdocker.protocol.flocker.ChangeBatch;
import io.flockerdocker.protocol.flocker.DatasetChange;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.DatasetState;
import io.flockerdocker.protocol.flocker.Lease;
import io.flockerdocker.protocol.flocker.Node;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The watcher's copy of the lists: one full read, then the change feed's batches as deltas. */
class CatalogStateTest {
  final CatalogState state = new CatalogState();
  final DatasetConfiguration a = VolumeCatalogTest.dataset("a", NODE1, null);
  final DatasetConfiguration b = VolumeCatalogTest.dataset("b", NODE2, null);

  static ChangeBatch batch(DatasetChange... changes) {
    return new ChangeBatch("v", List.of(changes), null);
  }

  FlockerSnapshot snapshot() {
    return state.snapshot();
  }

  void reset(List<DatasetConfiguration> all, List<Node> nodes) {
    state.reset(all, List.of(), List.of(), nodes, "v", Instant.EPOCH);
  }

  void apply(ChangeBatch batch) {
    state.apply(batch, Instant.EPOCH);
  }

  @Test
  void aFullReadDropsDeletedDatasetsAndReportsEverythingChanged() {
    reset(List.of(a, b.asDeleted()), List.of(new Node("h", NODE1)));
    assertThat(snapshot().datasets()).containsExactly(a);
    assertThat(snapshot().nodes()).containsExactly(new Node("h", NODE1));
    assertThat(state.drainChanged()).isEmpty();
    assertThat(state.drainChanged()).contains(Set.of());
  }

  @Test
  void createsMovesAndDeletesApplyAsValues() {
    reset(List.of(a), List.of());
    state.drainChanged();
    DatasetState landed = new DatasetState(b.datasetId(), NODE1, null, "/flocker/b");
    apply(batch(new DatasetChange(b.datasetId(), b, landed, new Lease(b.datasetId(),
        NODE1, null))));
    assertThat(snapshot().datasets()).containsExactlyInAnyOrder(a, b);
    assertThat(snapshot().manifestPath(b.datasetId(), NODE1)).contains("/flocker/b");
    assertThat(state.manifestPath(b.datasetId(), NODE1)).contains("/flocker/b");
    assertThat(snapshot().leases()).extracting(Lease::nodeUuid).containsExactly(NODE1);

    // moved away, lease released, then deleted: each entry is the value now
    apply(batch(new DatasetChange(b.datasetId(), b.withPrimary(NODE2),
        new DatasetState(b.datasetId(), null, null, null), null)));
    assertThat(state.manifestPath(b.datasetId(), NODE1)).isEmpty();
    assertThat(snapshot().leases()).isEmpty();
    apply(batch(new DatasetChange(a.datasetId(), a.asDeleted(), null, null)));
    assertThat(snapshot().datasets()).containsExactly(b.withPrimary(NODE2));
    assertThat(state.drainChanged()).contains(Set.of(a.datasetId(), b.datasetId()));
  }

  @Test
  void applyingABatchTwiceChangesNothing() {
    reset(List.of(), List.of());
    ChangeBatch once = batch(new DatasetChange(a.datasetId(), a, null, null));
    apply(once);
    FlockerSnapshot first = snapshot();
    apply(once);
    assertThat(snapshot().sameLists(first)).isTrue();
    assertThat(snapshot().datasets()).containsExactly(a);
  }

  @Test
  void theNodeListIsReplacedOnlyWhenTheBatchCarriesIt() {
    reset(List.of(), List.of(new Node("h1", NODE1)));
    apply(batch());
    assertThat(snapshot().nodes()).containsExactly(new Node("h1", NODE1));
    apply(new ChangeBatch("v", List.of(), List.of(new Node("h2", NODE2))));
    assertThat(snapshot().nodes()).containsExactly(new Node("h2", NODE2));
    assertThat(state.drainChanged()).isEqualTo(Optional.empty());
  }

  @Test
  void theViewIsAtTheVersionAndTimeOfTheReadThatBroughtItLast() {
    Instant fullReadFrom = Instant.parse("2026-01-01T00:00:00Z");
    Instant polledFrom = fullReadFrom.plusSeconds(30);
    state.reset(List.of(a), List.of(), List.of(), List.of(), "7", fullReadFrom);
    assertThat(state.version()).isEqualTo("7");
    assertThat(snapshot().tag()).isEqualTo("7");
    assertThat(snapshot().startedAt()).isEqualTo(fullReadFrom);

    state.apply(new ChangeBatch("9", List.of(new DatasetChange(b.datasetId(), b, null, null)),
        null), polledFrom);
    assertThat(state.version()).isEqualTo("9");
    assertThat(snapshot().tag()).isEqualTo("9");
    assertThat(snapshot().startedAt()).isEqualTo(polledFrom);
  }
}
