package io.flockerdocker.control;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The watch's waiting room: a token that moves on every change an agent cares about (datasets,
 * lease holders, hosts' reported content; not lease renewals or heartbeats), and a bounded set
 * of waiters, each a future completed by the next change or by its timeout on one shared timer
 * thread. No thread and no HTTP work per waiter; a full room refuses new waiters at once.
 */
final class ChangeNotifier implements AutoCloseable {
  /** A watch refused because {@code max} waiters are already parked. */
  static final class TooManyWaiters extends RuntimeException {
    TooManyWaiters(int max) {
      super("too many watchers (at most " + max + "); poll instead", null, false, false);
    }
  }

  // a token from another process run (or another service) is simply "not current"
  private final String boot = Long.toHexString(ThreadLocalRandom.current().nextLong());
  private final int maxWaiters;
  private final Set<CompletableFuture<Optional<String>>> waiters = new LinkedHashSet<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(r -> ConfigurationStore.daemon(r,
          "flocker-control-watch-timer"));
  private long changes;

  ChangeNotifier(int maxWaiters) {
    this.maxWaiters = maxWaiters;
  }

  synchronized String token() {
    return boot + "-" + changes;
  }

  /** The boot id: ETags of in-memory revisions carry it so a restart never reuses one. */
  String boot() {
    return boot;
  }

  /**
   * Completes with the new token as soon as the token differs from {@code since} (at once if it
   * already does), or with empty after {@code timeout}.
   *
   * @throws TooManyWaiters when the room is full
   */
  CompletionStage<Optional<String>> await(String since, Duration timeout) {
    CompletableFuture<Optional<String>> waiter = new CompletableFuture<>();
    synchronized (this) {
      String now = token();
      if (!now.equals(since)) {
        return CompletableFuture.completedFuture(Optional.of(now));
      }
      if (waiters.size() >= maxWaiters) {
        throw new TooManyWaiters(maxWaiters);
      }
      waiters.add(waiter);
    }
    timer.schedule(() -> {
      synchronized (this) {
        waiters.remove(waiter);
      }
      waiter.complete(Optional.empty());
    }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    return waiter;
  }

  /** Moves the token and wakes every waiter (outside the lock: completion runs callbacks). */
  void changed() {
    List<CompletableFuture<Optional<String>>> woken;
    String now;
    synchronized (this) {
      changes++;
      now = token();
      woken = new ArrayList<>(waiters);
      waiters.clear();
    }
    woken.forEach(w -> w.complete(Optional.of(now)));
  }

  synchronized int waiting() {
    return waiters.size();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
