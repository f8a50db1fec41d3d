package io.flockerdocker.agent.dataset;

import io.flockerdocker.agent.dataset.transfer.SourceResolver;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The data server's view of this host's copies: the DatasetAgent publishes an immutable table
 * after every change (sealed copies and the primary the configuration names), and the server's
 * threads read it without blocking. Only a sealed copy, only to that primary.
 */
public final class ServedCopies implements SourceResolver {
  /** A copy this host holds: where, whether sealed, and who the configuration says may pull. */
  public record Entry(Path path, boolean sealed, String primary) {}

  private final AtomicReference<Map<String, Entry>> table = new AtomicReference<>(Map.of());

  /** Replaces the table; called by the DatasetAgent only. */
  public void publish(Map<String, Entry> copies) {
    table.set(Map.copyOf(copies));
  }

  @Override
  public Decision resolve(String datasetId, String requesterUuid) {
    Entry e = table.get().get(datasetId);
    if (e == null) {
      return Decision.refuse("dataset " + datasetId + " is not held here");
    }
    if (!e.sealed()) {
      return Decision.refuse("dataset " + datasetId + " is not sealed here");
    }
    if (e.primary() == null || !e.primary().equals(requesterUuid)) {
      return Decision.refuse("node " + requesterUuid + " is not the configured primary of "
          + datasetId);
    }
    return Decision.serve(e.path());
  }
}
