package io.flockerdocker.control;

import io.flockerdocker.protocol.Json;
import io.flockerdocker.protocol.ProtocolException;
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
import java.util.Objects;
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
 * publishes, in that order. Two revisions count changes for ETags and the watch: one moves with
 * every accepted report, the other only when a host's content (what the state endpoints show)
 * changes, which is what wakes watchers; heartbeats move only the first.
 */
final class ReportStore implements AutoCloseable {
  /** Orders reports of one host: a restarted agent has a later epoch, then seq counts up. */
  static final Comparator<NodeReport> AGE =
      Comparator.comparingLong(NodeReport::epoch).thenComparingLong(NodeReport::seq);

  /** The outcome of {@link #offer}: typed so routes never inspect messages. */
  sealed interface Outcome {
    record Accepted() implements Outcome {}

    record Stale(NodeReport stored) implements Outcome {}
  }

  private final Path dir;
  private final ChangeNotifier changes;
  private final ChangeLog log;
  private final Map<String, NodeReport> reports = new ConcurrentHashMap<>();
  /** Each host's copies by dataset id, so the change feed renders one dataset's state in O(H). */
  private final Map<String, Map<String, ReportedDataset>> copies = new ConcurrentHashMap<>();
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
      boolean changed = stored == null || !sameContent(stored, report);
      if (changed) {
        persist(report);
      }
      Map<String, ReportedDataset> before = copies.getOrDefault(report.uuid(), Map.of());
      Map<String, ReportedDataset> after = changed ? byId(report) : before;
      copies.put(report.uuid(), after);
      reports.put(report.uuid(), report);
      // only the writer thread writes these: volatile publishes them after the map update
      reportsRevision = reportsRevision + 1;
      if (changed) {
        contentRevision = contentRevision + 1;
        log.record(touched(stored, report, before, after));
        changes.changed();
      }
      return new Outcome.Accepted();
    }, writer);
  }

  /** Every stored report, ordered by node uuid so answers are stable. */
  List<NodeReport> all() {
    return reports.values().stream().sorted(Comparator.comparing(NodeReport::uuid)).toList();
  }

  /** Moves with every accepted report (the ETag of {@code /v1/state/reports}). */
  long reportsRevision() {
    return reportsRevision;
  }

  /** Moves when what {@code /v1/state/datasets} and {@code /v1/state/nodes} show may change. */
  long contentRevision() {
    return contentRevision;
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

  /** The change feed's keys of a content change: copies that differ, and the node list. */
  private static Set<String> touched(NodeReport stored, NodeReport report,
      Map<String, ReportedDataset> before, Map<String, ReportedDataset> after) {
    Set<String> keys = new LinkedHashSet<>();
    if (stored == null || !stored.host().equals(report.host())) {
      keys.add(ChangeLog.NODES);
    }
    after.forEach((id, d) -> {
      if (!d.equals(before.get(id))) {
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

  private static boolean sameContent(NodeReport a, NodeReport b) {
    return a.host().equals(b.host()) && a.dataPort() == b.dataPort()
        && a.backend().equals(b.backend()) && Objects.equals(a.datasets(), b.datasets());
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
