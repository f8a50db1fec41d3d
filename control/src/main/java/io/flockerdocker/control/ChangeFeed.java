package io.flockerdocker.control;

import io.flockerdocker.protocol.flocker.ChangeBatch;
import io.flockerdocker.protocol.flocker.DatasetChange;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.DatasetState;
import io.flockerdocker.protocol.flocker.Lease;
import io.flockerdocker.protocol.flocker.Node;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders the change feed ({@code GET /v1/x/changes}): the keys {@link ChangeLog} holds since a
 * version, each at its current value in the configuration, the leases and the hosts' reports.
 * Each entry carries every host's copy too (advertised as {@code changes-copies}), so a
 * dataset agent never re-reads every host's report after a change. The keys and the new version
 * are taken together first, the values after, so an answer is never
 * older than the version it hands out (a value newer than it is sent again next time: harmless).
 */
final class ChangeFeed {
  private final ChangeLog log;
  private final ConfigurationStore configuration;
  private final ReportStore reports;
  private final int maxBatch;

  ChangeFeed(ChangeLog log, ConfigurationStore configuration, ReportStore reports, int maxBatch) {
    this.log = log;
    this.configuration = configuration;
    this.reports = reports;
    this.maxBatch = maxBatch;
  }

  /** The version now, with nothing: where a client starts before its one full read. */
  ChangeBatch start() {
    return new ChangeBatch(log.version(), List.of(), null);
  }

  /** The changes after {@code version}, possibly none; null when it is gone (410). */
  ChangeBatch since(String version) {
    ChangeLog.Since keys = log.since(version, maxBatch);
    if (keys == null) {
      return null;
    }
    Configuration c = configuration.current();
    long now = configuration.nowMs();
    List<DatasetChange> datasets = new ArrayList<>(keys.keys().size());
    List<Node> nodes = null;
    for (String id : keys.keys()) {
      if (id.equals(ChangeLog.NODES)) {
        nodes = StateView.nodes(reports.all());
        continue;
      }
      DatasetConfiguration configured = c.datasets().get(id);
      List<StateView.Copy> copies = reports.copiesOf(id);
      DatasetState state = copies.isEmpty() ? null : StateView.dataset(id, copies, configured);
      StoredLease held = c.leases().get(id);
      Lease lease = held == null ? null : held.toApi(now);
      datasets.add(new DatasetChange(id, configured, state, lease, reports.hostCopiesOf(copies)));
    }
    return new ChangeBatch(keys.version(), datasets, nodes);
  }

  /** Whether anything changed after {@code version} (or it is gone): answer without waiting. */
  boolean ready(String version) {
    ChangeLog.Since keys = log.since(version, maxBatch);
    return keys == null || !keys.keys().isEmpty();
  }
}
