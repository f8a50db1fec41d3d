package io.flockerdocker.control;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javax.net.ssl.SSLContext;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.ServerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded Flocker-compatible control service: the REST API on 127.0.0.1 (HTTP or mTLS),
 * the durable configuration and the simulated dataset agents, with its own ActorSystem.
 */
public final class ControlService {
  private static final Logger log = LoggerFactory.getLogger(ControlService.class);
  private static final Config PEKKO = ConfigFactory.parseString(String.join("\n",
      "pekko.loggers = [\"org.apache.pekko.event.slf4j.Slf4jLogger\"]",
      "pekko.logging-filter = \"org.apache.pekko.event.slf4j.Slf4jLoggingFilter\"",
      "pekko.loglevel = INFO",
      "pekko.http.server.server-header = \"flocker-control-sim\""));

  private final ActorSystem<Void> system;
  private final ServerBinding binding;
  private final ConfigurationStore store;
  private final DatasetAgents agents;
  private final String url;
  /** Requests served and response bytes sent, for the benchmarks' idle-traffic figure. */
  private final java.util.concurrent.atomic.LongAdder requests =
      new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.LongAdder bytes =
      new java.util.concurrent.atomic.LongAdder();

  private ControlService(ActorSystem<Void> system, ServerBinding binding, ConfigurationStore store,
      DatasetAgents agents, boolean tls) {
    this.system = system;
    this.binding = binding;
    this.store = store;
    this.agents = agents;
    this.url = (tls ? "https" : "http") + "://127.0.0.1:" + binding.localAddress().getPort();
  }

  /**
   * Loads the configuration, rebuilds state from the node roots, starts the agents and binds.
   * Blocking disk work happens on the caller's thread before this returns its stage.
   */
  public static CompletionStage<ControlService> start(ControlSettings settings) {
    ConfigurationStore store = null;
    DatasetAgents agents = null;
    try {
      Files.createDirectories(settings.dataDir());
      SSLContext tls = settings.tlsDir() == null ? null : PemTls.serverContext(settings.tlsDir());
      store = ConfigurationStore.open(new ConfigurationFile(settings.configurationFile()),
          Clock.systemUTC());
      agents = new DatasetAgents(settings, store::current);
      agents.start(settings.convergeInterval());
      ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "flocker-control",
          PEKKO.withFallback(ConfigFactory.load()));
      ServerBuilder builder = Http.get(system).newServerAt("127.0.0.1", settings.port());
      if (tls != null) {
        builder = builder.enableHttps(ConnectionContext.httpsServer(() -> PemTls.serverEngine(tls)));
      }
      ConfigurationStore s = store;
      DatasetAgents a = agents;
      ControlService[] self = new ControlService[1];
      return builder.bind(counted(self, new ControlRoutes(store, agents, settings.nodes()).route()))
          .handle((binding, error) -> {
            if (error != null) {
              closeQuietly(s, a);
              system.terminate();
              throw new java.util.concurrent.CompletionException(error);
            }
            ControlService service = new ControlService(system, binding, s, a, tls != null);
            self[0] = service;
            log.info("Flocker control service listening on [{}]", service.url());
            return service;
          });
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      closeQuietly(store, agents);
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Base URL without the {@code /v1} suffix, e.g. {@code https://127.0.0.1:4523}. */
  public String url() {
    return url;
  }

  public int port() {
    return binding.localAddress().getPort();
  }

  /** Unbinds, stops the timers and waits for in-flight moves, then terminates the system. */
  public CompletionStage<Void> stop() {
    return binding.unbind()
        .thenRunAsync(() -> closeQuietly(store, agents))
        .thenCompose(done -> {
          system.terminate();
          return system.getWhenTerminated();
        })
        .thenApply(done -> null);
  }

  /** Completes when the service's ActorSystem has terminated (for whatever reason). */
  public CompletionStage<Done> whenTerminated() {
    return system.getWhenTerminated();
  }

  /** Requests answered since start (the benchmarks' idle-traffic figure). */
  public long requestCount() {
    return requests.sum();
  }

  /** Response body bytes sent since start. */
  public long responseBytes() {
    return bytes.sum();
  }

  /** Counts every answer; nothing is served before bind completes and sets {@code self[0]}. */
  private static org.apache.pekko.http.javadsl.server.Route counted(
      ControlService[] self, org.apache.pekko.http.javadsl.server.Route route) {
    return org.apache.pekko.http.javadsl.server.Directives.mapResponse(response -> {
      ControlService s = self[0];
      if (s != null) {
        s.requests.increment();
        s.bytes.add(response.entity().getContentLengthOption().orElse(0L));
      }
      return response;
    }, () -> route);
  }

  /**
   * How long the backend took for the last move of {@code datasetId}: from the configuration
   * naming its new primary to its state showing it there (the converge tick, the move delay and
   * the copy). Empty if it never moved. For the move benchmark's overhead figure.
   */
  public java.util.OptionalLong lastMoveMillis(String datasetId) {
    Long from = store.primaryChangedAt(datasetId);
    Long to = agents.movedAt(datasetId);
    return from == null || to == null || to < from ? java.util.OptionalLong.empty()
        : java.util.OptionalLong.of((to - from) / 1_000_000);
  }

  /**
   * Adds {@code count} datasets named {@code prefix0..} with metadata {@code name}, dealt
   * round-robin to {@code nodeUuids}, in one configuration commit; the dataset agents then create
   * them on disk. The scale benchmark's "cluster that already holds N volumes".
   */
  public CompletionStage<Void> preload(String prefix, int from, int count,
      java.util.List<String> nodeUuids) {
    java.util.List<io.flockerdocker.protocol.flocker.DatasetConfiguration> ds =
        new java.util.ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ds.add(new io.flockerdocker.protocol.flocker.DatasetConfiguration(
          java.util.UUID.randomUUID().toString(), nodeUuids.get(i % nodeUuids.size()), false,
          java.util.Map.of(io.flockerdocker.protocol.flocker.DatasetConfiguration.NAME_KEY, prefix + (from + i)), null));
    }
    return store.preload(ds);
  }

  /** Changes the delay of moves that start from now on (fault tests: slow backend). */
  public void setMoveDelay(Duration delay) {
    agents.setMoveDelay(delay);
  }

  /** A dead node's agent converges nothing: its datasets stay as they are until it is alive. */
  public void setNodeAlive(String uuid, boolean alive) {
    agents.setNodeAlive(uuid, alive);
  }

  private static void closeQuietly(ConfigurationStore store, DatasetAgents agents) {
    if (store != null) {
      store.close();
    }
    if (agents != null) {
      try {
        agents.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
