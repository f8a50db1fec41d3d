package io.flockerdocker.agent.dataset.transfer;

import java.nio.file.Path;

/**
 * Pulls one dataset from a peer's data server into a staging directory (which may already hold a
 * stale copy: only what differs crosses). Blocking: call it on the I/O dispatcher, never on an
 * actor's thread. On success the staging tree is complete, verified and fsynced.
 */
public interface DataClient {
  PullResult pull(Peer source, String datasetId, Path staging) throws TransferException;
}
