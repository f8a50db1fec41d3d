package io.flockerdocker.control;

import io.flockerdocker.protocol.flocker.NodeReport;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The last report of every host, in memory only: after a restart the state is empty until each
 * agent's next heartbeat. A report replaces the stored one only when it is newer by (epoch, seq);
 * the per-key atomic {@code compute} makes check-and-replace one step without a writer thread.
 */
final class ReportStore {
  /** Orders reports of one host: a restarted agent has a later epoch, then seq counts up. */
  static final Comparator<NodeReport> AGE =
      Comparator.comparingLong(NodeReport::epoch).thenComparingLong(NodeReport::seq);

  /** The outcome of {@link #offer}: typed so routes never inspect messages. */
  sealed interface Outcome {
    record Accepted() implements Outcome {}

    record Stale(NodeReport stored) implements Outcome {}
  }

  private final ConcurrentMap<String, NodeReport> reports = new ConcurrentHashMap<>();

  /** Stores {@code report} (already validated) unless the stored one is as new or newer. */
  Outcome offer(NodeReport report) {
    NodeReport[] refused = new NodeReport[1];
    reports.compute(report.uuid(), (uuid, stored) -> {
      if (stored != null && AGE.compare(report, stored) <= 0) {
        refused[0] = stored;
        return stored;
      }
      return report;
    });
    return refused[0] == null ? new Outcome.Accepted() : new Outcome.Stale(refused[0]);
  }

  /** Every stored report, ordered by node uuid so answers are stable. */
  List<NodeReport> all() {
    return reports.values().stream().sorted(Comparator.comparing(NodeReport::uuid)).toList();
  }
}
