package io.flockerdocker.agent.dataset;

import io.flockerdocker.agent.dataset.transfer.Peer;

/**
 * The one thing the dataset agent does next for one dataset (docs/data-plane.md §2). Every step
 * names its dataset so a failure is reported against it; {@link Nothing} ends a tick.
 */
public sealed interface Step {
  /** The dataset this step is about; null for {@link Nothing}. */
  String datasetId();

  /** Make an empty copy, generation 1, manifest. */
  record Create(String datasetId, Long maximumSize) implements Step {}

  /** Take our own sealed copy back as manifest with {@code generation}. */
  record Unseal(String datasetId, long generation) implements Step {}

  /** Fetch the sealed copy from {@code source}; the result is manifest with {@code generation}. */
  record Pull(String datasetId, Peer source, long sourceGeneration, long generation)
      implements Step {}

  /** Stop writing our manifest copy so the new primary may take it. */
  record Seal(String datasetId) implements Step {}

  /** Our sealed copy has been superseded: keep it as a stale replica (or forget it). */
  record Demote(String datasetId) implements Step {}

  /** The dataset was deleted: remove our copy and its replica. */
  record Destroy(String datasetId) implements Step {}

  /** Nothing to do for this dataset now; {@code why} is for tests and debug logs. */
  record Wait(String datasetId, String why) implements Step {}

  /** Nothing to do for any dataset. */
  enum Nothing implements Step {
    INSTANCE;

    @Override
    public String datasetId() {
      return null;
    }
  }
}
