package io.flockerdocker.agent.volume;

import io.flockerdocker.agent.volume.VolumeCommands.Command;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The Mounts a volume entity keeps waiting while another node holds the volume
 * ({@code flocker-docker.volume.wait-for-release}), until the holder lets go or the deadline nears.
 */
final class ParkedMounts {
  private static final Duration CHECK_PARKED = Duration.ofSeconds(1);

  /** The entity's timer tick while Mounts are parked: answer those near their deadline. */
  enum CheckParked implements VolumeCommands.Internal { INSTANCE }

  private final List<VolumeCommands.Mount> parked = new ArrayList<>();
  private final TimerScheduler<Command> timers;

  ParkedMounts(TimerScheduler<Command> timers) {
    this.timers = timers;
  }

  void park(VolumeCommands.Mount m) {
    parked.add(m);
    timers.startTimerWithFixedDelay(CheckParked.INSTANCE, CHECK_PARKED);
  }

  /** A repeat of a parked Mount takes its place (with its own replyTo) instead of queueing. */
  boolean replace(VolumeCommands.Mount m) {
    for (int i = 0; i < parked.size(); i++) {
      if (m.requestId().equals(parked.get(i).requestId())) {
        parked.set(i, m);
        return true;
      }
    }
    return false;
  }

  /** Sends every parked Mount back to {@code entity}: the holder let go, so they run again. */
  void wake(ActorRef<Command> entity) {
    if (parked.isEmpty()) {
      return;
    }
    parked.forEach(m -> entity.tell(m));
    parked.clear();
    timers.cancel(CheckParked.INSTANCE);
  }

  /** Drops every Mount whose deadline is (nearly) reached, handing it to {@code expired}. */
  void expire(long now, Consumer<VolumeCommands.Mount> expired) {
    parked.removeIf(m -> {
      // leave a second for the answer to travel back before dockerd's own deadline
      if (now + 1000 < m.deadline()) {
        return false;
      }
      expired.accept(m);
      return true;
    });
    if (parked.isEmpty()) {
      timers.cancel(CheckParked.INSTANCE);
    }
  }
}
