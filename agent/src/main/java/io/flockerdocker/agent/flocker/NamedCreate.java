package io.flockerdocker.agent.flocker;

import io.flockerdocker.protocol.flocker.DatasetConfiguration;

/**
 * The outcome of {@link FlockerClient#createDatasetIfNameUnused}: the new dataset, or the live
 * dataset that already carries the name (the caller adopts or refuses it; no second read needed).
 */
public sealed interface NamedCreate {
  /** The dataset created, or the one that already carries the name. */
  DatasetConfiguration dataset();

  record Created(DatasetConfiguration dataset) implements NamedCreate {}

  record NameTaken(DatasetConfiguration dataset) implements NamedCreate {}
}
