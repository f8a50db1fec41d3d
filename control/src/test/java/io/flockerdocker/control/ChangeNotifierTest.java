package io.flockerdocker.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The watch's waiting room: woken by a change, by its timeout, and never more than its size. */
class ChangeNotifierTest {
  @Test
  void aChangeWakesEveryWaiterWithTheNewTokenAndEmptiesTheRoom() throws Exception {
    try (ChangeNotifier n = new ChangeNotifier(2)) {
      String t0 = n.token();
      CompletableFuture<Optional<String>> a = n.await(t0, Duration.ofHours(1)).toCompletableFuture();
      CompletableFuture<Optional<String>> b = n.await(t0, Duration.ofHours(1)).toCompletableFuture();
      assertThat(n.waiting()).isEqualTo(2);
      n.changed();
      assertThat(a.get(10, TimeUnit.SECONDS)).contains(n.token());
      assertThat(b.get(10, TimeUnit.SECONDS)).contains(n.token());
      assertThat(n.token()).isNotEqualTo(t0);
      assertThat(n.waiting()).isZero();
    }
  }

  @Test
  void aFullRoomRefusesAndAnOldTokenAnswersAtOnce() {
    try (ChangeNotifier n = new ChangeNotifier(1)) {
      n.await(n.token(), Duration.ofHours(1));
      assertThatThrownBy(() -> n.await(n.token(), Duration.ofHours(1)))
          .isInstanceOf(ChangeNotifier.TooManyWaiters.class)
          .hasMessageContaining("at most 1");
      // not parked, so not refused: the token already moved on
      assertThat(n.await("someone-else", Duration.ofHours(1)).toCompletableFuture().join())
          .contains(n.token());
    }
  }

  @Test
  void aTimedOutWaiterGetsEmptyAndLeavesTheRoom() throws Exception {
    try (ChangeNotifier n = new ChangeNotifier(1)) {
      Optional<String> r = n.await(n.token(), Duration.ZERO).toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      assertThat(r).isEmpty();
      assertThat(n.waiting()).isZero();
    }
  }
}
