package io.flockerdocker.control;

import io.flockerdocker.protocol.Json;
import io.flockerdocker.protocol.ProtocolException;
import io.flockerdocker.protocol.flocker.NodeReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
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
 * heartbeat extension names to say "my report still holds" without re-sending it.
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
  private final Map<String, NodeReport> reports = new ConcurrentHashMap<>();
  /** Each host's content tag; only the writer thread assigns one. */
  private final Map<String, String> contentTags = new ConcurrentHashMap<>();
  private volatile long reportsRevision;
  private volatile long contentRevision;
  private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "flocker-control-reports");
    t.setDaemon(true);
    return t;
  });

  private ReportStore(Path dir, ChangeNotifier changes) {
    this.dir = dir;
    this.changes = changes;
  }

  /** Loads every stored report; a damaged file stops start-up, like a damaged configuration. */
  static ReportStore open(Path dir, ChangeNotifier changes)
      throws IOException, CorruptConfigurationException {
    Files.createDirectories(dir);
    ReportStore store = new ReportStore(dir, changes);
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
      for (Path f : files) {
        try {
          NodeReport r = Json.read(Files.readAllBytes(f), NodeReport.class);
          store.reports.put(r.uuid(), r);
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
      reports.put(report.uuid(), report);
      // only the writer thread writes these: volatile publishes them after the map update
      if (changed || stored.epoch() != report.epoch()) {
        reportsRevision = reportsRevision + 1;
      }
      if (changed) {
        contentRevision = contentRevision + 1;
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

  @Override
  public void close() {
    writer.shutdown();
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
