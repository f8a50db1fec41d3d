package io.flockerdocker.agent.plugin;

import io.flockerdocker.agent.volume.NodeRef;
import io.flockerdocker.agent.volume.VolumeCommands;
import io.flockerdocker.agent.volume.VolumeError;
import io.flockerdocker.agent.volume.VolumeFailure;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * How the plugin routes ask a volume's entity to change it: refused at once without a majority,
 * otherwise the same command is sent again until it is answered or its time is up. A {@link
 * VolumeCommands.Refused} reply fails the stage with its failure, typed, in a {@link VolumeError}.
 */
final class EntityAsks {
  /** The ask outlives the command's own deadline so the entity's error, not ours, is shown. */
  static final Duration ASK_SLACK = Duration.ofSeconds(2);
  private static final Duration FIRST_ATTEMPT = Duration.ofSeconds(2);
  /** The longest wait for one attempt's answer (the steps double up to it). */
  private static final Duration LONGEST_ATTEMPT = Duration.ofSeconds(16);

  private final ActorSystem<?> system;
  private final NodeRef self;
  private final Function<String, RecipientRef<VolumeCommands.Command>> entities;
  private final Clock clock;
  private final BooleanSupplier quorum;

  EntityAsks(ActorSystem<?> system, NodeRef self,
      Function<String, RecipientRef<VolumeCommands.Command>> entities, Clock clock,
      BooleanSupplier quorum) {
    this.system = system;
    this.self = self;
    this.entities = entities;
    this.clock = clock;
    this.quorum = quorum;
  }

  /** A fresh request id: made once per Docker request, kept by every resend of its command. */
  static String newRequestId() {
    return java.util.UUID.randomUUID().toString();
  }

  /**
   * An ask that changes the volume: refused at once on the minority side of a partition. {@code
   * command} is called again for each resend and must return the same request (same request id)
   * with the given replyTo. Completes with the command's success reply ({@code success}: the one
   * type its reply interface {@code R} permits besides Refused).
   */
  <R extends VolumeCommands.Reply, T extends R> CompletionStage<T> changeAsk(String name,
      Class<T> success, Function<ActorRef<R>, VolumeCommands.Command> command, Duration wait) {
    if (!quorum.getAsBoolean()) {
      return CompletableFuture.failedFuture(
          new VolumeError(new VolumeFailure.Minority(name, self.name())));
    }
    return attempt(name, command, clock.millis() + wait.toMillis(), FIRST_ATTEMPT)
        .thenCompose(reply -> reply instanceof VolumeCommands.Refused refused
            ? CompletableFuture.failedFuture(new VolumeError(refused.failure()))
            : CompletableFuture.completedFuture(success.cast(reply)));
  }

  /**
   * Cluster Sharding delivers at most once: a command sent to a node that has just died is
   * lost, and a single ask would wait out Docker's whole budget for nothing. So the same command
   * (same request id, by which the entity recognises a repeat and answers it from its recent
   * replies) is sent again after 2, 4, 8... s until an answer or the budget's end.
   */
  private <R> CompletionStage<R> attempt(String name,
      Function<ActorRef<R>, VolumeCommands.Command> command, long end, Duration step) {
    long sent = System.nanoTime(); // real elapsed time, whatever clock the deadlines use
    long timeout = Math.max(1, Math.min(step.toMillis(), end - clock.millis()));
    return AskPattern.<VolumeCommands.Command, R>ask(entities.apply(name),
            command::apply, Duration.ofMillis(timeout), system.scheduler())
        .exceptionallyCompose(e -> {
          Throwable cause =
              e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
          if (!(cause instanceof TimeoutException)) {
            return CompletableFuture.failedFuture(e);
          }
          if ((System.nanoTime() - sent) / 1_000_000 < timeout / 2) {
            // failed long before its time: the ask never left (this node's sharding is gone, as
            // after the split-brain resolver downed it); resending at once would spin
            return CompletableFuture.failedFuture(
                new VolumeError(new VolumeFailure.Stopping(name, self.name())));
          }
          if (end - clock.millis() <= 0) {
            return CompletableFuture.failedFuture(e);
          }
          Duration next = step.multipliedBy(2);
          return attempt(name, command, end,
              next.compareTo(LONGEST_ATTEMPT) > 0 ? LONGEST_ATTEMPT : next);
        });
  }
}
