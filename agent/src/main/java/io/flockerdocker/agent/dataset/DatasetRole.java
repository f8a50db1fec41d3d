package io.flockerdocker.agent.dataset;

import io.flockerdocker.agent.catalog.VolumeCatalog;
import io.flockerdocker.agent.config.AgentSettings;
import io.flockerdocker.agent.config.DatasetSettings;
import io.flockerdocker.agent.dataset.transfer.DataServer;
import io.flockerdocker.agent.flocker.FlockerClient;
import io.flockerdocker.agent.metrics.AgentMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * Starts this host's dataset agent role for the Guardian: the backend the settings name, the
 * data server (stopped by CoordinatedShutdown before the system goes) and the DatasetAgent.
 */
public final class DatasetRole {
  private DatasetRole() {}

  public static ActorRef<DatasetAgent.Command> start(ActorContext<?> ctx, AgentSettings s,
      DataPlane plane, FlockerClient flocker, VolumeCatalog catalog,
      AgentMetrics metrics, Executor io,
      Function<String, String> nameOf, Clock clock) {
    DatasetSettings d = s.dataset();
    DatasetBackend backend = d.backend() == DatasetSettings.Backend.DIRECTORY
        ? new DirectoryBackend(d.root(), d.replicaBudgetBytes(), clock)
        : new SharedBackend(d.root(), s.stateDir());
    ServedCopies served = new ServedCopies();
    DataServer server;
    try {
      server = plane.serve(served);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the data server on " + d.bindHost() + ":"
          + d.port() + ": " + e.getMessage(), e);
    }
    CoordinatedShutdown.get(ctx.getSystem()).addTask(
        CoordinatedShutdown.PhaseServiceUnbind(), "dataset-data-server",
        () -> CompletableFuture.supplyAsync(() -> {
          server.close(); // blocks until transfers in flight have stopped: io dispatcher
          return Done.getInstance();
        }, io));
    ctx.getLog().info("dataset agent [{}] backend [{}] root [{}]; data channel on {}:{} ({})",
        s.nodeName(), d.backend().wireName(), d.root(), d.bindHost(), server.port(),
        d.tls() ? "mutual TLS" : "plain TCP, loopback only");
    return ctx.spawn(DatasetAgent.create(new DatasetAgentDeps(d, s.nodeUuid(), s.nodeName(),
        d.advertisePort() == 0 ? server.port() : d.advertisePort(), flocker, catalog, backend,
        plane.client(), served, metrics, io, nameOf,
        clock.millis())), "dataset-agent");
  }
}
