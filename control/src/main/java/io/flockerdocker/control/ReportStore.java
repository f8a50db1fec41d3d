package io.flockerdocker.control;

import io.flockerdocker.protocol.Json;
import io.flockerdocker.protocol.ProtocolException;
import io.flockerdocker.protocol.flocker.DatasetCopy;
import io.flockerdocker.protocol.flocker.NodeReport;
import io.flockerdocker.protocol.flocker.ReportedDataset;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The last report of every host, durable in {@code <data>/reports/<uuid>.json}. Persisting is
 * what keeps a restarted control service from forgetting that a dataset exists somewhere: with
 * an empty state the configured primary would create an empty copy before the real holder's next
 * heartbeat. A report replaces the stored one only when newer by (epoch, seq); one writer thread
 * checks, persists (only when the content changed, so heartbeats cost no disk write) and
 * publishes, in that order. Two revisions count changes for ETags and the watch: one moves when
 * a host's content changes or a new incarnation of its agent (epoch) reports, the other only when
 * a host's content (what the state endpoints show) changes, which is what wakes watchers; a
 * report that only counts seq up moves neither. Each host's stored content has a tag, which the
 * heartbeat extension names to say "my report still holds" without re-sending it. A content change
 * records the datasets whose copies differ in the change feed's log; a report that only counts
 * seq up, or a heartbeat, records nothing.
 */
final class ReportStore implements AutoCloseable {
  /** Orders reports of one host: a restarted agent has a later epoch, then seq counts up. */
  static final Comparator<NodeReport> AGE =
      Comparator.comparingLong(NodeReport::epoch).thenComparingLong(NodeReport::seq);

  /** The outcome of {@link #offer}: typed so routes never inspect messages. */
  sealed interface Outcome {
    /** {@code etag}: the tag of the host's content as stored now. */
    record Accepted(String etag) implements Outcome {}

    record Stale(NodeReport stored) implements Outcome {}
  }

  private final Path dir;
  private final ChangeNotifier changes;
  private final ChangeLog log;
  private final Map<String, NodeReport> reports = new ConcurrentHashMap<>();
  /** Each host's copies by dataset id, so the change feed renders one dataset's state in O(H). */
  private final Map<String, Map<String, ReportedDataset>> copies = new ConcurrentHashMap<>();
  /** Each host's content tag; only the writer thread assigns one. */
  private final Map<String, String> contentTags = new ConcurrentHashMap<>();
  private volatile long reportsRevision;
  private volatile long contentRevision;
  private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "flocker-control-reports");
    t.setDaemon(true);
    return t;
  });

  private ReportStore(Path dir, ChangeNotifier changes, ChangeLog log) {
    this.dir = dir;
    this.changes = changes;
    this.log = log;
  }

  /** Loads every stored report; a damaged file stops start-up, like a damaged configuration. */
  static ReportStore open(Path dir, ChangeNotifier changes, ChangeLog log)
      throws IOException, CorruptConfigurationException {
    Files.createDirectories(dir);
    ReportStore store = new ReportStore(dir, changes, log);
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
      for (Path f : files) {
        try {
          NodeReport r = Json.read(Files.readAllBytes(f), NodeReport.class);
          store.reports.put(r.uuid(), r);
          store.copies.put(r.uuid(), byId(r));
        } catch (ProtocolException e) {
          throw new CorruptConfigurationException(f, e.getMessage(), e);
        }
      }
    }
    return store;
  }

  /** Stores {@code report} (already validated) unless the stored one is as new or newer. */
  CompletionStage<Outcome> offer(NodeReport report) {
    return CompletableFuture.supplyAsync(() -> {
      NodeReport stored = reports.get(report.uuid());
      if (stored != null && AGE.compare(report, stored) <= 0) {
        return new Outcome.Stale(stored);
      }
      boolean changed = stored == null || !stored.sameContent(report);
      if (changed) {
        persist(report);
      }
      Map<String, ReportedDataset> before = copies.getOrDefault(report.uuid(), Map.of());
      Map<String, ReportedDataset> after = changed ? byId(report) : before;
      copies.put(report.uuid(), after);
      reports.put(report.uuid(), report);
      // only the writer thread writes these: volatile publishes them after the map update
      if (changed || stored.epoch() != report.epoch()) {
        reportsRevision = reportsRevision + 1;
      }
      if (changed) {
        contentRevision = contentRevision + 1;
        log.record(touched(stored, report, before, after));
        contentTags.put(report.uuid(), "\"" + changes.boot() + "-h" + contentRevision + "\"");
        changes.changed();
      }
      // a report loaded from disk gets its tag from the first report after the restart
      String tag = contentTags.computeIfAbsent(report.uuid(),
          u -> "\"" + changes.boot() + "-h" + contentRevision + "\"");
      return new Outcome.Accepted(tag);
    }, writer);
  }

  /**
   * Whether host {@code uuid}'s stored content is still the one tagged {@code etag} (weak
   * comparison): a heartbeat that names it needs no new report.
   */
  boolean holds(String uuid, String etag) {
    String tag = contentTags.get(uuid);
    return tag != null && reports.containsKey(uuid)
        && Conditional.opaque(tag).equals(Conditional.opaque(etag));
  }

  /** Every stored report, ordered by node uuid so answers are stable. */
  List<NodeReport> all() {
    return reports.values().stream().sorted(Comparator.comparing(NodeReport::uuid)).toList();
  }

  /**
   * The weak ETag of {@code /v1/state/reports}: moves with content and epochs, not with a
   * report's seq, so a body may show a host's older seq (never older content).
   */
  long reportsRevision() {
    return reportsRevision;
  }

  /** Moves when what {@code /v1/state/datasets} and {@code /v1/state/nodes} show may change. */
  long contentRevision() {
    return contentRevision;
  }

  /**
   * Every host's copy of {@code datasetId} with the host's address and data port, as the change
   * feed carries them (sorted by host uuid); a host whose report is gone meanwhile is left out.
   */
  List<DatasetCopy> hostCopiesOf(List<StateView.Copy> copies) {
    List<DatasetCopy> out = new ArrayList<>(copies.size());
    for (StateView.Copy c : copies) {
      NodeReport host = reports.get(c.node());
      if (host != null) {
        out.add(new DatasetCopy(c.node(), host.host(), host.dataPort(), c.dataset()));
      }
    }
    return out;
  }

  /** Every host's copy of {@code datasetId}, by host uuid (sorted, for a stable answer). */
  List<StateView.Copy> copiesOf(String datasetId) {
    List<StateView.Copy> out = new ArrayList<>(2);
    copies.forEach((node, byId) -> {
      ReportedDataset d = byId.get(datasetId);
      if (d != null) {
        out.add(new StateView.Copy(node, d));
      }
    });
    out.sort(Comparator.comparing(StateView.Copy::node));
    return out;
  }

  @Override
  public void close() {
    writer.shutdown();
  }

  private static Map<String, ReportedDataset> byId(NodeReport r) {
    Map<String, ReportedDataset> m = new HashMap<>(r.datasets().size() * 2);
    r.datasets().forEach(d -> m.put(d.datasetId(), d));
    return Collections.unmodifiableMap(m);
  }

  /**
   * The change feed's keys of a content change: copies that differ (all of the host's when its
   * address changed), and the node list when the host is new or its address changed (host, data
   * port or backend: a restarted agent may come back on another data port with the same copies,
   * and its peers must hear of it).
   */
  private static Set<String> touched(NodeReport stored, NodeReport report,
      Map<String, ReportedDataset> before, Map<String, ReportedDataset> after) {
    Set<String> keys = new LinkedHashSet<>();
    boolean moved = stored == null || !stored.host().equals(report.host())
        || stored.dataPort() != report.dataPort() || !stored.backend().equals(report.backend());
    if (moved) {
      keys.add(ChangeLog.NODES);
    }
    // the feed's copies carry the host's address: all of them change when it does
    after.forEach((id, d) -> {
      if (moved || !d.equals(before.get(id))) {
        keys.add(id);
      }
    });
    before.keySet().forEach(id -> {
      if (!after.containsKey(id)) {
        keys.add(id);
      }
    });
    return keys;
  }

  private void persist(NodeReport report) {
    try {
      DurableFile.replace(dir.resolve(report.uuid() + ".json"), Json.writeBytes(report));
    } catch (IOException e) {
      // answered as a 500 by the route; the agent re-sends on its next heartbeat
      throw new UncheckedIOException("cannot persist the report of " + report.uuid(), e);
    }
  }
}
