package io.flockerdocker.agent.dataset.transfer;

import java.nio.file.Path;

/**
 * The data server's only view of the dataset agent: which directory, if any, it may send for a
 * dataset to a requesting node. Called once when a request arrives and again before the trailer,
 * so a copy unsealed mid-stream is never delivered as complete. Must not block.
 */
@FunctionalInterface
public interface SourceResolver {
  /** The sealed copy of {@code datasetId} that {@code requesterUuid} may pull, or why not. */
  Decision resolve(String datasetId, String requesterUuid);

  /** Either a directory to send, or the reason for a refusal (sent to the peer and logged). */
  record Decision(Path directory, String refusal) {
    public static Decision serve(Path directory) {
      return new Decision(directory, null);
    }

    public static Decision refuse(String why) {
      return new Decision(null, why);
    }

    public boolean allowed() {
      return directory != null;
    }
  }
}
