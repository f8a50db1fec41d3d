package io.flockerdocker.agent.mounts;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Tells each volume's entity how many mounts (recorded + reserved) this node holds, after every
 * change, and re-sends on a re-armed timer until the entity acknowledges that push. Only the
 * latest unacknowledged count per volume is kept: an older one is superseded, never re-sent.
 * Sequence numbers grow across restarts of the table (they start from the wall clock, a million
 * per millisecond), so an entity can drop a push older than one it has seen.
 */
final class CountPushes {
  /** How long a push waits for its ack before it is sent again. */
  static final Duration RESEND = Duration.ofSeconds(2);

  private record Pending(int count, long seq) {}

  private final MountTable.CountPush push;
  private final TimerScheduler<MountTable.Command> timers;
  private final ActorRef<MountTable.Command> self;
  private final Map<String, Pending> unacked = new HashMap<>();
  /** The last count pushed per volume; absent = 0 (and acknowledged). */
  private final Map<String, Integer> told = new HashMap<>();
  private long lastSeq;

  CountPushes(MountTable.CountPush push, TimerScheduler<MountTable.Command> timers,
      ActorRef<MountTable.Command> self) {
    this.push = push;
    this.timers = timers;
    this.self = self;
  }

  /** Pushes {@code count} if it differs from the last one pushed; returns the push's seq or -1. */
  long changed(String volume, int count) {
    return count == told.getOrDefault(volume, 0) ? -1 : send(volume, count);
  }

  /** Pushes {@code count} whatever was pushed before (start, leased set); returns its seq. */
  long send(String volume, int count) {
    lastSeq = Math.max(lastSeq + 1, System.currentTimeMillis() * 1_000_000L);
    Pending p = new Pending(count, lastSeq);
    unacked.put(volume, p);
    told.put(volume, count);
    deliver(volume, p);
    return p.seq();
  }

  void resend(String volume) {
    Pending p = unacked.get(volume);
    if (p != null) {
      deliver(volume, p);
    }
  }

  void acked(MountTable.Ack ack) {
    Pending p = unacked.get(ack.volume());
    if (p != null && p.seq() == ack.seq()) {
      unacked.remove(ack.volume());
      timers.cancel(new MountTable.Resend(ack.volume()));
      if (p.count() == 0) {
        told.remove(ack.volume());
      }
    }
  }

  private void deliver(String volume, Pending p) {
    push.send(volume, p.count(), p.seq(), self);
    timers.startSingleTimer(new MountTable.Resend(volume), new MountTable.Resend(volume), RESEND);
  }
}
