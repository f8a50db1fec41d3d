package io.flockerdocker.agent.volume;

import io.flockerdocker.agent.catalog.VolumeCatalog;
import io.flockerdocker.agent.flocker.FlockerClient;
import io.flockerdocker.agent.flocker.FlockerException;
import io.flockerdocker.agent.mounts.MountTable;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * With a lease TTL configured, renews the leases of every volume mounted on this node every
 * third of the TTL. It runs on the holder itself, never elsewhere: a node cut off from the
 * control service must not have its leases kept alive by others. Failing to renew is logged as
 * an error, because when the lease expires another node may take the volume.
 */
public final class LeaseKeeper extends AbstractBehavior<LeaseKeeper.Command> {

  /** Timer ticks and their results. */
  public sealed interface Command {}

  private enum Tick implements Command { INSTANCE }

  private record Counts(MountTable.Counts counts, Throwable failure) implements Command {}

  private record Renewed(String volume, Throwable failure) implements Command {}

  private final String selfUuid;
  private final Duration ttl;
  private final FlockerClient flocker;
  private final VolumeCatalog catalog;
  private final ActorRef<MountTable.Command> table;

  public static Behavior<Command> create(String selfUuid, Duration ttl, FlockerClient flocker,
      VolumeCatalog catalog, ActorRef<MountTable.Command> table) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new LeaseKeeper(ctx, timers, selfUuid, ttl, flocker, catalog, table)));
  }

  private LeaseKeeper(ActorContext<Command> ctx, TimerScheduler<Command> timers, String selfUuid,
      Duration ttl, FlockerClient flocker, VolumeCatalog catalog,
      ActorRef<MountTable.Command> table) {
    super(ctx);
    this.selfUuid = selfUuid;
    this.ttl = ttl;
    this.flocker = flocker;
    this.catalog = catalog;
    this.table = table;
    timers.startTimerWithFixedDelay(Tick.INSTANCE, ttl.dividedBy(3));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Tick.class, t -> onTick())
        .onMessage(Counts.class, this::onCounts)
        .onMessage(Renewed.class, this::onRenewed)
        .build();
  }

  private Behavior<Command> onTick() {
    getContext().ask(MountTable.Counts.class, table, Duration.ofSeconds(5),
        MountTable.Snapshot::new, Counts::new);
    return this;
  }

  private Behavior<Command> onCounts(Counts c) {
    if (c.failure() != null) {
      getContext().getLog().error("cannot read this node's mount table to renew leases: {}",
          c.failure().toString());
      return this;
    }
    for (Map.Entry<String, Integer> e : c.counts().mounts().entrySet()) {
      if (e.getValue() <= 0) {
        continue;
      }
      String volume = e.getKey();
      Optional<String> dataset = catalog.snapshot().byName(volume)
          .map(d -> d.datasetId());
      CompletableFuture<?> renewal = dataset.isEmpty()
          ? CompletableFuture.failedFuture(new IllegalStateException("dataset unknown"))
          : flocker.acquireLease(dataset.get(), selfUuid,
              Optional.of(ttl.toMillis() / 1000.0)).toCompletableFuture();
      getContext().pipeToSelf(renewal, (ok, failure) -> new Renewed(volume, failure));
    }
    return this;
  }

  private Behavior<Command> onRenewed(Renewed r) {
    if (r.failure() != null) {
      boolean stolen = FlockerException.of(r.failure())
          .filter(f -> f.is(FlockerException.Kind.LEASE_HELD)).isPresent();
      getContext().getLog().error(stolen
          ? "LEASE LOST: the lease of volume [{}], mounted on this node, is held by another "
              + "node ({}); containers here must stop using it"
          : "cannot renew the lease of volume [{}], mounted on this node ({}); it expires "
              + "within " + ttl.toSeconds() + "s, after which another node may take it",
          r.volume(), r.failure().getMessage());
    }
    return this;
  }
}
