package io.flockerdocker.agent.dataset;

import io.flockerdocker.agent.dataset.transfer.DataClient;
import io.flockerdocker.agent.dataset.transfer.PullResult;
import io.flockerdocker.agent.dataset.transfer.TransferException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where this host's dataset copies live and how each convergence step changes them on disk
 * (docs/data-plane.md §3). Every method blocks: call it on {@code flocker-docker-io-dispatcher},
 * never on an actor's thread. Each step is crash-safe: after a crash {@link #scan()} finds
 * either the state before the step or the state after it, never a half-done copy reported done.
 */
public interface DatasetBackend {

  /** What a pull (or a shared hand-off) produced: the new copy and the transfer's figures. */
  record Pulled(LocalCopy copy, PullResult result) {}

  /** Rebuilds the local copies from disk at start, and turns a stale staging into a replica. */
  Map<String, LocalCopy> scan() throws IOException;

  /** The copy's path on this host (the Mountpoint), whether or not it exists. */
  Path pathOf(String datasetId);

  /** An empty copy, generation 1, manifest. */
  LocalCopy create(String datasetId) throws IOException;

  /** Our sealed copy back in use with {@code generation}. */
  LocalCopy unseal(String datasetId, long generation) throws IOException;

  /**
   * Brings {@code pull.source()}'s sealed copy here as manifest with {@code pull.generation()}.
   * On failure nothing is reported manifest and what arrived is kept for an incremental retry.
   */
  Pulled pull(Step.Pull pull, DataClient client) throws TransferException;

  /** Makes the copy durable and marks it sealed (nothing writes it any more). */
  LocalCopy seal(String datasetId) throws IOException;

  /**
   * The copy is superseded: a stale replica (directory; empty if the budget evicted it at
   * once) or forgotten (shared: always empty).
   */
  Optional<LocalCopy> demote(String datasetId) throws IOException;

  /** Removes the copy, its replica and its metadata. */
  void destroy(String datasetId) throws IOException;
}
