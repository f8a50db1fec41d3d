package io.flockerdocker.agent.dataset;

import java.nio.file.Path;

/**
 * One dataset copy as this host's own disk (or shared-ownership record) shows it: the only
 * truth the agent trusts about itself, never its last report. A {@code REPLICA} is a stale copy
 * kept so a move back is incremental; it is never served and never reported.
 */
public record LocalCopy(String datasetId, State state, long generation, Path path) {
  /** What the copy may be used for. */
  public enum State {
    /** Complete and in use here (the Mountpoint). */
    MANIFEST,
    /** Complete, no longer written: the configured primary may pull it. */
    SEALED,
    /** Stale: kept only as the base of an incremental pull. */
    REPLICA
  }

  public boolean authoritative() {
    return state != State.REPLICA;
  }

  public LocalCopy with(State newState, long newGeneration) {
    return new LocalCopy(datasetId, newState, newGeneration, path);
  }
}
