package io.flockerdocker.agent.flocker;

import io.flockerdocker.agent.flocker.FlockerException.Kind;
import io.flockerdocker.protocol.flocker.CreateDatasetRequest;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The fallback of {@link FlockerClient#createDatasetIfNameUnused} on Flocker's plain API: read
 * the whole configuration, stop if the name is live, else create conditional on the tag just
 * read; a 412 (someone else changed anything) starts over. O(datasets) per try, and every
 * concurrent create in the cluster can cost each other a try: why the extension exists.
 */
final class NamedCreates {
  private NamedCreates() {}

  static String nameOf(CreateDatasetRequest request) {
    String name = request.metadata() == null ? null
        : request.metadata().get(DatasetConfiguration.NAME_KEY);
    if (name == null) {
      throw new IllegalArgumentException("a create-if-name-unused needs metadata "
          + DatasetConfiguration.NAME_KEY);
    }
    return name;
  }

  static CompletionStage<NamedCreate> byTag(FlockerClient client, CreateDatasetRequest request,
      int attemptsLeft) {
    String name;
    try {
      name = nameOf(request);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    return client.listDatasetsConfiguration().thenCompose(config -> {
      Optional<DatasetConfiguration> taken = config.byName(name);
      if (taken.isPresent()) {
        return CompletableFuture.completedFuture(
            (NamedCreate) new NamedCreate.NameTaken(taken.get()));
      }
      return client.createDataset(request, Optional.of(config.tag()))
          .<NamedCreate>thenApply(NamedCreate.Created::new)
          .exceptionallyCompose(e -> {
            boolean changed = FlockerException.of(e)
                .map(f -> f.is(Kind.CONFIGURATION_CHANGED)).orElse(false);
            return changed && attemptsLeft > 1
                ? byTag(client, request, attemptsLeft - 1)
                : CompletableFuture.failedFuture(e);
          });
    });
  }
}
