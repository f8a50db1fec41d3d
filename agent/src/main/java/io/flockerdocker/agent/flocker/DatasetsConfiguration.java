package io.flockerdocker.agent.flocker;

import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import java.util.List;
import java.util.Optional;

/**
 * The answer of {@code GET /v1/configuration/datasets}: the datasets (deleted ones dropped, as
 * Flocker's reference client does) and the configuration tag for conditional requests.
 */
public record DatasetsConfiguration(String tag, List<DatasetConfiguration> datasets) {
  public DatasetsConfiguration {
    datasets = List.copyOf(datasets);
  }

  /** The live dataset that carries volume name {@code name} in its metadata, if any. */
  public Optional<DatasetConfiguration> byName(String name) {
    return datasets.stream().filter(d -> name.equals(d.name())).findFirst();
  }
}
