package io.flockerdocker.agent.volume;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * One conditional create at a time on this node. A Flocker create is "read the configuration and
 * its tag, POST with that tag", and the tag covers the whole cluster's configuration, so two
 * creates in flight at once make one of them fail with 412 and start over. The volume entities of
 * one node (one per name) would otherwise race each other whenever Docker creates many volumes at
 * once; lined up here, only creates from different nodes can still collide. Never blocks a
 * thread: each attempt is chained after the previous one's completion, whatever its outcome.
 */
public final class CreateQueue {
  private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);

  /** Runs {@code attempt} once every attempt queued before it has finished. */
  public synchronized <T> CompletionStage<T> run(Supplier<CompletionStage<T>> attempt) {
    CompletableFuture<T> result = tail.handle((ignored, failure) -> null)
        .thenCompose(x -> attempt.get())
        .toCompletableFuture();
    tail = result;
    return result;
  }
}
