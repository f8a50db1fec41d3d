package io.flockerdocker.agent.flocker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.flockerdocker.agent.flocker.FlockerException.Kind;
import io.flockerdocker.protocol.flocker.CreateDatasetRequest;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.DatasetState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Hooks and helpers of {@link FlockerClientContract}: what a subclass provides (client, two
 * registered nodes, a way to let state catch up) and the blocking helpers tests may use (tests
 * only; production code never blocks on a FlockerClient).
 */
public abstract class FlockerClientContractSupport {
  /** A generous bound on one call; only reached when an implementation hangs (a failure). */
  protected static final long CALL_LIMIT_SECONDS = 30;

  protected abstract FlockerClient client();

  /**
   * Returns once the cluster has done all it can to make state follow configuration. The fake
   * calls its {@code converge()}; a real service polls until {@link #stateMatchesConfiguration()}.
   */
  protected abstract void converge();

  /** UUID of a registered node whose agent reports state. */
  protected abstract String nodeA();

  /** UUID of another registered node. */
  protected abstract String nodeB();

  /**
   * True when every live dataset whose primary is a registered node is mounted there, or held by
   * a lease on the node it is mounted on; and no deleted dataset is still in state unless leased.
   */
  protected final boolean stateMatchesConfiguration() {
    List<DatasetConfiguration> config = await(client().listDatasetsConfiguration()).datasets();
    List<DatasetState> state = await(client().listDatasetsState());
    Map<String, String> leases = new HashMap<>();
    await(client().listLeases()).forEach(l -> leases.put(l.datasetId(), l.nodeUuid()));
    List<String> nodes = await(client().listNodes()).stream().map(n -> n.uuid()).toList();
    for (DatasetConfiguration d : config) {
      if (!nodes.contains(d.primary())) {
        continue;
      }
      boolean settled =
          state.stream()
              .filter(s -> s.datasetId().equals(d.datasetId()))
              .anyMatch(
                  s -> s.isManifestOn(d.primary())
                      || s.primary() != null && s.primary().equals(leases.get(d.datasetId())));
      if (!settled) {
        return false;
      }
    }
    return state.stream()
        .allMatch(
            s -> config.stream().anyMatch(d -> d.datasetId().equals(s.datasetId()))
                || s.primary() != null && s.primary().equals(leases.get(s.datasetId())));
  }

  protected static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(CALL_LIMIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw FlockerException.of(e).orElseThrow(() -> new AssertionError("not a FlockerException", e));
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("the call did not complete", e);
    }
  }

  /** The call fails with a FlockerException of {@code kind}; returns it for further checks. */
  protected static FlockerException assertFails(CompletionStage<?> stage, Kind kind) {
    try {
      Object value = await(stage);
      return fail("expected " + kind + " but the call succeeded with " + value);
    } catch (FlockerException e) {
      assertThat(e.kind()).as(e.getMessage()).isEqualTo(kind);
      return e;
    }
  }

  protected static String uniqueName() {
    return "contract-" + UUID.randomUUID().toString().substring(0, 8);
  }

  protected DatasetConfiguration create(String primary, String name, Long size) {
    return await(client().createDataset(
        new CreateDatasetRequest(primary, null, size, Map.of("name", name)), Optional.empty()));
  }

  /** The state entry of {@code datasetId} that is manifest somewhere, else any entry. */
  protected DatasetState stateOf(String datasetId) {
    List<DatasetState> entries =
        await(client().listDatasetsState()).stream()
            .filter(s -> s.datasetId().equals(datasetId))
            .toList();
    assertThat(entries).as("state of " + datasetId).isNotEmpty();
    return entries.stream().filter(s -> s.path() != null).findFirst().orElse(entries.get(0));
  }
}
