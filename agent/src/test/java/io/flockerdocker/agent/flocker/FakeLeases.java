package io.flockerdocker.agent.flocker;

import io.flockerdocker.agent.flocker.FlockerException.Kind;
import io.flockerdocker.protocol.flocker.Lease;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The lease table of {@link FakeFlockerClient}, with Flocker's rules (spec section 6): absolute
 * expiry from an injected clock, strict {@code <} expiry, same-node renewal, release by anyone.
 * Not thread-safe on its own: the fake calls it under its lock.
 */
final class FakeLeases {
  private record Held(String node, Instant expiresAt) {}

  private final Clock clock;
  private final Map<String, Held> leases = new LinkedHashMap<>();

  FakeLeases(Clock clock) {
    this.clock = clock;
  }

  /** Acquires or renews; returns the lease and whether the configuration changed. */
  Changed<Lease> acquire(String datasetId, String node, Optional<Double> expiresSeconds) {
    Held old = leases.get(datasetId);
    if (old != null && !old.node().equals(node)) {
      throw FakeFlockerClient.fail(Kind.LEASE_HELD, 409, "Lease already held.");
    }
    Instant expiresAt =
        expiresSeconds
            .map(s -> clock.instant().plus(Duration.ofMillis(Math.round(s * 1000))))
            .orElse(null);
    Held lease = new Held(node, expiresAt);
    leases.put(datasetId, lease);
    return new Changed<>(toLease(datasetId, lease), !lease.equals(old));
  }

  Lease release(String datasetId) {
    Held held = leases.remove(datasetId);
    if (held == null) {
      throw FakeFlockerClient.fail(Kind.NOT_FOUND, 404, "Lease not found.");
    }
    return toLease(datasetId, held);
  }

  /** Drops leases whose expiry has passed; true if any did. */
  boolean expire() {
    Instant now = clock.instant();
    return leases.values().removeIf(l -> l.expiresAt() != null && l.expiresAt().isBefore(now));
  }

  boolean heldBy(String datasetId, String node) {
    Held held = leases.get(datasetId);
    return held != null && held.node().equals(node);
  }

  List<Lease> list() {
    return leases.entrySet().stream().map(e -> toLease(e.getKey(), e.getValue())).toList();
  }

  /** {@code expires} as Flocker reports it: seconds remaining now, or null for never. */
  private Lease toLease(String datasetId, Held held) {
    Double remaining =
        held.expiresAt() == null
            ? null
            : Duration.between(clock.instant(), held.expiresAt()).toMillis() / 1000.0;
    return new Lease(datasetId, held.node(), remaining);
  }

  /** A result and whether it changed the configuration (and so the tag). */
  record Changed<T>(T value, boolean changed) {}
}
