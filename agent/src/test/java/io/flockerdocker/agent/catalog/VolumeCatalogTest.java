package io.flockerdocker.agent.catalog;

import static io.flockerdocker.agent.volume.VolumeTestConfig.NODE1;
import static io.flockerdocker.agent.volume.VolumeTestConfig.NODE2;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.flockerdocker.agent.cluster.Nodes;
import io.flockerdocker.agent.flocker.FlockerSnapshot;
import io.flockerdocker.protocol.Json;
import io.flockerdocker.protocol.docker.ListResponse;
import io.flockerdocker.protocol.docker.Volume;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.DatasetState;
import io.flockerdocker.protocol.flocker.Lease;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The read model behind Get, List and Path: snapshots, and this node's own changes. */
class VolumeCatalogTest {
  final VolumeCatalog catalog = new VolumeCatalog(NODE1, Path.of("/flocker"), new Nodes());

  static DatasetConfiguration dataset(String name, String primary, String createdAt) {
    Map<String, String> meta = createdAt == null ? Map.of("name", name)
        : Map.of("name", name, VolumeCatalog.CREATED_AT_KEY, createdAt);
    return new DatasetConfiguration(UUID.randomUUID().toString(), primary, false, meta, null);
  }

  static FlockerSnapshot snapshot(Instant startedAt, List<DatasetConfiguration> datasets,
      List<DatasetState> states, List<Lease> leases) {
    return FlockerSnapshot.of("tag", datasets, states, leases, List.of(), List.of(), startedAt);
  }

  @Test
  void getListAndPathComeFromTheSnapshot() {
    DatasetConfiguration here = dataset("here", NODE1, null);
    DatasetConfiguration there = dataset("there", NODE2, null);
    catalog.update(snapshot(Instant.now(), List.of(here, there),
        List.of(new DatasetState(here.datasetId(), NODE1, null, "/flocker/" + here.datasetId()),
            new DatasetState(there.datasetId(), NODE2, null, "/flocker/" + there.datasetId())),
        List.of(new Lease(there.datasetId(), NODE2, null))));

    assertThat(catalog.list()).extracting(Volume::name).containsExactly("here", "there");
    assertThat(catalog.path("here")).isEqualTo("/flocker/" + here.datasetId());
    assertThat(catalog.path("there")).as("not mounted on this node").isEmpty();
    assertThat(catalog.path("nothing")).isEmpty();
    Volume got = catalog.get("there").orElseThrow();
    assertThat(got.mountpoint()).isEmpty();
    assertThat(got.status()).containsEntry("datasetId", there.datasetId())
        .containsEntry("mountedOn", NODE2);
    assertThat(catalog.get("nothing")).isEmpty();
  }

  @Test
  void deletedAndUnnamedDatasetsAreNotVolumes() {
    DatasetConfiguration gone = dataset("gone", NODE1, null).asDeleted();
    DatasetConfiguration unnamed =
        new DatasetConfiguration(UUID.randomUUID().toString(), NODE1, false, Map.of(), null);
    catalog.update(snapshot(Instant.now(), List.of(gone, unnamed), List.of(), List.of()));
    assertThat(catalog.list()).isEmpty();
    assertThat(catalog.get("gone")).isEmpty();
  }

  @Test
  void aLearnedCreateSurvivesAPollThatStartedBeforeIt() {
    Instant pollStarted = Instant.now().minusSeconds(1);
    DatasetConfiguration fresh = dataset("fresh", NODE1, null);
    catalog.learnCreated(fresh);
    assertThat(catalog.get("fresh")).isPresent();

    catalog.update(snapshot(pollStarted, List.of(), List.of(), List.of()));
    assertThat(catalog.get("fresh")).as("a poll older than the Create").isPresent();
    assertThat(catalog.list()).extracting(Volume::name).contains("fresh");

    // a poll that started after the Create is the truth: here it no longer has the volume
    catalog.update(snapshot(Instant.now().plusSeconds(1), List.of(), List.of(), List.of()));
    assertThat(catalog.get("fresh")).isEmpty();
  }

  @Test
  void aLearnedRemoveHidesTheVolumeUntilAPollStartedAfterIt() {
    DatasetConfiguration d = dataset("doomed", NODE1, null);
    catalog.update(snapshot(Instant.now().minusSeconds(2), List.of(d), List.of(), List.of()));
    catalog.learnRemoved("doomed");
    assertThat(catalog.get("doomed")).isEmpty();

    catalog.update(snapshot(Instant.now().minusSeconds(1), List.of(d), List.of(), List.of()));
    assertThat(catalog.get("doomed")).as("a poll older than the Remove").isEmpty();
    assertThat(catalog.list()).isEmpty();

    // e.g. another node created it again: a newer poll shows it
    catalog.update(snapshot(Instant.now().plusSeconds(1), List.of(d), List.of(), List.of()));
    assertThat(catalog.get("doomed")).isPresent();
  }

  @Test
  void aMountThisNodeMadeShowsItsPathUntilAPollStartedAfterIt() {
    DatasetConfiguration d = dataset("moved", NODE2, null);
    catalog.update(snapshot(Instant.now().minusSeconds(2), List.of(d),
        List.of(new DatasetState(d.datasetId(), NODE2, null, "/flocker/" + d.datasetId())),
        List.of()));
    assertThat(catalog.path("moved")).as("on node2 at the last poll").isEmpty();

    catalog.learnMounted(d.datasetId(), "/flocker/" + d.datasetId());
    assertThat(catalog.path("moved")).isEqualTo("/flocker/" + d.datasetId());
    assertThat(catalog.get("moved").orElseThrow().mountpoint())
        .isEqualTo("/flocker/" + d.datasetId());
    assertThat(catalog.get("moved").orElseThrow().status()).containsEntry("mountedOn", NODE1);

    catalog.update(snapshot(Instant.now().minusSeconds(1), List.of(d),
        List.of(new DatasetState(d.datasetId(), NODE2, null, "/flocker/" + d.datasetId())),
        List.of()));
    assertThat(catalog.path("moved")).as("a poll older than the Mount")
        .isEqualTo("/flocker/" + d.datasetId());

    // a poll that started after the Mount is the truth: the volume has moved on to node2
    catalog.update(snapshot(Instant.now().plusSeconds(1), List.of(d),
        List.of(new DatasetState(d.datasetId(), NODE2, null, "/flocker/" + d.datasetId())),
        List.of()));
    assertThat(catalog.path("moved")).isEmpty();
  }

  @Test
  void aLearnedMountOutsideTheDatasetRootIsNeverAMountpoint() {
    DatasetConfiguration d = dataset("forged", NODE1, null);
    catalog.update(snapshot(Instant.now().minusSeconds(1), List.of(d), List.of(), List.of()));
    catalog.learnMounted(d.datasetId(), "/etc");
    assertThat(catalog.path("forged")).isEmpty();
    assertThat(catalog.get("forged").orElseThrow().mountpoint()).isEmpty();
  }

  @Test
  void theListReplyIsSerialisedOncePerViewAndFollowsEveryChange() {
    DatasetConfiguration a = dataset("a", NODE1, null);
    catalog.update(snapshot(Instant.now().minusSeconds(1), List.of(a), List.of(), List.of()));
    byte[] first = catalog.listJson();
    assertThat(new String(first, UTF_8))
        .isEqualTo(new String(Json.writeBytes(
            ListResponse.of(catalog.list())),
            UTF_8))
        .contains("\"Name\":\"a\"");
    assertThat(catalog.listJson()).isSameAs(first);

    catalog.learnCreated(dataset("b", NODE2, null));
    assertThat(new String(catalog.listJson(), UTF_8))
        .contains("\"Name\":\"a\"").contains("\"Name\":\"b\"");
    catalog.learnRemoved("a");
    assertThat(new String(catalog.listJson(), UTF_8))
        .doesNotContain("\"Name\":\"a\"").contains("\"Name\":\"b\"");
  }

  @Test
  void createdAtOnlyWhenItIsRfc3339() {
    DatasetConfiguration good = dataset("good", NODE1, "2026-11-24T23:09:00Z");
    DatasetConfiguration bad = dataset("bad", NODE1, "yesterday");
    DatasetConfiguration empty = dataset("empty", NODE1, "");
    catalog.update(snapshot(Instant.now(), List.of(good, bad, empty), List.of(), List.of()));
    assertThat(catalog.get("good").orElseThrow().createdAt()).isEqualTo("2026-11-24T23:09:00Z");
    assertThat(catalog.get("bad").orElseThrow().createdAt()).isNull();
    assertThat(catalog.get("empty").orElseThrow().createdAt()).isNull();
    assertThat(catalog.list()).filteredOn(v -> v.name().equals("bad"))
        .extracting(Volume::createdAt).containsOnlyNulls();
  }

  @Test
  void loadedCompletesWithTheFirstPoll() {
    assertThat(catalog.loaded().toCompletableFuture()).isNotDone();
    catalog.update(FlockerSnapshot.empty());
    assertThat(catalog.loaded().toCompletableFuture()).isCompleted();
  }

  @Test
  void subscribersHearEverySnapshotAndWhichDatasetsChanged() {
    List<VolumeCatalog.Published> heard = new java.util.ArrayList<>();
    catalog.subscribe(heard::add);
    DatasetConfiguration a = dataset("a", NODE1, null);
    FlockerSnapshot full = snapshot(Instant.now(), List.of(a), List.of(), List.of());
    catalog.update(full);
    FlockerSnapshot delta = snapshot(Instant.now(), List.of(), List.of(), List.of());
    catalog.update(delta, java.util.Optional.of(java.util.Set.of(a.datasetId())));
    assertThat(heard).containsExactly(
        new VolumeCatalog.Published(full, java.util.Optional.empty()),
        new VolumeCatalog.Published(delta, java.util.Optional.of(java.util.Set.of(
            a.datasetId()))));
  }

  @Test
  void aCreatedOverlayIsListedInNameOrderAmongTheSnapshotsVolumes() throws Exception {
    catalog.update(snapshot(Instant.now(), List.of(dataset("a", NODE1, null),
        dataset("c", NODE1, null)), List.of(), List.of()));
    catalog.learnCreated(dataset("b", NODE2, null));
    catalog.learnCreated(dataset("d", NODE2, null));
    catalog.learnRemoved("c");
    assertThat(catalog.list()).extracting(Volume::name).containsExactly("a", "b", "d");
    assertThat(Json.read(catalog.listJson(), ListResponse.class).volumes())
        .extracting(Volume::name).containsExactly("a", "b", "d");
  }

  @Test
  void aListRenderedFromKeptEntriesIsTheListSerialisedAfresh() throws Exception {
    DatasetConfiguration a = dataset("a", NODE1, "2026-12-05T03:00:00Z");
    DatasetConfiguration b = dataset("b", NODE2, "not a time");
    DatasetConfiguration c = dataset("c\"q", NODE1, null);
    DatasetState aHere = new DatasetState(a.datasetId(), NODE1, null, "/flocker/" + a.datasetId());
    FlockerSnapshot first = snapshot(Instant.now(), List.of(a, b, c), List.of(aHere), List.of());
    catalog.update(first);
    assertThat(catalog.listJson()).isEqualTo(Json.writeBytes(ListResponse.of(catalog.list())));

    // a moves away, b is renamed, c stays the same object: only a's and b's entries change
    FlockerSnapshot second = snapshot(Instant.now(), List.of(a.withPrimary(NODE2),
        dataset("b2", NODE2, null), c), List.of(), List.of());
    catalog.update(second);
    catalog.learnMounted(c.datasetId(), "/flocker/" + c.datasetId());
    byte[] rendered = catalog.listJson();
    assertThat(rendered).isEqualTo(Json.writeBytes(ListResponse.of(catalog.list())));
    assertThat(Json.read(rendered, ListResponse.class).volumes())
        .extracting(Volume::name, Volume::mountpoint)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("a", ""),
            org.assertj.core.groups.Tuple.tuple("b2", ""),
            org.assertj.core.groups.Tuple.tuple("c\"q", "/flocker/" + c.datasetId()));
  }
}
