package io.flockerdocker.agent.volume;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class CreateQueueTest {
  final CreateQueue queue = new CreateQueue();
  final List<String> started = new ArrayList<>();

  CompletionStage<String> enqueue(String name, CompletableFuture<String> outcome) {
    return queue.run(() -> {
      started.add(name);
      return outcome;
    });
  }

  @Test
  void anAttemptStartsOnlyAfterTheOneBeforeItFinished() {
    CompletableFuture<String> first = new CompletableFuture<>();
    CompletableFuture<String> second = new CompletableFuture<>();
    CompletionStage<String> a = enqueue("a", first);
    CompletionStage<String> b = enqueue("b", second);
    assertThat(started).containsExactly("a");

    first.complete("A");
    assertThat(a.toCompletableFuture().join()).isEqualTo("A");
    assertThat(started).containsExactly("a", "b");
    second.complete("B");
    assertThat(b.toCompletableFuture().join()).isEqualTo("B");
  }

  @Test
  void aFailedAttemptFailsOnlyItsOwnCallerAndReleasesTheQueue() {
    CompletableFuture<String> first = new CompletableFuture<>();
    CompletionStage<String> a = enqueue("a", first);
    CompletionStage<String> b = enqueue("b", CompletableFuture.completedFuture("B"));
    first.completeExceptionally(new IllegalStateException("412"));

    assertThat(a.toCompletableFuture()).isCompletedExceptionally();
    assertThat(b.toCompletableFuture().join()).isEqualTo("B");
    assertThat(started).containsExactly("a", "b");
  }
}
