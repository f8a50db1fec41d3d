package io.flockerdocker.agent.catalog;

import io.flockerdocker.agent.flocker.FlockerSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.Done;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Keeps {@link CatalogFile} close to the published catalog: every {@code every}, and when asked
 * (the agent stops), it writes the catalog's snapshot if its version moved since the last write.
 * One write at a time, on the io executor; its phases are {@link #idle} and {@link #writing}.
 */
public final class CatalogSaver {
  /** Everything the saver accepts; node-local. */
  public sealed interface Command extends NoSerializationVerificationNeeded {}

  /** Write now if anything changed, then answer (the agent is stopping). */
  public record SaveNow(ActorRef<Done> replyTo) implements Command {}

  private enum Tick implements Command {
    INSTANCE
  }

  private record Written(FlockerSnapshot snapshot, Throwable failure) implements Command {}

  private final ActorContext<Command> ctx;
  private final VolumeCatalog catalog;
  private final CatalogFile file;
  private final Executor io;

  private CatalogSaver(ActorContext<Command> ctx, VolumeCatalog catalog, CatalogFile file,
      Executor io) {
    this.ctx = ctx;
    this.catalog = catalog;
    this.file = file;
    this.io = io;
  }

  public static Behavior<Command> create(VolumeCatalog catalog, CatalogFile file,
      Duration every, Executor io) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Tick.INSTANCE, every);
      return new CatalogSaver(ctx, catalog, file, io).idle("", false);
    }));
  }

  /** Waiting; {@code savedVersion} is the file's (empty: none written yet). */
  private Behavior<Command> idle(String savedVersion, boolean failedBefore) {
    return Behaviors.receive(Command.class)
        .onMessage(Tick.class, t -> save(savedVersion, failedBefore, List.of()))
        .onMessage(SaveNow.class, s -> save(savedVersion, failedBefore, List.of(s.replyTo())))
        .onMessage(Written.class, w -> Behaviors.same()) // not sent while idle
        .build();
  }

  private Behavior<Command> save(String savedVersion, boolean failedBefore,
      List<ActorRef<Done>> waiting) {
    FlockerSnapshot s = catalog.snapshot();
    boolean loaded = catalog.loaded().toCompletableFuture().isDone();
    if (!loaded || s.tag().isEmpty() || s.tag().equals(savedVersion)) {
      waiting.forEach(r -> r.tell(Done.getInstance()));
      return idle(savedVersion, failedBefore);
    }
    ctx.pipeToSelf(CompletableFuture.runAsync(() -> {
      try {
        file.write(s);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, io), (x, failure) -> new Written(s, failure));
    return writing(savedVersion, failedBefore, new ArrayList<>(waiting));
  }

  /** A write in flight; SaveNow waits for it (and for one more, if the catalog moved on). */
  private Behavior<Command> writing(String savedVersion, boolean failedBefore,
      List<ActorRef<Done>> waiting) {
    return Behaviors.receive(Command.class)
        .onMessage(Tick.class, t -> Behaviors.same())
        .onMessage(SaveNow.class, s -> {
          waiting.add(s.replyTo());
          return Behaviors.same();
        })
        .onMessage(Written.class, w -> written(w, savedVersion, failedBefore, waiting))
        .build();
  }

  private Behavior<Command> written(Written w, String savedVersion, boolean failedBefore,
      List<ActorRef<Done>> waiting) {
    if (w.failure() != null) {
      Throwable cause = w.failure().getCause() != null ? w.failure().getCause() : w.failure();
      if (!failedBefore) {
        ctx.getLog().warn("cannot save the catalog to [{}] (the next start reads the control "
            + "service in full): {}", file.path(), cause.toString());
      }
      waiting.forEach(r -> r.tell(Done.getInstance()));
      return idle(savedVersion, true);
    }
    ctx.getLog().debug("catalog saved to [{}] as of [{}]", file.path(), w.snapshot().tag());
    if (!waiting.isEmpty() && !catalog.snapshot().tag().equals(w.snapshot().tag())) {
      return save(w.snapshot().tag(), false, waiting);
    }
    waiting.forEach(r -> r.tell(Done.getInstance()));
    return idle(w.snapshot().tag(), false);
  }
}
