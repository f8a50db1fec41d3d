package io.flockerdocker.control;

import java.time.Duration;
import java.time.Instant;

/** Polls a condition until it holds or a generous deadline passes; no fixed sleeps in tests. */
final class Poll {
  interface Check {
    boolean holds() throws Exception;
  }

  static final Duration DEFAULT = Duration.ofSeconds(15);

  private Poll() {}

  static void until(String what, Check check) throws Exception {
    until(what, DEFAULT, check);
  }

  static void until(String what, Duration deadline, Check check) throws Exception {
    Instant end = Instant.now().plus(deadline);
    while (!check.holds()) {
      if (Instant.now().isAfter(end)) {
        throw new AssertionError("timed out after " + deadline + " waiting for: " + what);
      }
      Thread.sleep(20);
    }
  }
}
