package io.flockerdocker.agent.volume;

import io.flockerdocker.agent.catalog.VolumeCatalog;
import io.flockerdocker.agent.flocker.FlockerSnapshot;
import io.flockerdocker.agent.mounts.MountTable;
import io.flockerdocker.protocol.flocker.DatasetConfiguration;
import io.flockerdocker.protocol.flocker.Lease;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Finds leases this node holds without a mount behind them (a last Unmount whose CheckLease was
 * lost, a Mount that died with its node between taking the lease and counting the mount) and asks
 * each volume's entity to check and give the lease back. Safe to run any time: the entity
 * serialises the check with any Mount in flight, which holds a lease without a count only until
 * it finishes.
 */
public final class LeaseJanitor {
  private static final Duration EVERY = Duration.ofSeconds(10);

  private LeaseJanitor() {}

  private enum Tick { INSTANCE }

  public static Behavior<Object> create(String selfUuid, VolumeCatalog catalog,
      ActorRef<MountTable.Command> table,
      Function<String, RecipientRef<VolumeCommands.Command>> entities) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Tick.INSTANCE, Duration.ofSeconds(5), EVERY);
      return Behaviors.receive(Object.class)
          .onMessageEquals(Tick.INSTANCE, () -> {
            ctx.ask(MountTable.Counts.class, table, Duration.ofSeconds(5),
                MountTable.Snapshot::new,
                (counts, failure) -> counts != null ? counts : new MountTable.Counts(Map.of()));
            return Behaviors.same();
          })
          .onMessage(MountTable.Counts.class, counts -> {
            FlockerSnapshot snapshot = catalog.snapshot();
            Set<String> leased = new HashSet<>();
            for (Lease lease : snapshot.leases()) {
              if (selfUuid.equals(lease.nodeUuid())) {
                leased.add(lease.datasetId());
              }
            }
            if (leased.isEmpty()) {
              return Behaviors.same();
            }
            for (DatasetConfiguration d : snapshot.datasets()) {
              String name = d.name();
              if (name != null && leased.contains(d.datasetId())
                  && counts.mounts().getOrDefault(name, 0) == 0) {
                // a Mount in flight looks the same for a moment: the entity tells them apart
                ctx.getLog().debug("volume [{}]: this node holds its lease without a mount; "
                    + "asking its actor to check it", name);
                entities.apply(name).tell(new VolumeCommands.CheckLease(Long.MAX_VALUE));
              }
            }
            return Behaviors.same();
          })
          .build();
    }));
  }
}
