package io.flockerdocker.agent.cluster;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ActorRefProvider;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.apache.pekko.actor.ExtensionIdProvider;
import org.apache.pekko.remote.RemoteActorRefProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.jdk.javaapi.FutureConverters;

/**
 * Shuts Artery down in the {@code before-actor-system-terminate} phase of CoordinatedShutdown,
 * for at most a bound, so that the actor system terminates even when one of Artery's streams
 * never completes.
 *
 * <p>Pekko 1.7 stops remoting from a termination hook of the {@code /system} guardian that waits
 * for {@code ArteryTransport.shutdown()} without a deadline ("TODO: state timeout" in
 * RemoteActorRefProvider.RemotingTerminator), and that future waits, again without a deadline, for
 * every outbound and inbound stream to complete after the transport's kill switch is pulled
 * (ArteryTransport.internalShutdown/streamsCompleted). One stream that does not complete keeps
 * the {@code /system} guardian, and so the whole ActorSystem, alive for ever: whenTerminated never
 * completes, the agent's main thread never returns, and only a JVM shutdown hook gets the process
 * out. Upstream bounded it in 2.0.0-M4 (apache/pekko#3247, #3317, shutdown-streams-timeout); 1.7.x
 * has no such setting.
 *
 * <p>{@code shutdown()} is idempotent (the second call answers Done at once), so calling it here
 * first, bounded, makes the RemotingTerminator's later call return at once. By this phase the
 * cluster has been left and shut down, so remoting has nothing left to carry; the flush of
 * pending system messages (shutdown-flush-timeout) still runs, within the bound.
 *
 * <p>Loaded for every agent ActorSystem by {@code pekko.extensions} in agent-pekko.conf.
 */
public final class BoundedRemotingShutdown extends AbstractExtensionId<BoundedRemotingShutdown.Ext>
    implements ExtensionIdProvider {
  private static final Logger LOG = LoggerFactory.getLogger(BoundedRemotingShutdown.class);
  public static final BoundedRemotingShutdown ID = new BoundedRemotingShutdown();
  static final String TASK = "flocker-docker-bounded-remoting-shutdown";

  /** The extension itself carries nothing: it exists to register the task once per system. */
  public static final class Ext implements Extension {}

  @Override
  public BoundedRemotingShutdown lookup() {
    return ID;
  }

  @Override
  public Ext createExtension(ExtendedActorSystem system) {
    ActorRefProvider provider = system.provider();
    if (provider instanceof RemoteActorRefProvider remote) {
      CoordinatedShutdown cs = CoordinatedShutdown.get(system);
      String phase = CoordinatedShutdown.PhaseBeforeActorSystemTerminate();
      // inside the phase's own timeout, so that our warning, not the phase's, says what hung
      Duration bound = Duration.ofMillis(cs.timeout(phase).toMillis() * 4 / 5);
      cs.addTask(phase, TASK, () -> bounded(
          () -> FutureConverters.asJava(remote.transport().shutdown()),
          bound, system.name() + "@" + provider.getDefaultAddress()));
    }
    return new Ext();
  }

  /**
   * {@code shutdown}, completed with Done after {@code bound} at the latest (with a warning); a
   * failure is logged and counts as done: the system must terminate either way.
   */
  static CompletionStage<Done> bounded(Supplier<CompletionStage<Done>> shutdown, Duration bound,
      String system) {
    CompletableFuture<Done> result = new CompletableFuture<>();
    CompletionStage<Done> started;
    try {
      started = shutdown.get();
    } catch (RuntimeException e) {
      LOG.warn("remoting of {} failed to shut down: {}", system, e.toString());
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    started.whenComplete((done, error) -> {
      if (error != null) {
        LOG.warn("remoting of {} failed to shut down: {}", system, error.toString());
      }
      result.complete(Done.getInstance());
    });
    CompletableFuture.delayedExecutor(bound.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
      if (result.complete(Done.getInstance())) {
        LOG.warn("remoting of {} did not shut down within {} (an Artery stream that never "
            + "completes; Pekko 1.7 would wait for it for ever): terminating the actor system "
            + "without it", system, bound);
      }
    });
    return result;
  }
}
