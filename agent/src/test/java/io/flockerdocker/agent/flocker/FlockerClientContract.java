package io.flockerdocker.agent.flocker;

import static org.assertj.core.api.Assertions.assertThat;

import io.flockerdocker.agent.flocker.FlockerException.Kind;
import io.flockerdocker.protocol.flocker.CreateDatasetRequest;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.DatasetState;
import io.flockerdocker.protocol.flocker.Lease;
import io.flockerdocker.protocol.flocker.NodeReport;
import io.flockerdocker.protocol.flocker.ReportedDataset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link FlockerClient} must show against a Flocker control service (spec
 * sections 4-6), run against the fake here and against HttpFlockerClient plus the embedded control
 * service in the simulations module. Every test uses fresh ids and names, so one service instance
 * can serve the whole suite in any order.
 */
public abstract class FlockerClientContract extends FlockerClientContractSupport {

  @Test
  void version_names_a_flocker_release() {
    assertThat(await(client().version())).isNotBlank();
  }

  @Test
  void nodes_include_both_test_nodes() {
    assertThat(await(client().listNodes())).extracting(n -> n.uuid()).contains(nodeA(), nodeB());
  }

  @Test
  void create_without_size_is_listed_by_name_and_materialises_on_the_primary() {
    String name = uniqueName();
    DatasetConfiguration created = create(nodeA(), name, null);
    assertThat(created.primary()).isEqualTo(nodeA());
    assertThat(created.deleted()).isFalse();
    assertThat(created.maximumSize()).isNull();
    assertThat(created.name()).isEqualTo(name);

    DatasetsConfiguration listed = await(client().listDatasetsConfiguration());
    assertThat(listed.tag()).isNotBlank();
    assertThat(listed.byName(name)).contains(created);

    converge();
    assertThat(stateOf(created.datasetId()).isManifestOn(nodeA())).isTrue();
    assertThat(stateOf(created.datasetId()).path()).endsWith(created.datasetId());
  }

  @Test
  void create_with_size_id_and_no_metadata() {
    String id = UUID.randomUUID().toString();
    long size = 128L * 1024 * 1024;
    DatasetConfiguration created =
        await(client().createDataset(
            new CreateDatasetRequest(nodeB(), id, size, null), Optional.empty()));
    assertThat(created.datasetId()).isEqualTo(id);
    assertThat(created.maximumSize()).isEqualTo(size);
    assertThat(created.metadata()).isEmpty();
    assertThat(created.name()).isNull();
    assertThat(await(client().listDatasetsConfiguration()).datasets()).contains(created);
  }

  @Test
  void conditional_create_with_a_stale_tag_is_refused_and_with_the_current_tag_succeeds() {
    String stale = await(client().listDatasetsConfiguration()).tag();
    create(nodeA(), uniqueName(), null); // any real mutation moves the tag
    String name = uniqueName();
    CreateDatasetRequest request = new CreateDatasetRequest(nodeA(), null, null, Map.of("name", name));
    assertFails(client().createDataset(request, Optional.of(stale)), Kind.CONFIGURATION_CHANGED);
    assertThat(await(client().listDatasetsConfiguration()).byName(name)).isEmpty();

    // a real service may move the tag between our read and write (lease renewals, agents'
    // ownership records); like Flocker's conditional_create, re-read and retry a few times
    DatasetConfiguration created = null;
    for (int attempt = 0; created == null && attempt < 20; attempt++) {
      String current = await(client().listDatasetsConfiguration()).tag();
      try {
        created = await(client().createDataset(request, Optional.of(current)));
      } catch (FlockerException e) {
        assertThat(e.kind()).isEqualTo(Kind.CONFIGURATION_CHANGED);
      }
    }
    assertThat(created).isNotNull();
    assertThat(await(client().listDatasetsConfiguration()).byName(name)).contains(created);
  }

  @Test
  void a_mutation_changes_the_tag() {
    String before = await(client().listDatasetsConfiguration()).tag();
    create(nodeA(), uniqueName(), null);
    assertThat(await(client().listDatasetsConfiguration()).tag()).isNotEqualTo(before);
  }

  @Test
  void duplicate_dataset_id_is_refused_even_after_delete() {
    String id = UUID.randomUUID().toString();
    CreateDatasetRequest request = new CreateDatasetRequest(nodeA(), id, null, Map.of());
    await(client().createDataset(request, Optional.empty()));
    assertFails(client().createDataset(request, Optional.empty()), Kind.DATASET_EXISTS);
    await(client().deleteDataset(id));
    assertFails(client().createDataset(request, Optional.empty()), Kind.DATASET_EXISTS);
  }

  @Test
  void move_converges_on_the_new_primary() {
    DatasetConfiguration d = create(nodeA(), uniqueName(), null);
    converge();
    DatasetConfiguration moved = await(client().moveDataset(d.datasetId(), nodeB()));
    assertThat(moved.primary()).isEqualTo(nodeB());
    assertThat(moved.metadata()).isEqualTo(d.metadata());
    converge();
    DatasetState state = stateOf(d.datasetId());
    assertThat(state.isManifestOn(nodeB())).isTrue();
    assertThat(state.path()).endsWith(d.datasetId());
  }

  @Test
  void move_of_an_unknown_dataset_is_not_found() {
    assertFails(client().moveDataset(UUID.randomUUID().toString(), nodeB()), Kind.NOT_FOUND);
  }

  @Test
  void delete_is_idempotent_and_the_deleted_dataset_cannot_move() {
    String name = uniqueName();
    DatasetConfiguration d = create(nodeA(), name, null);
    converge();
    DatasetConfiguration deleted = await(client().deleteDataset(d.datasetId()));
    assertThat(deleted.deleted()).isTrue();
    assertThat(await(client().listDatasetsConfiguration()).byName(name)).isEmpty();
    assertThat(await(client().deleteDataset(d.datasetId())).deleted()).isTrue();
    assertFails(client().moveDataset(d.datasetId(), nodeB()), Kind.DELETED);
    converge();
    assertThat(await(client().listDatasetsState()))
        .noneMatch(s -> s.datasetId().equals(d.datasetId()));
  }

  @Test
  void delete_of_an_unknown_dataset_is_not_found() {
    assertFails(client().deleteDataset(UUID.randomUUID().toString()), Kind.NOT_FOUND);
  }

  @Test
  void lease_acquire_renew_conflict_list_and_release() {
    String id = create(nodeA(), uniqueName(), null).datasetId();
    Lease lease = await(client().acquireLease(id, nodeA(), Optional.empty()));
    assertThat(lease).isEqualTo(new Lease(id, nodeA(), null));
    assertThat(await(client().acquireLease(id, nodeA(), Optional.empty()))).isEqualTo(lease);
    assertFails(client().acquireLease(id, nodeB(), Optional.empty()), Kind.LEASE_HELD);
    assertThat(await(client().listLeases())).contains(lease);

    Lease renewed = await(client().acquireLease(id, nodeA(), Optional.of(600.0)));
    assertThat(renewed.expires()).isPositive().isLessThanOrEqualTo(600.0);
    assertThat(await(client().listLeases()))
        .filteredOn(l -> l.datasetId().equals(id))
        .singleElement()
        .satisfies(l -> assertThat(l.expires()).isPositive().isLessThanOrEqualTo(600.0));

    assertThat(await(client().releaseLease(id)).nodeUuid()).isEqualTo(nodeA());
    assertThat(await(client().listLeases())).noneMatch(l -> l.datasetId().equals(id));
    assertFails(client().releaseLease(id), Kind.NOT_FOUND);
    // released, so another node may take it now
    assertThat(await(client().acquireLease(id, nodeB(), Optional.empty())).nodeUuid())
        .isEqualTo(nodeB());
    await(client().releaseLease(id));
  }

  @Test
  void a_lease_changes_the_tag() {
    String id = create(nodeA(), uniqueName(), null).datasetId();
    String before = await(client().listDatasetsConfiguration()).tag();
    await(client().acquireLease(id, nodeA(), Optional.empty()));
    String leased = await(client().listDatasetsConfiguration()).tag();
    assertThat(leased).isNotEqualTo(before);
    await(client().releaseLease(id));
    assertThat(await(client().listDatasetsConfiguration()).tag()).isNotEqualTo(leased);
  }

  @Test
  void a_lease_on_a_manifest_dataset_holds_a_move_until_released() {
    String id = create(nodeA(), uniqueName(), null).datasetId();
    converge();
    assertThat(stateOf(id).isManifestOn(nodeA())).isTrue();
    await(client().acquireLease(id, nodeA(), Optional.empty()));

    assertThat(await(client().moveDataset(id, nodeB())).primary()).isEqualTo(nodeB());
    converge();
    assertThat(stateOf(id).isManifestOn(nodeA())).isTrue();

    await(client().releaseLease(id));
    converge();
    assertThat(stateOf(id).isManifestOn(nodeB())).isTrue();
  }

  @Test
  void the_full_configuration_keeps_deleted_datasets_marked_deleted() {
    DatasetConfiguration d = create(nodeA(), uniqueName(), null);
    await(client().deleteDataset(d.datasetId()));
    assertThat(await(client().listDatasetsConfiguration()).datasets())
        .noneMatch(x -> x.datasetId().equals(d.datasetId()));
    assertThat(await(client().listAllDatasetsConfiguration()).datasets())
        .filteredOn(x -> x.datasetId().equals(d.datasetId()))
        .singleElement()
        .satisfies(x -> assertThat(x.deleted()).isTrue());
  }

  @Test
  void a_report_is_stored_listed_and_becomes_the_state() {
    String host = UUID.randomUUID().toString();
    String id = UUID.randomUUID().toString();
    NodeReport report = new NodeReport(host, "10.9.9.9", 4524, "directory", 1000, 1,
        List.of(new ReportedDataset(id, ReportedDataset.MANIFEST, "/data/" + id, 3, null, null)));
    await(client().reportState(report));
    assertThat(await(client().listReports())).contains(report);
    assertThat(await(client().listNodes())).extracting(n -> n.uuid()).contains(host);
    DatasetState state = stateOf(id);
    assertThat(state.primary()).isEqualTo(host);
    assertThat(state.path()).isEqualTo("/data/" + id);

    NodeReport sealed = new NodeReport(host, "10.9.9.9", 4524, "directory", 1000, 2,
        List.of(new ReportedDataset(id, ReportedDataset.SEALED, "/data/" + id, 3, null, null)));
    await(client().reportState(sealed));
    assertThat(stateOf(id).primary()).as("a sealed copy is in transit").isNull();
    assertThat(stateOf(id).path()).isNull();
  }

  @Test
  void a_report_not_newer_than_the_stored_one_is_refused_and_changes_nothing() {
    String host = UUID.randomUUID().toString();
    NodeReport first = new NodeReport(host, "10.9.9.8", 4524, "directory", 2000, 5, List.of());
    await(client().reportState(first));
    assertFails(client().reportState(
        new NodeReport(host, "10.9.9.8", 4524, "directory", 2000, 5, List.of())),
        Kind.STALE_REPORT);
    assertFails(client().reportState(
        new NodeReport(host, "10.9.9.8", 4524, "directory", 1999, 9, List.of())),
        Kind.STALE_REPORT);
    assertThat(await(client().listReports())).contains(first);
    // a restarted agent (later epoch) starts its seq again
    await(client().reportState(
        new NodeReport(host, "10.9.9.8", 4524, "directory", 3000, 1, List.of())));
  }

  @Test
  void a_report_or_heartbeat_keeps_the_content_and_a_change_goes_in_full() {
    String host = UUID.randomUUID().toString();
    String id = UUID.randomUUID().toString();
    List<ReportedDataset> held =
        List.of(new ReportedDataset(id, ReportedDataset.MANIFEST, "/data/" + id, 3, null, null));
    await(client().reportOrHeartbeat(
        new NodeReport(host, "10.9.9.7", 4524, "directory", 1000, 1, held)));
    // unchanged content: a heartbeat where the service offers one, the full report elsewhere
    await(client().reportOrHeartbeat(
        new NodeReport(host, "10.9.9.7", 4524, "directory", 1000, 2, held)));
    assertThat(reportOf(host).datasets()).isEqualTo(held);

    List<ReportedDataset> sealed =
        List.of(new ReportedDataset(id, ReportedDataset.SEALED, "/data/" + id, 3, null, null));
    await(client().reportOrHeartbeat(
        new NodeReport(host, "10.9.9.7", 4524, "directory", 1000, 3, sealed)));
    assertThat(reportOf(host).datasets()).isEqualTo(sealed);
    // and gone: a dataset no configuration names must not stay in the shared state
    await(client().reportOrHeartbeat(
        new NodeReport(host, "10.9.9.7", 4524, "directory", 1000, 4, List.of())));
    assertThat(reportOf(host).datasets()).isEmpty();
  }

  @Test
  void a_conditional_reports_read_after_a_report_shows_it() {
    await(client().listReportsIfChanged());
    String host = UUID.randomUUID().toString();
    NodeReport report = new NodeReport(host, "10.9.9.6", 4524, "directory", 1000, 1, List.of());
    await(client().reportState(report));
    Optional<List<NodeReport>> read = await(client().listReportsIfChanged());
    assertThat(read).isPresent();
    assertThat(read.get()).contains(report);
  }

  private NodeReport reportOf(String host) {
    return await(client().listReports()).stream().filter(r -> r.uuid().equals(host))
        .findFirst().orElseThrow();
  }

  @Test
  void create_if_name_unused_creates_once_then_names_the_holder() {
    String name = uniqueName();
    CreateDatasetRequest request =
        new CreateDatasetRequest(nodeA(), null, null, Map.of(DatasetConfiguration.NAME_KEY, name));
    NamedCreate first = await(client().createDatasetIfNameUnused(request));
    assertThat(first).isInstanceOf(NamedCreate.Created.class);
    DatasetConfiguration made = ((NamedCreate.Created) first).dataset();
    assertThat(made.name()).isEqualTo(name);
    assertThat(made.primary()).isEqualTo(nodeA());

    assertThat(await(client().createDatasetIfNameUnused(request)))
        .isEqualTo(new NamedCreate.NameTaken(made));
    assertThat(await(client().listDatasetsConfiguration()).datasets())
        .filteredOn(d -> name.equals(d.name())).containsExactly(made);
  }

  @Test
  void a_deleted_name_can_be_created_again() {
    String name = uniqueName();
    CreateDatasetRequest request =
        new CreateDatasetRequest(nodeA(), null, null, Map.of(DatasetConfiguration.NAME_KEY, name));
    NamedCreate.Created first = (NamedCreate.Created) await(
        client().createDatasetIfNameUnused(request));
    await(client().deleteDataset(first.dataset().datasetId()));
    NamedCreate second = await(client().createDatasetIfNameUnused(request));
    assertThat(second).isInstanceOf(NamedCreate.Created.class);
    assertThat(((NamedCreate.Created) second).dataset().datasetId())
        .isNotEqualTo(first.dataset().datasetId());
  }

  @Test
  void a_conditional_read_after_a_change_shows_the_change() {
    await(client().listAllDatasetsConfigurationIfChanged());
    DatasetConfiguration made = create(nodeA(), uniqueName(), null);
    Optional<DatasetsConfiguration> read = await(client().listAllDatasetsConfigurationIfChanged());
    assertThat(read).isPresent();
    assertThat(read.get().datasets()).contains(made);
  }
}
