package io.flockerdocker.agent.flocker;

import io.flockerdocker.protocol.flocker.ChangeBatch;

/**
 * What {@link FlockerClient#changesSince} found: the changes since a version, "that version is
 * gone" (410: read the lists in full, then start again from a new version), or "no feed here" (a
 * plain Flocker, or ours with the extensions off: poll or watch instead).
 */
public sealed interface ChangeFeedAnswer {
  record Changes(ChangeBatch batch) implements ChangeFeedAnswer {}

  enum Gone implements ChangeFeedAnswer {
    INSTANCE
  }

  enum NotOffered implements ChangeFeedAnswer {
    INSTANCE
  }
}
