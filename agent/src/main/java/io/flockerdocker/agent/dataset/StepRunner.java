package io.flockerdocker.agent.dataset;

import io.flockerdocker.agent.dataset.transfer.DataClient;
import io.flockerdocker.agent.dataset.transfer.PullResult;
import io.flockerdocker.agent.dataset.transfer.TransferException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/**
 * Runs one {@link Step} against the backend. Blocking: the DatasetAgent calls it through
 * supplyAsync on the io dispatcher. Failures come out as a {@link StepFailure} carrying the
 * TransferException kind when there is one, so the agent and the metrics never parse messages.
 */
final class StepRunner {
  /** The copy after the step (empty: removed or demoted) and, for a pull, its figures. */
  record Outcome(Step step, Optional<LocalCopy> copy, Optional<PullResult> pulled) {}

  /** A step that failed; {@code kind} is empty for local failures outside a transfer. */
  static final class StepFailure extends CompletionException {
    private final transient Optional<TransferException.Kind> kind;

    StepFailure(String message, Throwable cause, Optional<TransferException.Kind> kind) {
      super(message, cause);
      this.kind = kind;
    }

    Optional<TransferException.Kind> kind() {
      return kind;
    }
  }

  private final DatasetBackend backend;
  private final DataClient client;

  StepRunner(DatasetBackend backend, DataClient client) {
    this.backend = backend;
    this.client = client;
  }

  Outcome run(Step step) {
    try {
      if (step instanceof Step.Create c) {
        return done(step, backend.create(c.datasetId()));
      } else if (step instanceof Step.Unseal u) {
        return done(step, backend.unseal(u.datasetId(), u.generation()));
      } else if (step instanceof Step.Pull p) {
        DatasetBackend.Pulled pulled = backend.pull(p, client);
        return new Outcome(step, Optional.of(pulled.copy()), Optional.of(pulled.result()));
      } else if (step instanceof Step.Seal s) {
        return done(step, backend.seal(s.datasetId()));
      } else if (step instanceof Step.Demote d) {
        return new Outcome(step, backend.demote(d.datasetId()), Optional.empty());
      } else if (step instanceof Step.Destroy d) {
        backend.destroy(d.datasetId());
      } else {
        throw new IllegalArgumentException("not a step to run: " + step);
      }
      return new Outcome(step, Optional.empty(), Optional.empty());
    } catch (TransferException e) {
      throw new StepFailure(e.getMessage(), e, Optional.of(e.kind()));
    } catch (IOException | UncheckedIOException e) {
      throw new StepFailure(e.toString(), e, Optional.empty());
    }
  }

  private static Outcome done(Step step, LocalCopy copy) {
    return new Outcome(step, Optional.of(copy), Optional.empty());
  }
}
